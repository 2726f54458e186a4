import { describe, expect, it } from 'vitest';
import { playScenario } from '../../../sim/scenario/index.ts';
import { play, scenarioFromText } from '../../helpers/scenario.ts';

const crypto = globalThis.crypto;
const noFiles = () => undefined;

describe('playing scenarios', () => {
  it('the golden path exchanges bundles through run … capture and templating', async () => {
    const r = await play('scenarios/golden-path.yaml');
    expect(r.steps.filter((s) => !s.ok)).toEqual([]);
    expect(r.expectations.filter((e) => !e.ok)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(JSON.parse(r.captures.westBundle!).keys[0]).toMatchObject({ use: 'x509-svid', kty: 'EC', crv: 'P-256' });
    const cftd = r.world.cluster('east')!.store.find('ClusterFederatedTrustDomain', undefined, 'west') as { spec: { trustDomainBundle: string } };
    expect(JSON.parse(cftd.spec.trustDomainBundle)).toEqual(JSON.parse(r.captures.westBundle!));
  });

  it('broken and fixed variants: the fix adds steps, expectations follow `when`', async () => {
    const broken = await play('scenarios/platform/one-way-bundle-exchange.yaml', 'broken');
    const fixed = await play('scenarios/platform/one-way-bundle-exchange.yaml', 'fixed');
    expect([broken.ok, fixed.ok]).toEqual([true, true]);
    expect(broken.steps.length).toBe(2);
    expect(fixed.steps.length).toBe(4);
    expect(broken.world.cluster('west')!.store.find('ClusterFederatedTrustDomain', undefined, 'east')).toBeUndefined();
    expect(fixed.world.cluster('west')!.store.find('ClusterFederatedTrustDomain', undefined, 'east')).toBeDefined();
  });

  it('is deterministic for a seed: same event log at different signing concurrency', async () => {
    const strip = (r: Awaited<ReturnType<typeof play>>) => r.world.events.all().map((e) => ({ ...e, data: JSON.stringify(e.data) }));
    const a = await play('scenarios/golden-path.yaml', 'broken', { seed: 42, signingConcurrency: 1 });
    const b = await play('scenarios/golden-path.yaml', 'broken', { seed: 42, signingConcurrency: 64 });
    const c = await play('scenarios/golden-path.yaml', 'broken', { seed: 43, signingConcurrency: 64 });
    expect(a.world.events.length).toBeGreaterThan(50);
    expect(strip(b)).toEqual(strip(a));
    const issued = (r: typeof a) => r.world.events.ofType('standin.svid.issued').map((e) => e.data);
    expect(issued(a).length).toBe(3);
    expect(issued(b)).toEqual(issued(a));
    expect(issued(c)).not.toEqual(issued(a)); // serials come from the seed
    const pods = (r: typeof a) => (r.world.cluster('east')!.store.list('Pod', { namespace: 'sample' }) as { ok: true; value: { metadata: { name: string }; status: { podIP: string } }[] }).value.map((p) => [p.metadata.name, p.status.podIP]);
    expect(pods(b)).toEqual(pods(a));
    expect(pods(c)).not.toEqual(pods(a));
    // key material is the one thing that differs
    const key = (r: typeof a) => [...r.world.identities.get('east')!.svids.values()][0]!.cert.spki;
    expect(key(a)).not.toEqual(key(b));
  });

  it('applies fix patches to the initial manifests of the fixed variant, and links failures to file lines and the cause', async () => {
    const text = `apiVersion: fedlab.dev/v1
kind: Scenario
metadata: { id: cm, title: ConfigMap value }
clusters:
  - name: west
    trustDomain: west.demo
    manifests:
      - inline: |
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: settings
            namespace: default
          data:
            mode: wrong
expect:
  - object: { kind: ConfigMap, name: settings, namespace: default, matches: { data: { mode: right } } }
cause: { kind: ConfigMap, name: settings, namespace: default, field: data.mode, reason: the mode is wrong }
fix:
  patches:
    - { kind: ConfigMap, name: settings, namespace: default, type: merge, patch: { data: { mode: right } } }
`;
    const s = scenarioFromText(text, 'cm.yaml');
    const broken = await playScenario(s, { variant: 'broken', crypto, readFile: noFiles });
    const fixed = await playScenario(s, { variant: 'fixed', crypto, readFile: noFiles });
    expect(fixed.ok).toBe(true);
    expect(broken.ok).toBe(false);
    const chain = broken.expectations[0]!.chain!;
    expect(chain.stages[0]).toMatchObject({ stage: 'object', ok: false, message: 'data.mode: expected "right", got "wrong"', refs: [{ cluster: 'west', kind: 'ConfigMap', name: 'settings', field: 'data.mode', file: 'cm.yaml#clusters[west].manifests[0]', line: 7 }] });
    expect(chain.stages[1]).toMatchObject({ stage: 'cause', message: 'the mode is wrong', refs: [{ field: 'data.mode', line: 7 }] });
  });

  it('reports a failing apply with kubectl\'s message and keeps going', async () => {
    const s = scenarioFromText(`apiVersion: fedlab.dev/v1
kind: Scenario
metadata: { id: nokind, title: No such kind }
clusters: [{ name: west, trustDomain: west.demo }]
steps:
  - apply:
      inline: |
        apiVersion: spire.openshift.io/v1alpha1
        kind: SpireServer
        metadata: { name: cluster }
  - run: { command: "echo still here", capture: out }
`);
    const r = await playScenario(s, { variant: 'broken', crypto, readFile: noFiles });
    expect(r.ok).toBe(false);
    expect(r.steps[0]!.message).toBe(
      'error: resource mapping not found for name: "cluster" namespace: "" from "inline.yaml#steps[0]": no matches for kind "SpireServer" in version "spire.openshift.io/v1alpha1"\nensure CRDs are installed first',
    );
    expect(r.captures.out).toBe('still here');
  });

  it('records faults as events and refuses rotateCA without a SPIRE server', async () => {
    const s = scenarioFromText(`apiVersion: fedlab.dev/v1
kind: Scenario
metadata: { id: faults, title: Faults }
clusters: [{ name: west, trustDomain: west.demo }, { name: east, trustDomain: east.demo }]
steps:
  - partition: { between: [west, east] }
  - stop: { cluster: west, component: spire-server }
  - dnsFailure: { cluster: east, host: spire-server-bundle-endpoint.west.demo }
  - heal: { between: [east, west] }
  - rotateCA: { cluster: west }
expect:
  - event: { type: net.link.partitioned, data: { between: [east, west] } }
  - event: { type: net.link.healed, count: 1 }
  - event: { type: net.component.stopped, source: west/spire-server }
`);
    const r = await playScenario(s, { variant: 'broken', crypto, readFile: noFiles });
    expect(r.expectations.every((e) => e.ok)).toBe(true);
    expect(r.steps[4]).toMatchObject({ ok: false, message: 'rotateCA: cluster west runs no SPIRE server to rotate' });
    expect(r.world.faults.reach('east', 'west', 'west/spire-server', 'spire-server-bundle-endpoint.west.demo')).toMatchObject({ ok: false, error: { code: 'net/dns-failure' } });
    expect(r.world.faults.reach('west', 'east', 'east/istiod')).toEqual({ ok: true, value: undefined });
  });

  it('matches command output with normalisers', async () => {
    const s = scenarioFromText(`apiVersion: fedlab.dev/v1
kind: Scenario
metadata: { id: norm, title: Normalise }
clusters: [{ name: west, trustDomain: west.demo, manifests: [{ inline: "apiVersion: apps/v1\\nkind: Deployment\\nmetadata: { name: web, namespace: default }\\nspec:\\n  selector: { matchLabels: { app: web } }\\n  template:\\n    metadata: { labels: { app: web } }\\n    spec: { containers: [{ name: web, image: nginx }] }\\n" }] }]
expect:
  - command:
      command: kubectl get pods -o name
      stdout: { equals: "pod/web-<hash>-<id>", normalize: [names] }
  - command:
      command: kubectl get pods -o jsonpath='{.items[0].status.podIP}'
      stdout: { equals: "<ip>", normalize: [ips] }
`);
    const r = await playScenario(s, { variant: 'broken', crypto, readFile: noFiles });
    expect(r.expectations.map((e) => e.message)).toEqual(['$ kubectl get pods -o name: as expected', "$ kubectl get pods -o jsonpath='{.items[0].status.podIP}': as expected"]);
  });
});
