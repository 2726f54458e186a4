// The browser lab served by `fedlab start`'s server (the engine in Node, the page over ws): load,
// pick a catalogue scenario, play to its failure, see the failing link, inspect a proxy's
// certificate, scrub back, read the event log (the terminal, calls, editor and training have their own
// flow test). Screenshots of each view go to test-artifacts/ui/.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/shared.ts';
import { diskFiles } from '../../../server/http/files.ts';
import { startLabServer, type LabServer } from '../../../server/http/server.ts';
import { buildUi, launch, openPage, screenshot } from './helpers.ts';

const M02 = 'scenarios/catalogue/m02-peer-trust-domain-not-accepted.yaml';
let built: Awaited<ReturnType<typeof buildUi>>;
let server: LabServer;
let browser: Browser;

beforeAll(async () => {
  built = await buildUi('served');
  server = await startLabServer({ host: '127.0.0.1', port: 0, distDir: built.dir, files: diskFiles(repoRoot), defaultScenario: 'scenarios/golden-path.yaml' });
  browser = await launch();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  built?.remove();
});

async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.busy !== 'true' && document.body.dataset.ready === 'true');
}

describe('the lab served by fedlab start', () => {
  it('loads the golden path, plays a catalogue scenario to its failure and inspects it', async () => {
    const { page, errors } = await openPage(browser);
    try {
      await page.goto(`${server.url}/`);
      await settled(page);
      expect(await page.evaluate(() => document.body.dataset.mode)).toBe('remote');
      expect(await page.inputValue('#scenario')).toBe('scenarios/golden-path.yaml');
      await screenshot(page, '01-loaded-golden-path');

      // Pick the catalogue scenario; the player starts at position 0 (manifests applied).
      await page.selectOption('#scenario', M02);
      await page.waitForFunction((f) => location.hash.includes(encodeURIComponent(f)) && document.body.dataset.ready === 'true', M02);
      expect(await page.evaluate(() => document.body.dataset.position)).toBe('0');
      await page.click('#step');
      await page.waitForFunction(() => document.body.dataset.position === '1' && document.body.dataset.busy !== 'true');

      // Play to the end: the curls fail, the traffic link turns red, the broken variant's expectations hold.
      await page.click('#end');
      await page.waitForFunction(() => document.body.dataset.verdict !== 'pending' && document.body.dataset.busy !== 'true', undefined, { timeout: 90_000 });
      expect(await page.evaluate(() => document.body.dataset.verdict)).toBe('ok');
      const failing = page.locator('svg path.link-traffic[data-health="failing"]');
      expect(await failing.count()).toBeGreaterThan(0);
      await screenshot(page, '02-topology-failing-link');

      // Timeline: the time jumps are marked, every step has run.
      expect(await page.locator('.track .stop.jump').count()).toBeGreaterThan(0);
      expect(await page.locator('.expectations li[data-ok="true"]').count()).toBeGreaterThan(0);

      // Inspect the client's sidecar: its SVID with the SPIFFE ID, valid at virtual now, verified by east's bundle.
      const curl = page.locator('svg g.pod[data-id^="pod:east/default/curl-"] rect.body');
      await curl.click();
      await page.waitForSelector('.inspection-proxy .cert');
      const cert = page.locator('.inspection-proxy .cert').first();
      expect(await cert.getAttribute('data-spiffe-id')).toBe('spiffe://east.local/ns/default/sa/curl');
      expect(await cert.textContent()).toContain('valid');
      expect(await page.textContent('.inspection-proxy')).toContain('east.local bundle');
      await screenshot(page, '03-inspector-certificate');

      // Scrub back: the run replays to step 3 deterministically (same pod names).
      const podsAtEnd = await page.evaluate(() => (window as unknown as { fedlab: { snapshot: { clusters: { pods: { name: string }[] }[] } } }).fedlab.snapshot.clusters[0]!.pods.map((p) => p.name).sort());
      await page.click('.track .stop[data-position="3"]');
      await page.waitForFunction(() => document.body.dataset.position === '3' && document.body.dataset.busy !== 'true');
      await page.click('#end');
      await page.waitForFunction(() => document.body.dataset.position === document.body.dataset.total && document.body.dataset.verdict !== 'pending' && document.body.dataset.busy !== 'true', undefined, { timeout: 90_000 });
      const podsAgain = await page.evaluate(() => (window as unknown as { fedlab: { snapshot: { clusters: { pods: { name: string }[] }[] } } }).fedlab.snapshot.clusters[0]!.pods.map((p) => p.name).sort());
      expect(podsAgain).toEqual(podsAtEnd);

      // Events on the virtual clock.
      await page.click('#tabs button[data-tab="events"]');
      await page.fill('.events .filter', 'mesh.call');
      expect(await page.locator('.events tr').count()).toBeGreaterThan(0);
      await screenshot(page, '04-events');

      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 240_000);
});
