import { describe, expect, it } from 'vitest';
import { commandContexts, exportScenario } from '../../../sim/scenario/export.ts';
import { parseScenario } from '../../../sim/scenario/format.ts';

const SCENARIO = `apiVersion: fedlab.dev/v1
kind: Scenario
metadata: { id: small, title: small }
clusters:
  - name: west
    trustDomain: west.local
    manifests:
      - inline: |
          apiVersion: apps/v1
          kind: Deployment
          metadata: { name: web, namespace: app }
          spec:
            selector: { matchLabels: { app: web } }
            template:
              metadata: { labels: { app: web } }
              spec: { containers: [{ name: web, image: nginx }] }
          ---
          apiVersion: v1
          kind: Namespace
          metadata: { name: app }
          ---
          apiVersion: v1
          kind: ConfigMap
          metadata: { name: gone, namespace: app }
  - name: east
    trustDomain: east.local
steps:
  - patch: { cluster: west, kind: Deployment, name: web, namespace: app, type: merge, patch: { spec: { replicas: 3 } } }
  - patch: { cluster: west, kind: Deployment, name: web, namespace: app, type: strategic, patch: { spec: { template: { spec: { containers: [{ name: web, image: nginx:2 }] } } } } }
  - delete: { cluster: west, kind: ConfigMap, name: gone, namespace: app }
  - name: read the bundle
    run: { cluster: east, command: "spire-server bundle show", capture: eastBundle }
  - stop: { cluster: east, component: spire-server }
  - apply:
      cluster: west
      inline: |
        apiVersion: v1
        kind: ConfigMap
        metadata: { name: bundle, namespace: app }
        data:
          bundle: |
        {{ captures.eastBundle | indent 4 }}
`;

describe('exportScenario', () => {
  it('orders Namespaces first, folds merge patches and deletes, keeps a strategic list patch as a command, and marks captures', () => {
    const parsed = parseScenario(SCENARIO, 'small.yaml');
    if (!parsed.ok) throw new Error(parsed.error.message);
    const r = exportScenario(parsed.value, { variant: 'broken', readFile: () => undefined });
    if (!r.ok) throw new Error(r.error.message);
    const files = Object.fromEntries(r.value.files.map((f) => [f.path, f.text]));
    expect(Object.keys(files).filter((p) => p.startsWith('west/')).sort()).toEqual(['west/00-namespace-app.yaml', 'west/01-deployment-web.yaml', 'west/02-configmap-bundle.yaml', 'west/README.md']);
    expect(Object.keys(files).filter((p) => p.startsWith('east/'))).toEqual(['east/README.md']);
    expect(files['west/01-deployment-web.yaml']).toMatch(/# folded in: steps\[0\] \(merge patch\)\n[^]*replicas: 3/);
    expect(r.value.problems).toEqual([]);
    const steps = files['STEPS.md']!;
    expect(steps).toContain(`kubectl --context west patch deployment web -n app --type strategic -p '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:2"}]}}}}'`);
    expect(steps).toContain('Lab fault injection, not exported: stop spire-server in east.');
    expect(files['README.md']).toContain('- ConfigMap/gone in west (deleted by steps[2])');
    // A command without --context runs against its step's cluster; the capture's consumer says where it comes from.
    const bundle = files['west/02-configmap-bundle.yaml']!;
    expect(bundle).toContain('FEDLAB-PASTE-eastBundle');
    expect(bundle).toContain('# Replace FEDLAB-PASTE-eastBundle with the output of steps[3] "read the bundle" (contexts: east):');
    expect(files['east/README.md']).toContain('spire-server bundle show');
  });

  it('resolves the contexts a command names, through the variables earlier lines set', () => {
    const vars = new Map<string, string>();
    expect(commandContexts('export CTX_A=east; export CTX_B=west', vars, ['east', 'west'])).toEqual([]);
    expect(commandContexts('kubectl --context="${CTX_B}" get x | kubectl --context $CTX_A apply -f - ; oc --context=east get y', vars, ['east', 'west'])).toEqual(['west', 'east']);
    expect(commandContexts('kubectl --context north get x', vars, ['east', 'west'])).toEqual([]);
  });
});
