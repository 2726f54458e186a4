// The static build (`npm run build:static`): the engine runs in a Web Worker of the page with
// WebCrypto, no server, served from a sub-path by a plain file server. It loads the golden path, plays
// it to the end and finds every expectation holding; the page keeps drawing frames while the worker
// plays M08; `?engine=page` (the fallback when no worker starts) still plays and says so; training
// hides a challenge's title and analyze's diagnostics until they are earned; the layout bench page
// lays out 1,000 pods synchronously.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUi, launch, openPage, screenshot, serveStatic } from './helpers.ts';

const M08 = 'scenarios/catalogue/m08-authorizationpolicy-spiffe-prefix.yaml';
const F07 = 'scenarios/f07-istio-spire-federation-sample.yaml';

// A string, not a function: the test transform would wrap named inner functions in a helper the page lacks.
const PLAY_COUNTING_FRAMES = `(async () => {
  const times = [];
  let on = true;
  requestAnimationFrame(function tick() { times.push(performance.now()); if (on) requestAnimationFrame(tick); });
  const t0 = performance.now();
  const s = await window.fedlab.driver.playTo({ end: true });
  const t1 = performance.now();
  on = false;
  const during = [t0, ...times.filter((t) => t >= t0 && t <= t1), t1];
  const maxGap = Math.max(...during.slice(1).map((t, i) => t - during[i]));
  return { frames: during.length - 2, ms: t1 - t0, maxGap, ok: s.ok, position: s.position, total: s.total };
})()`;

let built: Awaited<ReturnType<typeof buildUi>>;
let site: Awaited<ReturnType<typeof serveStatic>>;
let browser: Browser;

beforeAll(async () => {
  built = await buildUi('static');
  site = await serveStatic(built.dir, '/some/path/');
  browser = await launch();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  built?.remove();
});

describe('the static build', () => {
  it('plays the golden path in the page without a server', async () => {
    const { page, errors } = await openPage(browser);
    try {
      await page.goto(site.url);
      await page.waitForFunction(() => document.body.dataset.ready === 'true');
      expect(await page.evaluate(() => document.body.dataset.mode)).toBe('worker');
      expect(await page.textContent('#mode')).toBe('engine in a worker');
      await page.click('#end');
      await page.waitForFunction(() => document.body.dataset.verdict !== 'pending' && document.body.dataset.busy !== 'true', undefined, { timeout: 90_000 });
      expect(await page.evaluate(() => document.body.dataset.verdict)).toBe('ok');
      expect(await page.locator('svg g.pod[data-id^="pod:east/"]').count()).toBeGreaterThan(0);
      expect(await page.locator('.expectations li[data-ok="true"]').count()).toBeGreaterThan(0);
      await screenshot(page, '10-static-golden-path');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('stays responsive while the worker plays a scenario', async () => {
    const { page, errors } = await openPage(browser);
    try {
      await page.goto(`${site.url}#scenario=${encodeURIComponent(M08)}&variant=broken`);
      await page.waitForFunction(() => document.body.dataset.ready === 'true');
      // A requestAnimationFrame counter runs while the driver plays M08 to the end (the F07 mesh: the
      // engine works for a good fraction of a second). On the main thread it would not advance.
      const r = (await page.evaluate(PLAY_COUNTING_FRAMES)) as { frames: number; ms: number; maxGap: number; ok: boolean; position: number; total: number };
      expect(r.position).toBe(r.total);
      // The broken variant's expectations (the 403s) hold.
      expect(r.ok).toBe(true);
      expect(r.frames, `frames drawn while playing for ${Math.round(r.ms)} ms (longest gap ${Math.round(r.maxGap)} ms)`).toBeGreaterThanOrEqual(5);
      await page.waitForFunction(() => document.body.dataset.verdict === 'ok');
      await screenshot(page, '12-static-worker-m08');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('falls back to the engine in the page and says so', async () => {
    const { page, errors } = await openPage(browser);
    try {
      await page.goto(`${site.url}?engine=page`);
      await page.waitForFunction(() => document.body.dataset.ready === 'true');
      expect(await page.evaluate(() => document.body.dataset.mode)).toBe('local');
      expect(await page.textContent('#status')).toContain('no worker (asked for by ?engine=page): the engine runs in this page');
      await page.click('#end');
      await page.waitForFunction(() => document.body.dataset.verdict !== 'pending' && document.body.dataset.busy !== 'true', undefined, { timeout: 90_000 });
      expect(await page.evaluate(() => document.body.dataset.verdict)).toBe('ok');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  it("hides a challenge's title and analyze's diagnostics in training until they are earned", async () => {
    const { page, errors } = await openPage(browser);
    const optionText = (): Promise<string> => page.evaluate(() => (document.getElementById('scenario') as HTMLSelectElement).selectedOptions[0]?.textContent ?? '');
    const badge = async (): Promise<string> => (await page.textContent('#tab-editor .diag-badge')) ?? '';
    try {
      await page.goto(site.url);
      await page.waitForFunction(() => document.body.dataset.ready === 'true');
      await page.click('#tabs button[data-tab="training"]');
      await page.selectOption('.tr-select', M08);
      await page.click('.tr-pick button:has-text("Start challenge")');
      await page.waitForFunction((f) => location.hash.includes(encodeURIComponent(f)) && document.body.dataset.ready === 'true' && document.body.dataset.training === 'true', M08);
      expect(await optionText()).toBe('Challenge M08 · beginner');
      const labels = await page.locator('#scenario option').allTextContents();
      expect(labels.some((l) => l.includes('spiffe://'))).toBe(false);
      expect(labels).toContain('F07 · ' + (await page.evaluate((f) => (window as unknown as { fedlab: { driver: { scenarios(): Promise<{ file: string; title: string }[]> } } }).fedlab.driver.scenarios().then((l) => l.find((s) => s.file === f)!.title), F07)));
      expect(await page.textContent('#status')).toBe('Challenge M08 · beginner — broken');

      // The editor: analyze's FL0112 (it names the field) is held back until the last hint.
      await page.click('#tabs button[data-tab="editor"]');
      await page.waitForFunction(() => /diagnostics hidden in training — use a hint/.test(document.querySelector('#tab-editor .diag-badge')?.textContent ?? ''));
      expect(await badge()).toBe('diagnostics hidden in training — use a hint');
      // The scenario file opens with its spoiler blocks folded; the steps (the inline manifests) stay open.
      await page.waitForSelector('#tab-editor .cm-foldPlaceholder');
      const shown = (await page.textContent('#tab-editor .cm-content')) ?? '';
      expect(shown).not.toContain('names the foreign principal');
      expect(shown).toContain('folded in training');
      expect(shown).toContain('extends: ../f07-istio-spire-federation-sample.yaml');
      await screenshot(page, '13-training-spoilers-hidden');
      await page.click('#tabs button[data-tab="training"]');
      for (let i = 0; i < 3; i++) await page.click('.tr-hints button');
      await page.click('#tabs button[data-tab="editor"]');
      await page.waitForFunction(() => /⚠ 1 diagnostic/.test(document.querySelector('#tab-editor .diag-badge')?.textContent ?? ''));
      expect(await badge()).not.toContain('hidden');
      // The title is still hidden (hints do not solve it); the solution shows it.
      expect(await optionText()).toBe('Challenge M08 · beginner');
      await page.click('#tabs button[data-tab="training"]');
      await page.click('.tr-actions button:has-text("Show solution")');
      await page.waitForFunction(() => (document.getElementById('variant') as HTMLSelectElement).value === 'fixed' && document.body.dataset.ready === 'true');
      await page.waitForFunction(() => ((document.getElementById('scenario') as HTMLSelectElement).selectedOptions[0]?.textContent ?? '').startsWith('M08 · AuthorizationPolicy'));
      // Picking another scenario in the header leaves training mode.
      await page.selectOption('#scenario', 'scenarios/golden-path.yaml');
      await page.waitForFunction(() => document.body.dataset.training === 'false' && document.body.dataset.ready === 'true');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('lays out a 3-cluster, 1,000-pod topology in one pass', async () => {
    const { page, errors } = await openPage(browser);
    try {
      await page.goto(`${site.url}?bench=topology&pods=1000&clusters=3`);
      await page.waitForFunction(() => document.body.dataset.laidOut !== undefined);
      expect(await page.evaluate(() => document.body.dataset.pods)).toBe('1000');
      expect(await page.locator('svg g.pod').count()).toBe(1000);
      await screenshot(page, '11-topology-1000-pods');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});
