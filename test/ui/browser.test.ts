// The engine runs in the browser: build the static page with vite, serve it on 127.0.0.1, and play the
// golden path inside Debian's Chromium (real WebCrypto, no Node APIs).
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/shared.ts';

const CHROMIUM = '/usr/bin/chromium';
let server: Server;
let url: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
  const outDir = mkdtempSync(join(tmpdir(), 'fedlab-ui-'));
  await build({ configFile: join(repoRoot, 'vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 4096 } });
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  server = createServer((req, res) => {
    const path = normalize(join(outDir, req.url === '/' ? 'index.html' : (req.url ?? '')));
    if (!path.startsWith(outDir) || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(path));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
}, 120_000);

afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

describe('the engine in the browser', () => {
  it('plays the golden path in the page with WebCrypto', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'], timeout: 30_000 });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url, { timeout: 30_000 });
      await page.waitForSelector('body[data-ready]', { timeout: 30_000 });
      expect(errors).toEqual([]);
      expect(await page.evaluate(() => document.body.dataset.ready)).toBe('ok');
      expect(await page.textContent('#status')).toContain('all steps and expectations hold');
      expect(await page.textContent('#output')).toMatch(/sample\s+helloworld-v1-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running/);
    } finally {
      await browser.close();
    }
  }, 90_000);
});
