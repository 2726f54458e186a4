import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeOpenssl } from '../../../sim/cli/openssl.ts';
import { Shell } from '../../../sim/cli/shell/shell.ts';
import { repoRoot } from '../../helpers/shared.ts';

const dir = join(repoRoot, 'test/sim/cli/fixtures/x509-text');
const sh = new Shell({ programs: { openssl: makeOpenssl(() => Date.UTC(2026, 0, 15, 10), globalThis.crypto) } });

describe('openssl x509 -text', () => {
  // Goldens printed by OpenSSL 3.0.19 from the same PEM files (fixtures/x509-text/README.md).
  it.each(['rsa-ca', 'ec-svid-rsa-issuer', 'ec-ca', 'ec-svid-dns'])('prints %s byte for byte as OpenSSL 3.0 does', async (name) => {
    sh.fs.write(`/certs/${name}.pem`, readFileSync(join(dir, `${name}.pem`), 'utf8'));
    const r = await sh.run(`openssl x509 -in /certs/${name}.pem -noout -text`);
    expect(r).toEqual({ stdout: readFileSync(join(dir, `${name}.txt`), 'utf8'), stderr: '', exitCode: 0 });
  });

  it('keeps command-line order with other fields and prints the PEM without -noout', async () => {
    sh.fs.write('/certs/ca.pem', readFileSync(join(dir, 'ec-ca.pem'), 'utf8'));
    const r = await sh.run('openssl x509 -in /certs/ca.pem -subject -text');
    expect(r.stdout.startsWith('subject=C = US, O = SPIFFE, serialNumber = ')).toBe(true);
    expect(r.stdout).toContain('\nCertificate:\n    Data:\n        Version: 3 (0x2)\n');
    expect(r.stdout.endsWith('-----END CERTIFICATE-----\n')).toBe(true);
  });

  it('the seed\'s grep on an empty pipe: OpenSSL cannot read a certificate', async () => {
    expect(await sh.run('echo -n | openssl x509 -text -noout')).toEqual({ stdout: '', stderr: 'Could not read certificate from <stdin>\nUnable to load certificate\n', exitCode: 1 });
  });
});
