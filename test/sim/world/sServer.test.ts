// openssl s_server in a pod (seed 001 §5.1.3/§5.5): options from the container's script, and what s_client
// meets. The expected s_client lines are those of the real OpenSSL 3.0.19 pair (s_server -Verify 1
// -verify_return_error with the server's own root as -CAfile; s_client -verify 1 -brief with the client's
// own root), taken on this machine: verify depth, the depth=1 error 19, CONNECTION ESTABLISHED with
// TLS_AES_256_GCM_SHA384, OpenSSL's requested signature algorithms, and alert 48 (unknown ca).
import { beforeAll, describe, expect, it } from 'vitest';
import { makeOpenssl, type TlsAnswer } from '../../../sim/cli/openssl.ts';
import { Shell } from '../../../sim/cli/shell/shell.ts';
import { encodePem, SignatureVerifier, type IssuedCertificate } from '../../../sim/pki/index.ts';
import { parseSServer, sServerAnswer } from '../../../sim/world/sServer.ts';
import { T0, testCa, testSvid } from '../../helpers/pki.ts';

const SCRIPT = `dnf install -y openssl &>/dev/null
echo "Waiting for SVID files..."
while [ ! -f /certs/svid.pem ]; do
  sleep 5
done
while true; do
  openssl s_server \\
    -cert /certs/svid.pem \\
    -key /certs/svid_key.pem \\
    -CAfile /certs/bundle.pem \\
    -Verify 1 \\
    -verify_return_error \\
    -accept 8443 \\
    -www 2>&1
  sleep 1
done`;

describe('parseSServer', () => {
  it('reads the seed\'s s_server line across backslash-newlines', () => {
    expect(parseSServer(`/bin/bash -c ${SCRIPT}`)).toEqual({ cert: '/certs/svid.pem', key: '/certs/svid_key.pem', caFile: '/certs/bundle.pem', verify: 'require', verifyReturnError: true, accept: 8443 });
    expect(parseSServer('sleep infinity')).toBeUndefined();
  });
});

describe('s_client against a pod\'s s_server', () => {
  let ca1: IssuedCertificate, ca2: IssuedCertificate, server: IssuedCertificate, client: IssuedCertificate;
  beforeAll(async () => {
    [ca1, ca2] = await Promise.all([testCa('apps.c1.example.com'), testCa('apps.c2.example.com')]);
    [server, client] = await Promise.all([testSvid(ca1, 'spiffe://apps.c1.example.com/ns/mtls-server/sa/mtls-server-sa'), testSvid(ca2, 'spiffe://apps.c2.example.com/ns/mtls-client/sa/mtls-client-sa')]);
  });

  async function connect(serverBundle: IssuedCertificate[], clientBundle: IssuedCertificate[], files = true) {
    const pem = (c: IssuedCertificate[]) => c.map((x) => encodePem('CERTIFICATE', x.cert.der)).join('');
    const podFiles: Record<string, string> = files ? { '/certs/svid.pem': pem([server]), '/certs/svid_key.pem': 'key', '/certs/bundle.pem': pem(serverBundle) } : {};
    const opts = parseSServer(SCRIPT)!;
    const answer: TlsAnswer = await sServerAnswer(opts, async (p) => podFiles[p], new SignatureVerifier(globalThis.crypto), () => T0 + 60_000);
    const net = { tls: async () => answer, random: () => 0, bytes: (n: number) => new Uint8Array(n) };
    const sh = new Shell({ programs: { openssl: makeOpenssl(() => T0 + 60_000, globalThis.crypto, net) } });
    sh.fs.write('/certs/svid.pem', pem([client]));
    sh.fs.write('/certs/svid_key.pem', 'key');
    sh.fs.write('/certs/bundle.pem', pem(clientBundle));
    return sh.run('openssl s_client -connect mtls-secure.apps.c1.example.com:443 -cert /certs/svid.pem -key /certs/svid_key.pem -CAfile /certs/bundle.pem -verify 1 -brief </dev/null 2>&1');
  }

  it('each bundle.pem with only its own root (seed 001 as written): the client goes on, the server sends alert 48', async () => {
    const r = await connect([ca1], [ca2]);
    expect(r.exitCode).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('verify depth is 1');
    expect(lines[1]).toMatch(/^depth=1 /);
    expect(lines.slice(2, 4)).toEqual(['verify error:num=19:self-signed certificate in certificate chain', 'CONNECTION ESTABLISHED']);
    expect(r.stdout).toContain('Ciphersuite: TLS_AES_256_GCM_SHA384\nRequested Signature Algorithms: ECDSA+SHA256:ECDSA+SHA384:ECDSA+SHA512:ed25519:ed448:rsa_pss_pss_sha256:rsa_pss_pss_sha384:rsa_pss_pss_sha512:RSA-PSS+SHA256:RSA-PSS+SHA384:RSA-PSS+SHA512:RSA+SHA256:RSA+SHA384:RSA+SHA512:ECDSA+SHA224:RSA+SHA224\n');
    expect(r.stdout).toContain('Verification error: self-signed certificate in certificate chain\nServer Temp Key: X25519, 253 bits\n');
    expect(r.stdout).toMatch(/:error:0A000418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca:\.\.\/ssl\/record\/rec_layer_s3\.c:1601:SSL alert number 48\n$/);
  });

  it('both roots in both bundles (include_federated_domains): verified both ways, DONE', async () => {
    const r = await connect([ca1, ca2], [ca1, ca2]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Verification: OK\n');
    expect(r.stdout.endsWith('DONE\n')).toBe(true);
  });

  it('nothing listens before spiffe-helper has written the files', async () => {
    const r = await connect([ca1], [ca2], false);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('Connection refused');
  });
});
