// F02's proof with Debian's openssl: files exported from the lab, `s_server -Verify 1
// -verify_return_error -www` and `s_client`; only a server that accepted the client sends the HTTP reply
// ("CONNECTION ESTABLISHED" alone proves nothing under TLS 1.3: the client's certificate is checked after).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fedlab } from '../../helpers/cli.ts';
import { repoRoot } from '../../helpers/shared.ts';

const SCENARIO = join(repoRoot, 'scenarios/f02-spiffe-helper-openssl.yaml');
const OPENSHIFT = join(repoRoot, 'scenarios/f02-spiffe-helper-openssl-openshift.yaml');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Runs s_server with the server files and s_client with the client files; returns what each printed. */
async function handshake(serverDir: string, clientDir: string): Promise<{ client: string; server: string }> {
  const port = await freePort();
  const server = spawn('openssl', ['s_server', '-cert', 'svid.pem', '-key', 'svid_key.pem', '-CAfile', 'bundle.pem', '-Verify', '1', '-verify_return_error', '-www', '-accept', `127.0.0.1:${port}`], { cwd: serverDir });
  let serverOut = '';
  server.stdout.on('data', (d) => (serverOut += d));
  server.stderr.on('data', (d) => (serverOut += d));
  try {
    for (let i = 0; i < 50 && !serverOut.includes('ACCEPT'); i++) await new Promise((r) => setTimeout(r, 100));
    const client = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-cert', 'svid.pem', '-key', 'svid_key.pem', '-CAfile', 'bundle.pem', '-quiet'], {
      cwd: clientDir,
      input: 'GET / HTTP/1.0\r\n\r\n',
      encoding: 'utf8',
      timeout: 10_000,
    });
    await new Promise((r) => setTimeout(r, 200));
    return { client: `${client.stdout}${client.stderr}`, server: serverOut };
  } finally {
    server.kill();
  }
}

describe('F02: spiffe-helper files with openssl, outside the lab', () => {
  // Helm on two kind-like clusters, and seed 001 as written on two OpenShift clusters with ZTWIM (cluster1's
  // Deployment mtls-server behind the Route mtls-secure, cluster2's bare Pod mtls-client).
  const setups = {
    helm: { file: SCENARIO, server: 'west:mtls-server/deploy/mtls-server', client: 'east:mtls-client/deploy/mtls-client' },
    openshift: { file: OPENSHIFT, server: 'cluster1:mtls-server/deploy/mtls-server', client: 'cluster2:mtls-client/mtls-client' },
  };
  const dirOf = (ref: string) => ref.replace(/^(\w+):([^/]+)\/(?:deploy\/)?(.+)$/, '$1-$2-$3');
  it.each([
    ['helm', 'fixed', true],
    ['helm', 'broken', false],
    ['openshift', 'fixed', true],
    ['openshift', 'broken', false],
  ] as const)('%s, %s variant: the server accepts the client: %s', async (setup, variant, accepted) => {
    const { file, server: serverPod, client: clientPod } = setups[setup];
    const out = mkdtempSync(join(tmpdir(), `fedlab-f02-${setup}-${variant}-`));
    const r = await fedlab(['svid', 'export', file, '--variant', variant, '--pod', serverPod, '--pod', clientPod, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const serverDir = join(out, dirOf(serverPod));
    const clientDir = join(out, dirOf(clientPod));
    const roots = (dir: string) => readFileSync(join(dir, 'bundle.pem'), 'utf8').split('BEGIN CERTIFICATE').length - 1;
    expect([roots(serverDir), roots(clientDir)]).toEqual(accepted ? [2, 2] : [1, 1]);
    const { client, server } = await handshake(serverDir, clientDir);
    if (accepted) {
      expect(client).toContain('HTTP/1.0 200 ok');
      expect(server).not.toContain('certificate verify failed');
    } else {
      expect(client).not.toContain('HTTP/1.0 200 ok');
      expect(server).toContain('certificate verify failed');
    }
  }, 60_000);

  it('refuses bad pod references with exit 2', async () => {
    expect((await fedlab(['svid', 'export', SCENARIO, '--pod', 'Not A Pod', '--out', '/tmp/x'])).stderr).toContain('expected [CONTEXT:]NS/NAME');
    expect((await fedlab(['svid', 'export', SCENARIO, '--pod', 'north:a/b', '--out', mkdtempSync(join(tmpdir(), 'x-'))])).code).toBe(2);
  });
});
