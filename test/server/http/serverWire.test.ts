// `fedlab start --wire`: the server's sessions run the mesh's handshakes on real sockets, with the
// clock anchored so OpenSSL (wall time) and the lab (virtual time) judge the same moment; the browser
// sees each call's `wire` stage with the socket facts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/shared.ts';
import { diskFiles } from '../../../server/http/files.ts';
import { startLabServer, type LabServer } from '../../../server/http/server.ts';
import type { CallView } from '../../../sim/driver.ts';
import type { WireHandshakeFacts } from '../../../sim/envoy/wire.ts';

let dist: string;
let server: LabServer;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'fedlab-dist-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><html><head></head><body></body></html>');
  server = await startLabServer({ host: '127.0.0.1', port: 0, distDir: dist, files: diskFiles(repoRoot), defaultScenario: 'scenarios/golden-path.yaml', wire: true });
});

afterAll(async () => {
  await server?.close();
  rmSync(dist, { recursive: true, force: true });
});

describe('the lab server with --wire', () => {
  it('plays a mesh scenario with real handshakes whose two verdicts agree', async () => {
    const ws = await new Promise<WebSocket>((resolve, reject) => {
      const w = new WebSocket(`${server.url.replace('http', 'ws')}/ws`, { origin: server.url });
      w.once('open', () => resolve(w));
      w.once('error', reject);
    });
    let next = 1;
    const call = (method: string, params: unknown) =>
      new Promise<unknown>((resolve, reject) => {
        const id = next++;
        const on = (data: Buffer) => {
          const m = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
          if (m.id !== id) return;
          ws.off('message', on);
          if (m.error) reject(new Error(m.error.message));
          else resolve(m.result);
        };
        ws.on('message', on);
        ws.send(JSON.stringify({ id, method, params }));
      });
    try {
      await call('load', { file: 'scenarios/f07-istio-spire-federation-sample.yaml' });
      await call('playTo', { target: { end: true } });
      const calls = (await call('calls', {})) as CallView[];
      const wired = calls.flatMap((c) => c.trace.attempts.flatMap((a) => a.stages.filter((s) => s.stage === 'wire')));
      expect(wired.length).toBeGreaterThan(0);
      const facts = wired.map((s) => s.wire as WireHandshakeFacts);
      expect(facts.every((f) => f.protocol === 'TLSv1.3' && f.response?.status === 200)).toBe(true);
      // Anchored: every comparison is made at one instant for both clocks, and they agree.
      expect(facts.flatMap((f) => [f.comparisons.client?.kind, f.comparisons.server?.kind])).toEqual(expect.arrayContaining(['agree']));
      expect(facts.flatMap((f) => [f.comparisons.client?.kind, f.comparisons.server?.kind]).filter((k) => k !== 'agree')).toEqual([]);
    } finally {
      ws.close();
    }
  }, 120_000);
});
