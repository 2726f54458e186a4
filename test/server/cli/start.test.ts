// `npm start` (`fedlab start`): builds the page when needed, serves it on 127.0.0.1 with the remote
// mode marked, and stops cleanly on SIGTERM. A bad flag is a usage error before anything starts.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/shared.ts';

const FEDLAB = join(repoRoot, 'bin/fedlab.mjs');

describe('fedlab start', () => {
  it('serves the browser lab on 127.0.0.1 and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [FEDLAB, 'start', '--port', '0'], { cwd: repoRoot, env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'HOST' && k !== 'PORT')), stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no "running on" line in time:\n${out}`)), 150_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /running on (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
      });
      const html = await (await fetch(`${url}/`)).text();
      expect(html).toContain('name="fedlab-mode" content="remote"');
      expect(html).toContain('scenarios/golden-path.yaml');
    } finally {
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 180_000);

  it('rejects a bad port as a usage error', () => {
    const r = spawnSync(process.execPath, [FEDLAB, 'start', '--port', 'eighty'], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('not a port number');
  });
});
