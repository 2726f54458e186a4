/**
 * The static build's start and responsiveness, in headless Chromium (median of ROUNDS fresh
 * navigations, ms since navigation start): first contentful paint, the scenario picker filled, the
 * golden path loaded (`body[data-ready=true]`), the main thread's long tasks (> 50 ms) until then, and
 * while M08 plays to the end (`Driver.playTo({ end: true })`): the longest main-thread task and the animation frames
 * drawn. Timestamps come from a MutationObserver installed before the page's script, so they do not
 * depend on the page's own marks (the same bench measures an older build). The page also marks
 * `fedlab:scenarios-listed` and `fedlab:loaded` (ui/main.ts).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { median, type Measurement } from './measure.ts';
import { serveStatic } from '../test/ui/e2e/helpers.ts';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const CHROMIUM = '/usr/bin/chromium';
const ROUNDS = Number(process.env.START_ROUNDS ?? 3);

interface Sample {
  fcp: number;
  engine: number;
  listed: number;
  loaded: number;
  longTasksToLoaded: number;
  maxTaskPlaying: number;
  framesPlaying: number;
  playMs: number;
}

// Strings, not functions: tsx's transform would wrap named inner functions in a helper the page lacks.
const PROBE = `
  window.__start = {};
  window.__tasks = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__tasks.push({ start: e.startTime, duration: e.duration }); }).observe({ type: 'longtask', buffered: true });
  new MutationObserver(() => {
    if (window.__start.listed === undefined && document.querySelector('#scenario option')) window.__start.listed = performance.now();
    if (window.__start.loaded === undefined && document.body && document.body.dataset.ready === 'true') window.__start.loaded = performance.now();
  }).observe(document, { subtree: true, childList: true, attributes: true });
`;

const START = `(() => {
  const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
  const loaded = window.__start.loaded ?? NaN;
  const engine = performance.getEntriesByName('fedlab:engine-ready')[0]?.startTime ?? NaN;
  return { fcp, engine, listed: window.__start.listed ?? NaN, loaded, longTasksToLoaded: window.__tasks.filter((t) => t.start < loaded).reduce((n, t) => n + t.duration, 0) };
})()`;

// Loads M08 (the F07 mesh: a few seconds of engine work), then plays it to the end, counting animation
// frames and main-thread long tasks meanwhile.
const PLAY = `(async () => {
  await window.fedlab.driver.load({ file: 'scenarios/catalogue/m08-authorizationpolicy-spiffe-prefix.yaml' });
  let frames = 0;
  let on = true;
  requestAnimationFrame(function tick() { frames++; if (on) requestAnimationFrame(tick); });
  const t0 = performance.now();
  await window.fedlab.driver.playTo({ end: true });
  const t1 = performance.now();
  on = false;
  // Long-task entries are delivered asynchronously.
  await new Promise((r) => setTimeout(r, 200));
  const during = window.__tasks.filter((t) => t.start + t.duration >= t0 && t.start <= t1);
  return { maxTaskPlaying: Math.max(0, ...during.map((t) => t.duration)), framesPlaying: frames, playMs: t1 - t0 };
})()`;

export async function startBenchmarks(dir?: string): Promise<Measurement[]> {
  if (!existsSync(CHROMIUM)) return [{ name: 'static build start (Chromium)', value: Number.NaN, unit: 'ms', note: `${CHROMIUM} missing` }];
  const out = dir ?? mkdtempSync(join(tmpdir(), 'fedlab-bench-start-'));
  if (!dir) await build({ configFile: join(ROOT, 'vite.config.ts'), mode: 'static', logLevel: 'error', build: { outDir: out, emptyOutDir: true } });
  const site = await serveStatic(out, '/lab/');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'], timeout: 30_000 });
  const samples: Sample[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.addInitScript(PROBE);
      await page.goto(site.url, { timeout: 60_000 });
      await page.waitForFunction(() => document.body.dataset.ready === 'true', undefined, { timeout: 90_000 });
      const start = (await page.evaluate(START)) as Pick<Sample, 'fcp' | 'engine' | 'listed' | 'loaded' | 'longTasksToLoaded'>;
      const play = (await page.evaluate(PLAY)) as Pick<Sample, 'maxTaskPlaying' | 'framesPlaying' | 'playMs'>;
      samples.push({ ...start, ...play });
      await page.close();
    }
  } finally {
    await browser.close();
    await site.close();
    if (!dir) rmSync(out, { recursive: true, force: true });
  }
  const m = (k: keyof Sample): number => median(samples.map((s) => s[k]));
  return [
    { name: 'static start: first contentful paint', value: m('fcp'), unit: 'ms' },
    { name: 'static start: engine answering (fedlab:engine-ready, absent in older builds)', value: m('engine'), unit: 'ms' },
    { name: 'static start: scenario list ready', value: m('listed'), unit: 'ms' },
    { name: 'static start: golden path loaded', value: m('loaded'), unit: 'ms' },
    { name: 'static start: main-thread long tasks until loaded', value: m('longTasksToLoaded'), unit: 'ms' },
    { name: 'static play to end: longest main-thread task', value: m('maxTaskPlaying'), unit: 'ms', note: `play took ${Math.round(m('playMs'))} ms` },
    { name: 'static play to end: animation frames drawn', value: m('framesPlaying'), unit: 'frames' },
  ];
}

// `node bin/run-ts.mjs bench/start.bench.ts [BUILT_DIR]`: measures a build already made (or builds one).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const r of await startBenchmarks(process.argv[2])) process.stdout.write(`${r.name}: ${Math.round(r.value)} ${r.unit}${r.note ? ` (${r.note})` : ''}\n`);
}
