// SimDriver over the scenario library on disk: the player (forward continues the run, back replays it
// deterministically), the topology snapshot with a failing traffic link, inspectors, the terminal,
// manifests with diagnostics, and a what-if. One scenario (M02: the server rejects the client).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/shared.ts';
import { diskFiles } from '../../server/http/files.ts';
import { SimDriver, type DriverPush } from '../../sim/driver.ts';

const M02 = 'scenarios/catalogue/m02-peer-trust-domain-not-accepted.yaml';
const driver = new SimDriver({ files: diskFiles(repoRoot), crypto: globalThis.crypto });
const pushes: DriverPush[] = [];
driver.subscribe((m) => pushes.push(m));
afterAll(() => driver.dispose());

const podNames = async () => (await driver.snapshot()).clusters.flatMap((c) => c.pods.map((p) => p.id)).sort();

describe('SimDriver', () => {
  it('lists the catalogue with titles, hints and variants', async () => {
    const list = await driver.scenarios();
    const m02 = list.find((s) => s.file === M02)!;
    expect(m02).toMatchObject({ id: 'm02-peer-trust-domain-not-accepted', catalogue: 'M02', variants: ['broken', 'fixed'] });
    expect(m02.hints.length).toBeGreaterThan(0);
    expect(list.every((s) => s.file.startsWith('scenarios/'))).toBe(true);
    // Everything crosses a socket: plain JSON.
    expect(JSON.parse(JSON.stringify(list))).toEqual(list);
  });

  it('plays forward on the live run and back by replaying, deterministically', async () => {
    let s = await driver.load({ file: M02 });
    expect(s).toMatchObject({ position: 0, variant: 'broken', seed: 4 });
    expect(s.total).toBeGreaterThan(10);
    const run = s.run;
    s = await driver.playTo({ next: true });
    expect(s.position).toBe(1);
    expect(s.steps[0]!.outcome?.ok).toBe(true);
    expect(s.steps[0]!.timeJump?.text).toBe('30s');
    expect(s.run).toBe(run);
    s = await driver.playTo({ end: true });
    expect(s.position).toBe(s.total);
    expect(s.ok).toBe(true);
    expect(s.expectations?.every((e) => e.ok)).toBe(true);
    const atEnd = await podNames();
    const endTime = s.time;

    // The topology: a failing traffic link from curl in east, through west's gateway.
    const snap = await driver.snapshot();
    const traffic = snap.links.filter((l) => l.kind === 'traffic');
    expect(traffic.some((l) => l.health === 'failing' && l.from.startsWith('pod:east/default/curl-'))).toBe(true);
    expect(snap.links.some((l) => l.kind === 'federation' && l.health === 'healthy')).toBe(true);
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
    const calls = await driver.calls();
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.at(-1)!.trace.stages.length).toBeGreaterThan(0);

    // Back: a new run, held at step 2; then forward again lands on the same world.
    s = await driver.playTo({ position: 2 });
    expect(s.position).toBe(2);
    expect(s.run).toBeGreaterThan(run);
    expect(s.expectations).toBeUndefined();
    s = await driver.playTo({ time: endTime });
    expect(s.time).toBeLessThanOrEqual(endTime);
    await driver.playTo({ end: true });
    expect(await podNames()).toEqual(atEnd);
    expect(pushes.some((p) => p.type === 'snapshot')).toBe(true);
    expect(pushes.some((p) => p.type === 'events' && p.events.length > 0)).toBe(true);
  }, 120_000);

  it('inspects objects, proxies and SPIRE servers, and runs commands', async () => {
    const snap = await driver.snapshot();
    const curl = snap.clusters.find((c) => c.name === 'east')!.pods.find((p) => p.name.startsWith('curl-'))!;
    const obj = await driver.inspect({ type: 'object', cluster: 'east', kind: 'Pod', namespace: 'default', name: curl.name });
    expect(obj.type === 'object' && obj.yaml).toContain(`name: ${curl.name}`);
    const proxy = await driver.inspect({ type: 'proxy', cluster: 'east', namespace: 'default', pod: curl.name });
    if (proxy.type !== 'proxy') throw new Error(JSON.stringify(proxy));
    expect(proxy.default?.chain[0]).toMatchObject({ spiffeId: 'spiffe://east.local/ns/default/sa/curl', validity: 'valid', verifiedBy: { trustDomain: 'east.local' } });
    expect(proxy.rootCa?.trustDomains.map((t) => t.trustDomain).sort()).toEqual(['east.local', 'west.local']);
    const cert = await driver.inspect({ type: 'certificate', pem: proxy.default!.chain[0]!.pem });
    expect(cert.type === 'certificate' && cert.chain[0]!.serial).toBe(proxy.default!.chain[0]!.serial);
    const spire = await driver.inspect({ type: 'spire-server', cluster: 'west' });
    if (spire.type !== 'spire-server') throw new Error('not a server');
    expect(spire.federation.map((f) => f.trustDomain)).toEqual(['east.local']);
    expect(spire.bundles.map((b) => b.trustDomain).sort()).toEqual(['east.local', 'west.local']);
    const r = await driver.exec('east', 'kubectl get pods -n default -o name');
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    expect(r.stdout).toContain(`pod/${curl.name}`);
    expect((await driver.exec('nowhere', 'true')).exitCode).toBe(2);
  }, 60_000);

  it('lists the manifests and reports a broken edit with its file and line, then drops it', async () => {
    const m = await driver.manifests();
    const helm = m.files.find((f) => f.path === 'scenarios/manifests/spire/helm-west.yaml')!;
    expect(helm).toMatchObject({ cluster: 'west', role: 'cluster', edited: false });
    expect(m.files.find((f) => f.role === 'scenario')?.path).toBe(M02);
    // `fedlab analyze` over the scenario's manifests as its steps build them.
    expect(m.diagnostics.some((d) => d.source === 'analyze' && d.file === M02 && d.line > 1)).toBe(true);
    const broken = await driver.setManifests({ [helm.path]: `${helm.text}\n---\nkind: [unclosed\n` });
    expect(broken.files.find((f) => f.path === helm.path)?.edited).toBe(true);
    expect(broken.diagnostics.some((d) => d.file === helm.path && d.line > 1 && d.severity === 'error')).toBe(true);
    expect((await driver.state()).edited).toEqual([helm.path]);
    const back = await driver.setManifests({ [helm.path]: null });
    expect(back.diagnostics.filter((d) => d.file === helm.path && d.source === 'loader')).toEqual([]);
    expect((await driver.state()).edited).toEqual([]);
  }, 120_000);

  it('shows a missing remote secret as a failing discovery link (M04), and a healthy one once fixed', async () => {
    const file = 'scenarios/catalogue/m04-remote-secret-missing.yaml';
    await driver.load({ file, position: 1000 });
    const broken = (await driver.snapshot()).links.filter((l) => l.kind === 'discovery');
    expect(broken.map((l) => [l.from.split('/')[0], l.to, l.health])).toEqual([['pod:east', 'cluster:west', 'failing']]);
    await driver.load({ file, variant: 'fixed', position: 1000 });
    const fixed = (await driver.snapshot()).links.filter((l) => l.kind === 'discovery');
    expect(fixed.map((l) => [l.to, l.health])).toEqual([['cluster:west', 'healthy']]);
    await driver.load({ file: M02 });
  }, 120_000);

  it('what-if: an edit that keeps helloworld-v1 in east changes the calls and the first expectation', async () => {
    const text = readFileSync(join(repoRoot, M02), 'utf8');
    const edited = text.replace(`'{"spec":{"replicas":0}}'`, `'{"spec":{"replicas":1}}'`);
    expect(edited).not.toBe(text);
    const w = await driver.whatIf({ [M02]: edited });
    expect(w.before.ok).toBe(true);
    expect(w.expectations.find((e) => e.at === 'expect[0]')).toMatchObject({ changed: true, before: { ok: true }, after: { ok: false } });
    expect(w.calls.some((c) => c.changed && c.before?.status === 503 && c.after?.status === 200)).toBe(true);
    // The session is untouched.
    expect((await driver.state()).edited).toEqual([]);
  }, 120_000);
});
