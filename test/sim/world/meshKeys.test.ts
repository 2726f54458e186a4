// Envoy holds the private key of its `default` chain (what a real TLS listener needs), from SPIRE's SDS
// or pilot-agent's CSR to istiod; the admin dump never shows it.
import { describe, expect, it } from 'vitest';
import { decodePem, keyPairFromPkcs8 } from '../../../sim/pki/index.ts';
import { play } from '../../helpers/scenario.ts';

describe('proxy keys', () => {
  it('every ready proxy of the sample holds the key of its certificate, redacted in /config_dump', async () => {
    const report = await play('scenarios/f07-istio-spire-federation-sample.yaml');
    const proxies = [...report.world.mesh.proxies.values()].filter((p) => p.ready);
    expect(proxies.length).toBeGreaterThanOrEqual(4);
    for (const p of proxies) {
      const block = decodePem(p.secrets.default!.keyPem ?? '');
      expect(block.ok).toBe(true);
      const key = await keyPairFromPkcs8(globalThis.crypto, block.ok ? block.value[0]!.der : new Uint8Array());
      expect(key.ok).toBe(true);
      const spki = new Uint8Array(await globalThis.crypto.subtle.exportKey('spki', key.ok ? key.value.publicKey : (undefined as never)));
      expect(Buffer.from(spki).equals(Buffer.from(p.secrets.default!.chain[0]!.spki))).toBe(true);
      expect(JSON.stringify(report.world.mesh.configDump(p))).not.toContain('PRIVATE KEY');
    }
  }, 60_000);
});
