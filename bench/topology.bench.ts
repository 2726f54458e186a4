/**
 * The UI target (DESIGN.md): a 3-cluster, 1,000-pod topology fully laid out (every pod at its final
 * position, no pending layout ticks) under 1 s after navigation, on the static build in headless
 * Chromium. The page marks `topology-laid-out` (performance.mark, ms since navigation start) right
 * after the synchronous layout and draw; median of 5 fresh navigations. Limit = the 1 s budget;
 * ratio = budget / measured (≥ 1 meets it). Also the pure layout function alone, in Node.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { layoutTopology } from '../ui/views/topology/layout.ts';
import { syntheticSnapshot } from '../ui/views/topology/synthetic.ts';
import { median, type Measurement } from './measure.ts';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const CHROMIUM = '/usr/bin/chromium';
const BUDGET_MS = 1000;
const ROUNDS = 5;

async function inBrowser(): Promise<number | undefined> {
  if (!existsSync(CHROMIUM)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'fedlab-bench-ui-'));
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dir) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  try {
    await build({ configFile: join(ROOT, 'vite.config.ts'), mode: 'static', logLevel: 'error', build: { outDir: dir, emptyOutDir: true } });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'], timeout: 30_000 });
    try {
      const samples: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
        await page.goto(`http://127.0.0.1:${port}/?bench=topology&pods=1000&clusters=3`, { timeout: 30_000 });
        await page.waitForFunction(() => document.body.dataset.laidOut !== undefined, undefined, { timeout: 30_000 });
        samples.push(await page.evaluate(() => performance.getEntriesByName('topology-laid-out')[0]!.startTime));
        await page.close();
      }
      return median(samples);
    } finally {
      await browser.close();
    }
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function topologyBenchmarks(): Promise<Measurement[]> {
  const snapshot = syntheticSnapshot(3, 1000);
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    layoutTopology(snapshot);
    times.push(performance.now() - t);
  }
  const out: Measurement[] = [{ name: 'topology layout, 3 clusters × 1,000 pods (pure function)', value: median(times), unit: 'ms' }];
  const page = await inBrowser();
  if (page === undefined) out.push({ name: 'topology laid out after navigation (static build, Chromium)', value: Number.NaN, unit: 'ms', note: `${CHROMIUM} missing` });
  else out.push({ name: 'topology laid out after navigation (static build, Chromium)', value: page, unit: 'ms', limit: BUDGET_MS, ratio: BUDGET_MS / page, note: 'budget 1 s; ratio ≥ 1 meets it' });
  return out;
}
