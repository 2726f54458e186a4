// Property: a manifest file mangled the way hand edits mangle YAML never crashes the YAML loader or the API
// server's admission path (`kubectl apply`: validation hook, then the three-way apply into a store); a
// problem is always reported as `file:line…` with a field or reason.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../sim/core/clock.ts';
import { Rng } from '../../../sim/core/rng.ts';
import type { Result, SimError } from '../../../sim/core/result.ts';
import { applyManifest } from '../../../sim/kube/apply.ts';
import { createCrdRegistry } from '../../../sim/kube/crds/registry.ts';
import { checkManifestDocuments } from '../../../sim/kube/manifestCheck.ts';
import type { KubeManifest, KubeObject } from '../../../sim/kube/object.ts';
import { createValidator } from '../../../sim/kube/schema/validator.ts';
import { ClusterStore } from '../../../sim/kube/store.ts';
import { parseYamlDocuments } from '../../../sim/kube/yaml.ts';
import { repoRoot } from '../../helpers/shared.ts';
import { escapeRegExp, mutations } from '../../helpers/yamlMutations.ts';

const FILES = ['scenarios/manifests/spire/helm-east.yaml', 'scenarios/manifests/openshift/001/spire-stack-cluster1.yaml', 'scenarios/manifests/mtls/server.yaml', 'scenarios/manifests/helloworld.yaml'];

describe('manifest loading and admission on malformed files', () => {
  // Found by the properties below.
  it('refuses a recursive alias and an alias bomb at the alias, as go-yaml does, instead of overflowing the stack', () => {
    const cyclic = parseYamlDocuments('apiVersion: v1\nkind: ConfigMap\ndata: &d\n  self: *d\n', 'cm.yaml');
    expect(!cyclic.ok && cyclic.error.message).toBe("cm.yaml:4:9: anchor 'd' value contains itself");
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x]', ...['b', 'c', 'd', 'e'].map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcd'[i]}`).join(', ')}]`)];
    const bomb = parseYamlDocuments(`${rows.join('\n')}\n`, 'bomb.yaml');
    expect(!bomb.ok && bomb.error.message).toMatch(/^bomb\.yaml:2:\d+: document contains excessive aliasing/);
    // A shared (non-recursive) alias is fine.
    const shared = parseYamlDocuments('a: &x { b: 1 }\nc: *x\n', 'ok.yaml');
    expect(shared.ok && shared.value[0]!.object).toEqual({ a: { b: 1 }, c: { b: 1 } });
  });

  it("refuses a workload selector of the wrong shape with the decoder's words instead of crashing", () => {
    const store = new ClusterStore({ clock: new VirtualClock(Date.UTC(2026, 0, 1)), rng: new Rng('selector') });
    store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    const deployment = (selector: unknown): KubeManifest => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector, template: { metadata: { labels: { app: '' } }, spec: { containers: [{ name: 'a', image: 'b' }] } } } });
    const refused = applyManifest(store, deployment({ matchLabels: { app: ['x'] } }), { namespace: 'default' });
    expect(!refused.ok && refused.error.message).toMatch(/spec\.selector: Invalid value: .*json: cannot unmarshal into Go struct field LabelSelector\.matchLabels of type string/);
    expect(applyManifest(store, deployment('app=web'), { namespace: 'default' }).ok).toBe(false);
    // JSON null in a map[string]string decodes to "": the selector app= matches the template's app: "".
    expect(applyManifest(store, deployment({ matchLabels: { app: null } }), { namespace: 'default' }).ok).toBe(true);
  });

  // Every CRD set the lab ships: Helm SPIRE, ZTWIM, Sail, Istio, Gateway API, Route, Subscription.
  const validator = createValidator({ registry: createCrdRegistry({ platform: 'openshift', ztwim: '1.0', spireCrds: true, sail: true, istio: '1.27', gatewayApi: 'standard' }), platform: 'openshift' });
  for (const file of FILES) {
    it(`never throws and always locates the problem: ${file}`, () => {
      const original = readFileSync(join(repoRoot, file), 'utf8');
      const parsed = parseYamlDocuments(original, file);
      expect(parsed.ok && checkManifestDocuments(parsed.value, validator).map((p) => p.message)).toEqual([]);
      const located = new RegExp(`^${escapeRegExp(file)}:\\d+(:\\d+)?: \\S`);
      fc.assert(
        fc.property(mutations, (m) => {
          const text = m.apply(original);
          const docs = parseYamlDocuments(text, file);
          if (!docs.ok) {
            expect(docs.error.message, m.name).toMatch(located);
            return;
          }
          for (const p of checkManifestDocuments(docs.value, validator)) {
            expect(p.message, m.name).toMatch(located);
            expect(p.field, m.name).not.toBe('');
            expect(p.reason, m.name).not.toBe('');
          }
          // kubectl apply's path: the API server's admission hook inside a store, then the three-way merge.
          const store = new ClusterStore({ clock: new VirtualClock(Date.UTC(2026, 0, 1)), rng: new Rng('malformed') });
          store.addAdmission((obj, old, op) => validator.hook(obj, old, op, { source: file }) as Result<KubeObject, SimError>);
          for (const d of docs.value) {
            // kubectl refuses a document without string apiVersion and kind before calling the server
            // (sim/cli/kubectl/session.ts readManifests; checkManifestDocument reports it above).
            if (typeof d.object.apiVersion !== 'string' || typeof d.object.kind !== 'string') continue;
            applyManifest(store, d.object as unknown as KubeManifest, { namespace: 'default' });
          }
        }),
        // The Helm chart's 49 documents cost ~40 ms a run (parse, check, apply): half the runs keep it fast.
        { numRuns: file.includes('helm-') ? 100 : 200, seed: 8 },
      );
    });
  }
});
