/**
 * The mesh scenarios played twice — in memory, and with every handshake also on real sockets
 * (`--wire`, the clock anchored to wall time) — give the same call outcomes, and OpenSSL's verdicts
 * never disagree with the lab's over the handshakes they make (issue 7's comparison); every answer the
 * server side gave arrives over the connection unchanged.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { playScenario, type RunReport, type Variant } from '../../../sim/scenario/index.ts';
import { wallAnchoredStart, wireSummary } from '../../../server/cli/transport.ts';
import { NodeWireTransport } from '../../../server/net/wire/transport.ts';
import { loadScenario } from '../../helpers/scenario.ts';
import { KeyStock } from '../../../sim/pki/keyStock.ts';
import { inThreadCrypto } from '../../../server/cli/inThreadCrypto.ts';
import { repoRoot } from '../../helpers/shared.ts';

const MESH = ['scenarios/f07-istio-spire-federation-sample.yaml', 'scenarios/f06-serviceentry-separate-meshes.yaml', 'scenarios/catalogue/s15-mesh-svid-expired-during-outage.yaml', ...readdirSync(join(repoRoot, 'scenarios/catalogue')).filter((f) => /^m\d\d-/.test(f)).map((f) => `scenarios/catalogue/${f}`)];

// As `fedlab run` plays them: RSA keys generated once and handed to later worlds, signatures in this thread.
const keys = new KeyStock(inThreadCrypto(globalThis.crypto));

const calls = (r: RunReport) => r.world.events.all().filter((e) => e.type === 'mesh.call').map((e) => `${String(e.data.status)} ${String(e.data.servedBy).replace(/-[a-z0-9]+-[a-z0-9]+$/, '')}`);

describe('in memory and on the wire', () => {
  it('give the same outcomes, and the two verdicts agree on every comparable handshake', async () => {
    const totals = { handshakes: 0, agree: 0, disagree: 0, exchanges: 0, refused: 0, dropped: 0 };
    const disagreements: string[] = [];
    const kinds = new Set<string>();
    for (const file of MESH) {
      const { scenario, readFile } = loadScenario(file);
      for (const variant of (scenario.fix ? ['broken', 'fixed'] : ['broken']) as Variant[]) {
        // One key view per world: each world takes the stock's keys in its own order.
        const base = () => ({ variant, crypto: keys.view(), readFile });
        const memory = await playScenario(scenario, base());
        const wire = new NodeWireTransport();
        try {
          const start = await wallAnchoredStart((probe) => playScenario(scenario, { ...base(), start: probe }));
          const wired = await playScenario(scenario, { ...base(), wire, ...(start !== undefined ? { start } : {}) });
          expect(wired.ok, `${scenario.id} (${variant}) on the wire`).toBe(memory.ok);
          expect(calls(wired), `${scenario.id} (${variant}) calls`).toEqual(calls(memory));
          const s = wireSummary(wire);
          totals.handshakes += s.handshakes;
          totals.agree += s.agree;
          totals.disagree += s.disagree;
          totals.exchanges += s.exchanges;
          totals.refused += s.refused;
          totals.dropped += s.dropped;
          disagreements.push(...s.defects.map((d) => `${scenario.id} (${variant}): ${d}`));
          for (const { facts } of wire.log)
            for (const c of [facts.comparisons.client, facts.comparisons.server]) {
              if (!c) continue;
              kinds.add(`${c.kind}: lab ${c.lab.replace(/ \(.*/, '')} / ${c.openssl.replace(/ \(.*/, '')}`);
              if (c.kind === 'agree' && c.lab.includes('pki/expired') && c.openssl.includes('CERT_HAS_EXPIRED')) kinds.add('expired at virtual and wall time');
            }
          if (scenario.id.startsWith('m05-') && variant === 'broken') kinds.add(s.handshakes > 0 ? 'terminating gateway handshake' : 'no terminating gateway handshake');
        } finally {
          await wire.close();
        }
      }
    }
    expect(disagreements).toEqual([]);
    expect(totals.handshakes).toBeGreaterThanOrEqual(200);
    // The application's answers (and sidecars' 403s) crossed the TLS connections as HTTP/1.1, and the
    // model's unreachable endpoints (a remote network's pod IPs, M03) were real dropped connections.
    expect(totals.exchanges).toBeGreaterThanOrEqual(100);
    expect(totals.dropped).toBeGreaterThan(0);
    // Success, the lab's SAN and no-bundle failures (OpenSSL: chain ok / no root), a wrong CA, an expired
    // certificate (S15 in the mesh, judged at wall time too) and a terminating gateway.
    expect([...kinds]).toEqual(
      expect.arrayContaining(['agree: lab ok / authorized', 'agree: lab san / authorized', 'agree: lab no-bundle / unauthorized', 'agree: lab chain / unauthorized', 'expired at virtual and wall time', 'terminating gateway handshake']),
    );
  }, 600_000);
});
