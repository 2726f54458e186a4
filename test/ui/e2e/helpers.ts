// Shared by the browser tests: vite builds into temp dirs, a plain static file server (the static
// build needs nothing else), the lab server in-process on a free port, Debian's Chromium, and
// screenshots under test-artifacts/ui/ (gitignored).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { repoRoot } from '../../helpers/shared.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(repoRoot, 'test-artifacts/ui');
export const VIEWPORT = { width: 1280, height: 800 } as const;

/** Builds the page into a fresh temp dir: `static` (engine in the page, relative URLs) or served by the lab server. */
export async function buildUi(mode: 'static' | 'served'): Promise<{ dir: string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), `fedlab-ui-${mode}-`));
  await build({ configFile: join(repoRoot, 'vite.config.ts'), mode: mode === 'static' ? 'static' : 'production', logLevel: 'error', build: { outDir: dir, emptyOutDir: true } });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Serves `dir` on 127.0.0.1 under `prefix` (the static build must work from any path). */
export async function serveStatic(dir: string, prefix = '/'): Promise<{ url: string; close(): Promise<void> }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split(/[?#]/)[0]!;
    if (!path.startsWith(prefix)) return void res.writeHead(404).end();
    const rel = path.slice(prefix.length);
    const file = normalize(join(dir, rel === '' ? 'index.html' : rel));
    if (!file.startsWith(dir) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}${prefix}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'], timeout: 30_000 });
}

/** A page at 1280×800 that records uncaught errors. */
export async function openPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.setDefaultTimeout(60_000);
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}
