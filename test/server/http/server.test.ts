// The lab server's robustness: own-origin ws only, every message answered (errors as replies, the
// server keeps serving), a bound on sessions, the page served with the remote mode marked.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/shared.ts';
import { diskFiles } from '../../../server/http/files.ts';
import { startLabServer, type LabServer } from '../../../server/http/server.ts';

let dist: string;
let server: LabServer;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'fedlab-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><html><head><title>t</title></head><body></body></html>');
  writeFileSync(join(dist, 'assets/app.js'), 'console.log(1)');
  server = await startLabServer({ host: '127.0.0.1', port: 0, distDir: dist, files: diskFiles(repoRoot), defaultScenario: 'scenarios/golden-path.yaml', maxSessions: 2, idleMs: 60_000 });
});

afterAll(async () => {
  await server?.close();
  rmSync(dist, { recursive: true, force: true });
});

function connect(origin: string | undefined): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws`, origin === undefined ? {} : { origin });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(String(res.statusCode))));
    ws.once('error', reject);
  });
}

function ask(ws: WebSocket, msg: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const on = (data: Buffer) => {
      const m = JSON.parse(data.toString()) as Record<string, unknown>;
      if ('push' in m) return;
      ws.off('message', on);
      resolve(m);
    };
    ws.on('message', on);
    ws.send(msg);
  });
}

const closed = (ws: WebSocket) => new Promise<void>((r) => (ws.readyState === ws.CLOSED ? r() : ws.once('close', () => r())));

describe('the lab server', () => {
  it('binds 127.0.0.1 and serves the page marked for the remote driver', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const html = await (await fetch(`${server.url}/`)).text();
    expect(html).toContain('<meta name="fedlab-mode" content="remote" />');
    expect(html).toContain('content="scenarios/golden-path.yaml"');
    expect((await fetch(`${server.url}/assets/app.js`)).status).toBe(200);
    expect((await fetch(`${server.url}/../package.json`)).status).toBe(404);
  });

  it('accepts ws only from its own origin', async () => {
    await expect(connect('http://evil.example')).rejects.toThrow('403');
    await expect(connect(undefined)).rejects.toThrow('403');
    const ws = await connect(server.url);
    ws.close();
    await closed(ws);
  });

  it('answers malformed, unknown and oversized messages with errors and keeps serving', async () => {
    const ws = await connect(server.url);
    try {
      expect(await ask(ws, '{oops')).toMatchObject({ id: null, error: { code: 'bad-json' } });
      expect(await ask(ws, JSON.stringify({ id: 1, method: 'rm -rf' }))).toMatchObject({ id: 1, error: { code: 'unknown-method' } });
      expect(await ask(ws, JSON.stringify({ id: 2, method: 'load', params: { file: 7 } }))).toMatchObject({ id: 2, error: { code: 'bad-params' } });
      expect(await ask(ws, JSON.stringify({ id: 3, method: 'exec', params: { command: 'x'.repeat(1024 * 1024 + 10) } }))).toMatchObject({ id: null, error: { code: 'too-large' } });
      // A path outside scenarios/ is not readable: the load fails as a value, not a crash.
      const bad = await ask(ws, JSON.stringify({ id: 4, method: 'load', params: { file: '../../etc/passwd' } }));
      expect((bad.result as { error?: string }).error).toContain('no such scenario file');
      // Still serving.
      expect(await ask(ws, JSON.stringify({ id: 5, method: 'state' }))).toMatchObject({ id: 5, result: { position: 0 } });
    } finally {
      ws.close();
      await closed(ws);
    }
  });

  it('bounds the number of sessions and frees a slot when one closes', async () => {
    const a = await connect(server.url);
    const b = await connect(server.url);
    await expect(connect(server.url)).rejects.toThrow('503');
    a.close();
    await closed(a);
    await new Promise((r) => setTimeout(r, 50));
    const c = await connect(server.url);
    expect(server.sessions()).toBe(2);
    b.close();
    c.close();
    await Promise.all([closed(b), closed(c)]);
  });
});
