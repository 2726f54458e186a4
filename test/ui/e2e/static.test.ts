// The static build (`npm run build:static`): the engine runs in the page with WebCrypto, no server,
// served from a sub-path by a plain file server. It loads the golden path, plays it to the end and
// finds every expectation holding; the layout bench page lays out 1,000 pods synchronously.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUi, launch, openPage, screenshot, serveStatic } from './helpers.ts';

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
      expect(await page.evaluate(() => document.body.dataset.mode)).toBe('local');
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
