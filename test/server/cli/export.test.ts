// `fedlab export`: a scenario variant as manifests per context, the human steps as comments and a checklist,
// every manifest checked as the API server would (the files are read back and checked again here).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCrdRegistry, type ClusterProducts } from '../../../sim/kube/crds/registry.ts';
import { checkManifestDocuments } from '../../../sim/kube/manifestCheck.ts';
import { createValidator } from '../../../sim/kube/schema/validator.ts';
import { parseYamlDocuments } from '../../../sim/kube/yaml.ts';
import { fedlab } from '../../helpers/cli.ts';
import { repoRoot } from '../../helpers/shared.ts';

const F07 = join(repoRoot, 'scenarios/f07-istio-spire-federation-sample.yaml');
const F01 = join(repoRoot, 'scenarios/f01-ossm-ztwim-federation.yaml');
const fresh = (): string => mkdtempSync(join(tmpdir(), 'fedlab-export-'));
const manifests = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

/** Every exported file is one document that parses and passes the API server's checks for its cluster. */
function expectValid(dir: string, products: ClusterProducts): void {
  const validator = createValidator({ registry: createCrdRegistry(products), platform: products.platform ?? 'kubernetes' });
  for (const f of manifests(dir)) {
    const text = readFileSync(join(dir, f), 'utf8');
    expect(text.startsWith('# Exported by fedlab'), f).toBe(true);
    const docs = parseYamlDocuments(text, f);
    expect(docs.ok, f).toBe(true);
    if (!docs.ok) continue;
    expect(docs.value, f).toHaveLength(1);
    expect(checkManifestDocuments(docs.value, validator).map((p) => p.message), f).toEqual([]);
  }
}

describe('fedlab export', () => {
  it('exports F07 fixed per context, in apply order, with the bundle exchange as comments on the right contexts', async () => {
    const out = join(fresh(), 'out');
    const r = await fedlab(['export', F07, '--variant', 'fixed', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('every manifest passed');
    const east = manifests(join(out, 'east'));
    const west = manifests(join(out, 'west'));
    // Namespace first; the SPIRE chart's objects; the DestinationRule (a later apply step) last, east only.
    expect(east[0]).toBe('00-namespace-spire.yaml');
    expect(west[0]).toBe('00-namespace-spire.yaml');
    expect(east.at(-1)).toBe('26-destinationrule-allow-federated-trust-domain.yaml');
    expect(west.some((f) => f.includes('destinationrule'))).toBe(false);
    expect(east).toContain('22-statefulset-spire-server.yaml');
    // Objects the lab creates (istiod, the gateway, helloworld from istioctl/kubectl commands) are not exported.
    expect(east.some((f) => /istiod|helloworld|curl/.test(f))).toBe(false);
    const products: ClusterProducts = { platform: 'kubernetes', ztwim: false, spireCrds: true, istio: '1.27', gatewayApi: 'standard' };
    expectValid(join(out, 'east'), products);
    expectValid(join(out, 'west'), products);

    // The DestinationRule's header carries the human steps before it, with their contexts.
    const dr = readFileSync(join(out, 'east', east.at(-1)!), 'utf8');
    expect(dr).toContain('# Before applying this file');
    expect(dr).toMatch(/# {3}step \d+, steps\[2\] "Federate bundles — east trusts west" — contexts: west, east:/);
    expect(dr).toContain('#   west_bundle=$(kubectl --context="${CTX_CLUSTER_WEST}" exec -c spire-server -n spire --stdin spire-server-0  -- spire-server bundle show -format spiffe)');
    expect(dr).toMatch(/steps\[3\] "Federate bundles — west trusts east" — contexts: east, west:/);
    expect(dr).toMatch(/istioctl --context="\$\{CTX_CLUSTER_WEST\}" create-remote-secret/);
    // West has no later manifest: its README lists the steps that touch it.
    const westReadme = readFileSync(join(out, 'west', 'README.md'), 'utf8');
    expect(westReadme).toMatch(/steps\[2\] "Federate bundles — east trusts west" — contexts: west, east/);
    expect(westReadme).toContain('spire-server bundle show -format spiffe');

    // STEPS.md: initial manifests of both contexts, then the bundle exchange, istioctl, … then the DestinationRule.
    const steps = readFileSync(join(out, 'STEPS.md'), 'utf8');
    const at = (s: string): number => steps.indexOf(s);
    expect(at('kubectl --context east apply')).toBeGreaterThan(0);
    expect(at('kubectl --context east apply')).toBeLessThan(at('kubectl --context west apply'));
    expect(at('kubectl --context west apply')).toBeLessThan(at('Federate bundles — east trusts west'));
    expect(at('Federate bundles — east trusts west')).toBeLessThan(at('istioctl --context="${CTX_CLUSTER_EAST}" install -y -f -'));
    expect(at('istioctl --context="${CTX_CLUSTER_EAST}" install -y -f -')).toBeLessThan(at('-f ../east/26-destinationrule-allow-federated-trust-domain.yaml'));
    expect(steps).toContain('-f ../east/00-namespace-spire.yaml');
    // The workstation files the commands read.
    expect(readFileSync(join(out, 'workspace/samples/security/spire-trust-domain-federation/istio.tmpl'), 'utf8')).toContain('${LOCAL_CLUSTER}');
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toMatch(/\| `east` \| `east\.local` \| east-network \| kubernetes \|/);
  });

  it('exports F01 fixed: fix steps, folded patches, stdin applies, and the bundle placeholders with their commands', async () => {
    const out = join(fresh(), 'out');
    const r = await fedlab(['export', F01, '--variant', 'fixed', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const c1 = manifests(join(out, 'cluster1'));
    expect(c1[0]).toBe('00-namespace-zero-trust-workload-identity-manager.yaml');
    // Broken-only steps (spire.openshift.io SpireServer, the placeholder CRs) are not exported.
    for (const f of c1) expect(readFileSync(join(out, 'cluster1', f), 'utf8'), f).not.toMatch(/spire\.openshift\.io|<TRUST_DOMAIN_2>/);
    const products: ClusterProducts = { platform: 'openshift', ztwim: '1.0', sail: true, istio: '1.27', gatewayApi: 'standard' };
    expectValid(join(out, 'cluster1'), products);
    expectValid(join(out, 'cluster2'), products);
    // Step 2's merge patch of SpireServer cluster is folded into the object from the SPIRE stack.
    const server = readFileSync(join(out, 'cluster1', c1.find((f) => f.includes('-spireserver-cluster'))!), 'utf8');
    expect(server).toMatch(/# folded in: steps\[\d+\] "Step 2 corrected on cluster1/);
    expect(server).toContain('bundleEndpointUrl: https://federation.apps.cluster2.example.com');
    // `oc --context cluster1 apply -f -` with stdin became files (the OSSM Subscription, Istio, IstioCNI).
    expect(c1.some((f) => f.includes('-subscription-servicemeshoperator3'))).toBe(true);
    expect(c1.some((f) => f.includes('-istio-default'))).toBe(true);
    // The bundle exchange: cluster2's bundle, read on cluster2, pasted into cluster1's ClusterFederatedTrustDomain.
    const cftd = readFileSync(join(out, 'cluster1', c1.find((f) => f.includes('clusterfederatedtrustdomain'))!), 'utf8');
    expect(cftd).toContain('FEDLAB-PASTE-cluster2Bundle');
    expect(cftd).toMatch(/# Replace FEDLAB-PASTE-cluster2Bundle with the output of steps\[\d+\] "Step 3 corrected: cluster2's bundle" \(contexts: cluster2\):/);
    expect(cftd).toContain('#   oc --context cluster2 exec -n zero-trust-workload-identity-manager $SPIRE_POD -c spire-server -- /spire-server bundle show');
    const steps = readFileSync(join(out, 'STEPS.md'), 'utf8');
    expect(steps).toContain('istioctl --context=cluster2 create-remote-secret --name=cluster2 | oc --context=cluster1 apply -f -');
    expect(steps).toMatch(/fix\.steps\[0\] "Step 14 corrected on cluster1/);
  });

  it('fails with file:line:field when the fix yields a manifest the API server refuses', async () => {
    const dir = fresh();
    writeFileSync(
      join(dir, 'bad.yaml'),
      `apiVersion: fedlab.dev/v1
kind: Scenario
metadata: { id: bad-fix, title: a fix that breaks the schema }
clusters:
  - name: west
    trustDomain: west.local
    profile: helm
    manifests:
      - inline: |
          apiVersion: spire.spiffe.io/v1alpha1
          kind: ClusterSPIFFEID
          metadata:
            name: workloads
          spec:
            spiffeIDTemplate: "spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}"
cause: { kind: ClusterSPIFFEID, name: workloads, field: spec.podSelector }
fix:
  patches:
    - { kind: ClusterSPIFFEID, name: workloads, type: merge, patch: { spec: { podSelector: everything } } }
`,
    );
    const r = await fedlab(['export', 'bad.yaml', '--out', 'out'], { cwd: dir });
    expect(r.code).toBe(1);
    const m = /^out\/west\/00-clusterspiffeid-workloads\.yaml:(\d+): ClusterSPIFFEID\/workloads: spec\.podSelector: (.+)$/m.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    expect(m![2]).toMatch(/must be of type object/);
    // The line named is the field's line in the written file.
    const lines = readFileSync(join(dir, 'out/west/00-clusterspiffeid-workloads.yaml'), 'utf8').split('\n');
    expect(lines[Number(m![1]) - 1]).toMatch(/^\s*podSelector: everything$/);
    // The broken variant (no patch) is valid.
    expect((await fedlab(['export', 'bad.yaml', '--variant', 'broken', '--out', 'broken'], { cwd: dir })).code).toBe(0);
  });

  it('refuses a non-empty DIR without --force, and --force replaces only an earlier export', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'out/east'), { recursive: true });
    writeFileSync(join(dir, 'out/notes.txt'), 'mine');
    const refused = await fedlab(['export', F07, '--out', 'out'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('out: directory is not empty; refusing to overwrite it (use --force');
    expect(readdirSync(join(dir, 'out/east'))).toEqual([]);
    writeFileSync(join(dir, 'out/east/99-mine.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: mine }\n');
    writeFileSync(join(dir, 'out/east/98-stale.yaml'), '# Exported by fedlab from an earlier run\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: stale }\n');
    const forced = await fedlab(['export', F07, '--out', 'out', '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    const east = readdirSync(join(dir, 'out/east'));
    expect(east).toContain('99-mine.yaml');
    expect(east).not.toContain('98-stale.yaml');
    expect(readFileSync(join(dir, 'out/notes.txt'), 'utf8')).toBe('mine');
    expect((await fedlab(['export', F07, '--out', 'out', '--variant', 'both'], { cwd: dir })).code).toBe(2);
  });
});
