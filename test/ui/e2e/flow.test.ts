// The trainee's whole flow in the browser lab served by `fedlab start` (engine in Node, page over ws):
// pick M08 (an AuthorizationPolicy naming east's curl with `spiffe://`), play to the failure, open the
// failing call and its chain, inspect the client's certificate, fix the principal by typing in
// CodeMirror, apply and see the what-if flip and the calls succeed, pass the training check, reload
// and find the edit kept, export it, refuse a bad import. Then the static build (no server) does the
// editor + what-if in the page. Screenshots of each view: test-artifacts/ui/<view>.png.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/shared.ts';
import { diskFiles } from '../../../server/http/files.ts';
import { startLabServer, type LabServer } from '../../../server/http/server.ts';
import { buildUi, launch, openPage, screenshot, serveStatic } from './helpers.ts';

const M08 = 'scenarios/catalogue/m08-authorizationpolicy-spiffe-prefix.yaml';
const BROKEN_LINE = /^\s+principals: \["spiffe:\/\/east\.local\/ns\/default\/sa\/curl"\]$/;
let served: Awaited<ReturnType<typeof buildUi>> | undefined;
let staticBuild: Awaited<ReturnType<typeof buildUi>> | undefined;
let server: LabServer | undefined;
let site: Awaited<ReturnType<typeof serveStatic>> | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  served = await buildUi('served');
  server = await startLabServer({ host: '127.0.0.1', port: 0, distDir: served.dir, files: diskFiles(repoRoot), defaultScenario: 'scenarios/golden-path.yaml' });
  browser = await launch();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await site?.close();
  served?.remove();
  staticBuild?.remove();
});

const settled = (page: Page): Promise<unknown> => page.waitForFunction(() => document.body.dataset.busy !== 'true' && document.body.dataset.ready === 'true');
const BROKEN_LINE_M = new RegExp(BROKEN_LINE.source, 'm');
const editorText = (page: Page): Promise<string> => page.evaluate(() => (window as unknown as { fedlabWork: { editor: { current(): { text: string } } } }).fedlabWork.editor.current().text);
const tab = (page: Page, name: string): Promise<void> => page.click(`#tabs button[data-tab="${name}"]`);

/** Types the fix into CodeMirror: on the policy's principals line, delete the `spiffe://` prefix. */
async function typeFix(page: Page): Promise<void> {
  const line = page.locator('#tab-editor .cm-line').filter({ hasText: BROKEN_LINE });
  await line.click();
  await page.keyboard.press('End');
  for (let i = 0; i < 'east.local/ns/default/sa/curl"]'.length; i++) await page.keyboard.press('ArrowLeft');
  for (let i = 0; i < 'spiffe://'.length; i++) await page.keyboard.press('Backspace');
  // Playwright scrolled the wide line into view to click it; scroll back for the screenshot.
  await page.evaluate(() => document.querySelector('#tab-editor .cm-scroller')?.scrollTo({ left: 0 }));
}

async function applyAndWait(page: Page): Promise<void> {
  await page.click('#editor-apply');
  await page.waitForFunction(() => document.getElementById('tab-editor')?.dataset.whatif === 'done', undefined, { timeout: 150_000 });
  await page.waitForFunction(() => document.body.dataset.busy !== 'true');
}

describe('the trainee flow (served)', () => {
  it('breaks, diagnoses, fixes, keeps and exports an M08 edit', async () => {
    const { page, errors } = await openPage(browser!);
    try {
      await page.goto(`${server!.url}/`);
      await settled(page);

      // Pick the catalogue scenario and play it to the failure.
      await page.selectOption('#scenario', M08);
      await page.waitForFunction((f) => location.hash.includes(encodeURIComponent(f)) && document.body.dataset.ready === 'true', M08);
      await page.click('#end');
      await page.waitForFunction(() => document.body.dataset.verdict !== 'pending' && document.body.dataset.busy !== 'true', undefined, { timeout: 90_000 });

      // The failing call, stage by stage: RBAC denied it, with the policy in its chain.
      await tab(page, 'calls');
      await page.waitForSelector('.call-table tr.call[data-ok="false"]');
      await page.click('.call-table tr.call[data-ok="false"]');
      await page.waitForSelector('.stage-row.failing[data-stage="rbac"]');
      expect(await page.locator('.strip .cell[data-stage="rbac"]').getAttribute('data-status')).toBe('fail');
      expect(await page.locator('.strip .cell[data-stage="server-tls"]').getAttribute('data-status')).toBe('ok');
      expect(await page.textContent('.call-head')).toContain('403');
      await page.waitForSelector('.stage-row.failing a.fileref');
      expect(await page.textContent('.why')).toContain('AuthorizationPolicy/default/allow-curl-from-east');
      await screenshot(page, 'calls');

      // The chain's object opens in the inspector (its YAML) and its manifest line in the editor.
      await page.click('.why a.ref');
      await page.waitForSelector('.inspection-object');
      expect(await page.textContent('.inspection-object h3')).toBe('AuthorizationPolicy default/allow-curl-from-east');
      await page.waitForFunction(() => !document.getElementById('tab-editor')!.hidden && /m08-authorizationpolicy-spiffe-prefix\.yaml:\d+/.test(document.getElementById('editor-status')?.textContent ?? ''));
      expect(await page.textContent('#tab-editor .cm-activeLine')).toContain('apiVersion: security.istio.io/v1');
      await screenshot(page, 'editor-chain-ref');

      // Inspect a certificate: the client's sidecar SVID, its SPIFFE ID, valid at virtual now, east's bundle.
      await tab(page, 'calls');
      await page.click('.call-tools button:has-text("client proxy")');
      await page.waitForSelector('.inspection-proxy .cert[data-spiffe-id="spiffe://east.local/ns/default/sa/curl"]');
      const proxy = await page.textContent('.inspection-proxy');
      expect(proxy).toContain('valid now');
      expect(proxy).toContain('the east.local bundle in east/spire-server');
      expect(proxy).toContain('west.local');
      await screenshot(page, 'inspector-certificate');

      // The SPIRE server inspector: entries, bundles, federation with its refresh state.
      await page.click('svg g.pod[data-id^="pod:west/"][data-id$="/spire-server-0"] rect.body');
      await page.waitForSelector('.inspection-spire-server table.federation');
      const spire = await page.textContent('.inspection-spire-server');
      expect(spire).toContain('SPIRE server in west');
      expect(spire).toMatch(/east\.local.*https:\/\//);
      expect(await page.locator('.inspection-spire-server table.entries tr').count()).toBeGreaterThan(2);
      await screenshot(page, 'inspector-spire-server');

      // Fix the principal by typing in the editor, apply: the what-if flips the broken expectations
      // (the 403s are gone) and the calls answer 200 from v2 in west.
      await tab(page, 'editor');
      await typeFix(page);
      const typed = await editorText(page);
      expect(typed.match(/^\s+principals: \["east\.local\/ns\/default\/sa\/curl"\]$/gm)).toHaveLength(2);
      expect(typed).not.toMatch(BROKEN_LINE_M);
      await applyAndWait(page);
      expect(await page.textContent('#whatif .headline')).toBe('expectations holding: 2/2 → 0/2 (the run now fails)');
      expect(await page.textContent('#whatif .wi-calls li[data-changed="true"]')).toMatch(/403 → 200 from west\/helloworld-v2/);
      await screenshot(page, 'editor-whatif');

      await tab(page, 'calls');
      await page.waitForFunction(() => document.querySelectorAll('.call-table tr.call').length > 0 && document.querySelectorAll('.call-table tr.call[data-ok="false"]').length === 0, undefined, { timeout: 90_000 });
      expect(await page.locator('.call-table td.served', { hasText: 'west/helloworld-v2' }).count()).toBeGreaterThan(0);
      await screenshot(page, 'calls-fixed');

      // Training: the fixed variant's expectations hold on the edited broken world — a pass, full score.
      await tab(page, 'training');
      await page.waitForSelector('#training-check');
      await page.click('.tr-hints button');
      await page.click('#training-check');
      await page.waitForFunction(() => document.querySelector('.tr-score')?.getAttribute('data-verdict') !== 'not-yet' || document.getElementById('tab-training')?.dataset.checking === 'false', undefined, { timeout: 120_000 });
      await page.waitForSelector('.tr-result');
      expect(await page.getAttribute('.tr-score', 'data-verdict')).toBe('passed');
      expect(await page.getAttribute('.tr-score', 'data-score')).toBe('90');
      await screenshot(page, 'training');

      // Terminal: a command per cluster context, stderr apart.
      await tab(page, 'terminal');
      await page.selectOption('.terminal select.context', 'west');
      await page.fill('.terminal input.command', 'kubectl get authorizationpolicy -n default -o yaml');
      await page.press('.terminal input.command', 'Enter');
      await page.waitForFunction(() => (document.querySelector('.terminal .screen')?.textContent ?? '').includes('- east.local/ns/default/sa/curl'));
      await page.fill('.terminal input.command', 'kubectl get pods -n nope-ns nope');
      await page.press('.terminal input.command', 'Enter');
      await page.waitForSelector('.terminal .block[data-exit="1"] pre.stderr');
      await page.press('.terminal input.command', 'ArrowUp');
      expect(await page.inputValue('.terminal input.command')).toBe('kubectl get pods -n nope-ns nope');
      await screenshot(page, 'terminal');
      // A certificate in the output opens in the certificate inspector.
      await page.selectOption('.terminal select.context', 'east');
      await page.fill('.terminal input.command', 'kubectl -n default get cm istio-ca-root-cert -o jsonpath="{.data.root-cert\\.pem}"');
      await page.press('.terminal input.command', 'Enter');
      await page.click('.terminal .block:last-child button:has-text("inspect certificate")');
      await page.waitForSelector('.inspection-certificate .cert');
      expect(await page.textContent('.inspection-certificate')).toContain('O = east.local');
      await screenshot(page, 'terminal-certificate');

      // Reload: the edit comes back from the browser's storage, the player replays with it.
      await page.reload();
      await settled(page);
      await page.waitForFunction(() => document.getElementById('tab-editor')?.dataset.restored === '1', undefined, { timeout: 60_000 });
      const st = await page.evaluate(() => (window as unknown as { fedlab: { driver: { state(): Promise<{ edited: string[] }> } } }).fedlab.driver.state());
      expect(st.edited).toEqual([M08]);
      await tab(page, 'editor');
      await page.waitForSelector('#tab-editor .cm-line');
      expect(await editorText(page)).not.toMatch(BROKEN_LINE_M);
      expect(await page.textContent('#editor-status')).toContain('restored 1 edited file');
      await screenshot(page, 'editor-restored');

      // Export: one YAML bundle with the scenario path and the edited file.
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#editor-export')]);
      expect(download.suggestedFilename()).toBe('m08-authorizationpolicy-spiffe-prefix.edited.yaml');
      const bundle = readFileSync((await download.path())!, 'utf8');
      expect(bundle).toContain('kind: ScenarioBundle');
      expect(bundle).toContain(`scenario: ${M08}`);
      expect(bundle).toContain('principals: ["east.local/ns/default/sa/curl"]');

      // A bad import is refused with file:line: field, and the current edit stays.
      await page.setInputFiles('#editor-import-file', { name: 'bad.yaml', mimeType: 'text/yaml', buffer: Buffer.from('apiVersion: fedlab.dev/v1\nkind: Scenario\n') });
      await page.waitForFunction(() => document.getElementById('tab-editor')?.dataset.importError !== undefined);
      expect(await page.textContent('#editor-status')).toContain('bad.yaml:2: kind: must be ScenarioBundle');
      expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('fedlab.edits.v1:')))).toEqual([`fedlab.edits.v1:${M08}`]);
      // And the good bundle imports cleanly.
      await page.setInputFiles('#editor-import-file', { name: 'm08.edited.yaml', mimeType: 'text/yaml', buffer: Buffer.from(bundle) });
      await page.waitForFunction(() => /imported 1 edited file/.test(document.getElementById('editor-status')?.textContent ?? ''));

      // Show the solution: the fixed variant loads, the cause and the fix are explained; the pass stands.
      await tab(page, 'training');
      await page.click('.tr-actions button:has-text("Show solution")');
      await page.waitForFunction(() => (document.getElementById('variant') as HTMLSelectElement).value === 'fixed' && document.body.dataset.ready === 'true');
      await page.waitForSelector('.tr-solution');
      expect(await page.textContent('.tr-solution')).toContain('east.local/ns/default/sa/curl');
      expect(await page.getAttribute('.tr-score', 'data-verdict')).toBe('passed');
      await screenshot(page, 'training-solution');
      expect(errors).toEqual([]);
    } catch (e) {
      await screenshot(page, 'failure-served-flow');
      throw new Error(`${e instanceof Error ? e.message : String(e)}\npage errors: ${errors.join('\n')}\neditor status: ${await page.textContent('#editor-status').catch(() => '?')}`, { cause: e });
    } finally {
      await page.close();
    }
  }, 600_000);
});

describe.skipIf(process.env.FLOW_SKIP_STATIC === '1')('the static build (no server)', () => {
  it('loads, plays a catalogue scenario and runs the what-if in the page', async () => {
    staticBuild = await buildUi('static');
    site = await serveStatic(staticBuild.dir, '/lab/');
    const { page, errors } = await openPage(browser!);
    try {
      await page.goto(`${site.url}#scenario=${encodeURIComponent(M08)}&variant=broken`);
      await settled(page);
      expect(await page.evaluate(() => document.body.dataset.mode)).toBe('worker');
      await page.click('#end');
      await page.waitForFunction(() => document.body.dataset.verdict !== 'pending' && document.body.dataset.busy !== 'true', undefined, { timeout: 120_000 });
      await tab(page, 'calls');
      await page.waitForSelector('.call-table tr.call[data-ok="false"]');
      await tab(page, 'editor');
      await page.waitForSelector('#tab-editor .cm-line');
      await typeFix(page);
      await applyAndWait(page);
      expect(await page.textContent('#whatif .headline')).toBe('expectations holding: 2/2 → 0/2 (the run now fails)');
      await screenshot(page, 'static-editor-whatif');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 400_000);
});
