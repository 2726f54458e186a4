import { beforeAll, describe, expect, it } from 'vitest';
import { makeOpenssl, opensslDate } from '../../../sim/cli/openssl.ts';
import { Shell } from '../../../sim/cli/shell/shell.ts';
import { encodePem } from '../../../sim/pki/index.ts';
import { HOUR_MS, T0, testCa, testSvid } from '../../helpers/pki.ts';

let now = T0;
const sh = new Shell({ programs: { openssl: makeOpenssl(() => now, globalThis.crypto) } });

beforeAll(async () => {
  const ca = await testCa('west.local');
  const other = await testCa('east.local');
  const svid = await testSvid(ca, 'spiffe://west.local/ns/a/sa/b', { dnsNames: ['b.a.svc'] });
  sh.fs.write('/certs/svid.pem', encodePem('CERTIFICATE', svid.cert.der));
  sh.fs.write('/certs/bundle.pem', encodePem('CERTIFICATE', ca.cert.der));
  sh.fs.write('/certs/other.pem', encodePem('CERTIFICATE', other.cert.der));
});

describe('openssl in the lab', () => {
  it('x509 prints fields in command-line order, in OpenSSL 3 format', async () => {
    const r = await sh.run('openssl x509 -in /certs/svid.pem -noout -dates -subject -ext subjectAltName');
    expect(r.stdout).toBe(`notBefore=Nov 22 11:59:50 2026 GMT\nnotAfter=Nov 22 13:00:00 2026 GMT\nsubject=C = US, O = SPIRE, CN = b.a.svc\nX509v3 Subject Alternative Name: \n    DNS:b.a.svc, URI:spiffe://west.local/ns/a/sa/b\n`);
    expect(opensslDate(Date.UTC(2026, 0, 5, 1, 2, 3))).toBe('Jan  5 01:02:03 2026 GMT');
  });

  it('reads the certificate from stdin when no file is named', async () => {
    now = T0;
    expect(await sh.run('cat /certs/svid.pem | openssl verify -CAfile /certs/bundle.pem')).toEqual({ stdout: 'stdin: OK\n', stderr: '', exitCode: 0 });
    expect((await sh.run('cat /certs/svid.pem | openssl verify -CAfile /certs/other.pem')).exitCode).toBe(2);
    expect((await sh.run('cat /certs/svid.pem | openssl x509 -noout -subject')).stdout).toBe('subject=C = US, O = SPIRE, CN = b.a.svc\n');
    expect(await sh.run('echo nope | openssl x509 -noout -subject')).toEqual({ stdout: '', stderr: 'Could not read certificate from <stdin>\nUnable to load certificate\n', exitCode: 1 });
  });

  it('-checkend answers at virtual time', async () => {
    now = T0;
    expect(await sh.run('openssl x509 -in /certs/svid.pem -noout -checkend 0')).toEqual({ stdout: 'Certificate will not expire\n', stderr: '', exitCode: 0 });
    now = T0 + 2 * HOUR_MS;
    expect(await sh.run('openssl x509 -in /certs/svid.pem -noout -checkend 0')).toEqual({ stdout: 'Certificate will expire\n', stderr: '', exitCode: 1 });
  });

  it('verify: OK, expired, and no issuer in the bundle', async () => {
    now = T0;
    expect(await sh.run('openssl verify -CAfile /certs/bundle.pem /certs/svid.pem')).toEqual({ stdout: '/certs/svid.pem: OK\n', stderr: '', exitCode: 0 });
    const wrong = await sh.run('openssl verify -CAfile /certs/other.pem /certs/svid.pem');
    expect(wrong).toEqual({ stdout: '', stderr: 'C = US, O = SPIRE, CN = b.a.svc\nerror 20 at 0 depth lookup: unable to get local issuer certificate\nerror /certs/svid.pem: verification failed\n', exitCode: 2 });
    now = T0 + 2 * HOUR_MS;
    expect((await sh.run('openssl verify -CAfile /certs/bundle.pem /certs/svid.pem')).stderr).toContain('error 10 at 0 depth lookup: certificate has expired');
  });
});

describe('openssl s_client -verify N (seed 001 Step 5.5)', () => {
  const net = { tls: async () => ({ kind: 'unresolved' as const }), random: () => 0, bytes: (n: number) => new Uint8Array(n) };
  const shell = new Shell({ programs: { openssl: makeOpenssl(() => T0, globalThis.crypto, net) } });
  it('announces the depth on stderr unless -brief or -quiet came first (s_client.c OPT_VERIFY, as OpenSSL 3.0.19 prints)', async () => {
    const r = await shell.run('openssl s_client -connect mtls-secure.apps.example.com:443 -verify 1 -brief </dev/null');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^verify depth is 1\n[0-9A-F]+:error:10080002:BIO routines:BIO_lookup_ex:system lib:/);
    expect((await shell.run('openssl s_client -brief -verify 1 -connect x.example.com:443')).stderr).not.toContain('verify depth');
  });
});
