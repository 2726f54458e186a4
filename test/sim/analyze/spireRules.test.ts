// One broken and one fixed manifest snippet per SPIRE/ZTWIM/federation rule (FL00xx).
import { describe, expect, it } from 'vitest';
import { analyze, inputFromFiles, type Finding } from '../../../sim/analyze/index.ts';
import { spireRules } from '../../../sim/analyze/rules/spire/index.ts';
import type { AnalyzeInput } from '../../../sim/analyze/types.ts';

type Files = Record<string, string>; // "cluster/file.yaml" → text

function input(files: Files, facts: Record<string, { trustDomain?: string; profile?: string }> = {}): AnalyzeInput {
  const r = inputFromFiles(Object.entries(files).map(([k, text]) => ({ cluster: k.split('/')[0]!, file: k, text })));
  if (!r.ok) throw new Error(r.error.message);
  return { clusters: r.value.clusters.map((c) => ({ ...c, ...(facts[c.name] ?? {}) })) };
}
const run = (files: Files, facts?: Record<string, { trustDomain?: string; profile?: string }>): Finding[] => analyze(input(files, facts), { rules: spireRules });
const codes = (f: Finding[]) => f.map((x) => x.code);

const ZTWIM_SUB = `apiVersion: operators.coreos.com/v1alpha1
kind: Subscription
metadata: { name: openshift-zero-trust-workload-identity-manager, namespace: zero-trust-workload-identity-manager }
spec: { name: openshift-zero-trust-workload-identity-manager }
`;
const HELM_CM = `apiVersion: v1
kind: ConfigMap
metadata: { name: spire-controller-manager, namespace: spire }
data:
  controller-manager-config.yaml: |
    apiVersion: spire.spiffe.io/v1alpha1
    kind: ControllerManagerConfig
    className: "spire-spire"
    watchClassless: false
`;
const app = (ns: string, name: string, extra = '') => `apiVersion: v1
kind: Namespace
metadata: { name: ${ns} }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${ns} }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers: [{ name: app, image: busybox }]${extra}
`;
const csid = (name: string, spec: string) => `apiVersion: spire.spiffe.io/v1alpha1
kind: ClusterSPIFFEID
metadata: { name: ${name} }
spec:
${spec}`;
const cftd = (name: string, spec: string) => `apiVersion: spire.spiffe.io/v1alpha1
kind: ClusterFederatedTrustDomain
metadata: { name: ${name} }
spec:
${spec}`;
const serverConf = (server: string) => `apiVersion: v1
kind: ConfigMap
metadata: { name: spire-server, namespace: spire }
data:
  server.conf: |
    ${JSON.stringify({ server: { trust_domain: 'west.local', ...JSON.parse(server) } })}
`;

describe('FL0001 ClusterSPIFFEID class', () => {
  const spec = (cls: string) => `  ${cls}spiffeIDTemplate: "spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}"\n  federatesWith: [b.example]\n`;
  it('flags a class-less ClusterSPIFFEID on ZTWIM, at spec.className (its parent when absent)', () => {
    const f = run({ 'c1/sub.yaml': ZTWIM_SUB, 'c1/csid.yaml': csid('billing', spec('')) });
    expect(codes(f)).toEqual(['FL0001']);
    expect(f[0]).toMatchObject({ field: 'spec.className', file: 'c1/csid.yaml', line: 4, refs: ['S01', 'G05'] });
    expect(f[0]!.message).toContain('className "zero-trust-workload-identity-manager-spire"');
  });
  it('is silent with the operator class, and follows the chart\'s ControllerManagerConfig', () => {
    expect(run({ 'c1/sub.yaml': ZTWIM_SUB, 'c1/csid.yaml': csid('billing', spec('className: zero-trust-workload-identity-manager-spire\n  ')) })).toEqual([]);
    expect(codes(run({ 'c1/cm.yaml': HELM_CM, 'c1/csid.yaml': csid('x', spec('className: other\n  ')) }))).toEqual(['FL0001']);
    expect(run({ 'c1/cm.yaml': HELM_CM, 'c1/csid.yaml': csid('x', spec('className: spire-spire\n  ')) })).toEqual([]);
  });
});

describe('FL0002 ClusterFederatedTrustDomain class', () => {
  const spec = (cls: string) => `  ${cls}trustDomain: b.example\n  bundleEndpointURL: https://b.example:8443\n  bundleEndpointProfile: { type: https_web }\n`;
  it('flags a class-less CFTD on ZTWIM and is silent with the class', () => {
    expect(codes(run({ 'c1/sub.yaml': ZTWIM_SUB, 'c1/f.yaml': cftd('b', spec('')) }))).toEqual(['FL0002']);
    expect(run({ 'c1/sub.yaml': ZTWIM_SUB, 'c1/f.yaml': cftd('b', spec('className: zero-trust-workload-identity-manager-spire\n  ')) })).toEqual([]);
  });
});

const selecting = (fed: string) => csid('a', `  className: spire-spire\n  spiffeIDTemplate: "spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}"\n  podSelector: { matchLabels: { app: a } }\n  namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: apps } }\n  federatesWith: [${fed}]\n`);
const https = (td: string, extra = '') => cftd(td.split('.')[0]!, `  className: spire-spire\n  trustDomain: ${td}\n  bundleEndpointURL: https://192.0.2.1:8443\n  bundleEndpointProfile: { type: https_spiffe, endpointSPIFFEID: "spiffe://${td}/spire/server" }\n  trustDomainBundle: "{}"\n${extra}`);

describe('FL0003 federatesWith without a relationship', () => {
  it('flags a federated trust domain the cluster has no CFTD for, and is silent with one', () => {
    const base = { 'west/cm.yaml': HELM_CM, 'west/app.yaml': app('apps', 'a'), 'west/csid.yaml': selecting('east.local') };
    expect(codes(run(base, { west: { trustDomain: 'west.local' } }))).toEqual(['FL0003']);
    expect(run({ ...base, 'west/f.yaml': https('east.local') }, { west: { trustDomain: 'west.local' } })).toEqual([]);
  });
});

describe('FL0004 one-sided federation', () => {
  it('flags A federating with B when B does not federate back', () => {
    const a = { 'east/cm.yaml': HELM_CM, 'east/app.yaml': app('apps', 'a'), 'east/csid.yaml': selecting('west.local'), 'east/f.yaml': https('west.local') };
    const b = { 'west/cm.yaml': HELM_CM, 'west/csid.yaml': csid('x', '  className: spire-spire\n'), 'west/app.yaml': app('apps', 'b') };
    const facts = { east: { trustDomain: 'east.local' }, west: { trustDomain: 'west.local' } };
    expect(codes(run({ ...a, ...b }, facts))).toEqual(['FL0004']);
    expect(run({ ...a, ...b, 'west/f.yaml': https('east.local') }, facts)).toEqual([]);
  });
  it('is silent when the peer runs no workloads of its own (only SPIRE): nothing there verifies A\'s SVIDs (s10)', () => {
    const a = { 'east/cm.yaml': HELM_CM, 'east/app.yaml': app('apps', 'a'), 'east/csid.yaml': selecting('west.local'), 'east/f.yaml': https('west.local') };
    const facts = { east: { trustDomain: 'east.local' }, west: { trustDomain: 'west.local' } };
    const spireOnly = { 'west/cm.yaml': HELM_CM, 'west/csid.yaml': csid('x', '  className: spire-spire\n'), 'west/sts.yaml': app('spire', 'spire-server') };
    expect(run({ ...a, ...spireOnly }, facts)).toEqual([]);
    expect(codes(run({ ...a, ...spireOnly, 'west/app.yaml': app('apps', 'b') }, facts))).toEqual(['FL0004']);
  });
});

describe('FL0005 https_spiffe without trustDomainBundle', () => {
  it('flags a missing bundle, not a present one', () => {
    const f = cftd('east', '  className: spire-spire\n  trustDomain: east.local\n  bundleEndpointURL: https://192.0.2.1:8443\n  bundleEndpointProfile: { type: https_spiffe, endpointSPIFFEID: "spiffe://east.local/spire/server" }\n');
    expect(codes(run({ 'west/f.yaml': f }))).toEqual(['FL0005']);
    expect(run({ 'west/f.yaml': https('east.local') })).toEqual([]);
  });
});

describe('FL0006 federates_with keyed by URL', () => {
  it('flags a URL key in server.conf, not a trust domain key', () => {
    const fed = (key: string) => JSON.stringify({ federation: { federates_with: { [key]: { bundle_endpoint_url: 'https://198.51.100.1:8443', bundle_endpoint_profile: { https_web: {} } } } } });
    expect(codes(run({ 'west/s.yaml': serverConf(fed('https://198.51.100.1:8443')) }))).toEqual(['FL0006']);
    expect(run({ 'west/s.yaml': serverConf(fed('east.local')) })).toEqual([]);
  });
});

describe('FL0007 endpointSPIFFEID', () => {
  it('flags an ID other than spiffe://<td>/spire/server', () => {
    const bad = cftd('east', '  className: spire-spire\n  trustDomain: east.local\n  bundleEndpointURL: https://192.0.2.1:8443\n  bundleEndpointProfile: { type: https_spiffe, endpointSPIFFEID: "spiffe://east.local/ns/spire/sa/spire-server" }\n  trustDomainBundle: "{}"\n');
    const f = run({ 'west/f.yaml': bad });
    expect(codes(f)).toEqual(['FL0007']);
    expect(f[0]!.field).toBe('spec.bundleEndpointProfile.endpointSPIFFEID');
    expect(run({ 'west/f.yaml': https('east.local') })).toEqual([]);
  });
});

describe('FL0008 bundle endpoint port', () => {
  const server = `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: spire-server, namespace: spire }
spec:
  selector: { matchLabels: { app: spire-server } }
  template:
    metadata: { labels: { app: spire-server } }
    spec:
      containers:
        - name: spire-server
          image: ghcr.io/spiffe/spire-server:1.11.0
          ports: [{ name: grpc, containerPort: 8081 }, { name: federation, containerPort: 8443 }]
`;
  const svc = (ports: string) => `apiVersion: v1
kind: Service
metadata: { name: spire-server, namespace: spire }
spec:
  type: LoadBalancer
  selector: { app: spire-server }
  ports: ${ports}
`;
  const conf = serverConf(JSON.stringify({ federation: { bundle_endpoint: { address: '0.0.0.0', port: 8443 } } }));
  const facts = { east: { trustDomain: 'east.local' }, west: { trustDomain: 'west.local' } };
  it('flags a peer Service without the URL port, and is silent when it maps it to the bundle endpoint', () => {
    const f = run({ 'east/f.yaml': https('west.local'), 'west/s.yaml': conf, 'west/sts.yaml': server, 'west/svc.yaml': svc('[{ name: grpc, port: 443, targetPort: grpc }]') }, facts);
    expect(codes(f)).toEqual(['FL0008']);
    expect(f[0]).toMatchObject({ cluster: 'west', field: 'spec.ports' });
    expect(run({ 'east/f.yaml': https('west.local'), 'west/s.yaml': conf, 'west/sts.yaml': server, 'west/svc.yaml': svc('[{ name: grpc, port: 443, targetPort: grpc }, { name: federation, port: 8443, targetPort: federation }]') }, facts)).toEqual([]);
  });
});

describe('FL0009 namespaceSelector', () => {
  const c = (ns: string) => csid('billing', `  className: spire-spire\n  podSelector: { matchLabels: { app: billing } }\n  namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: ${ns} } }\n`);
  it('flags a namespace selector that leaves out the pods its podSelector matches', () => {
    const f = run({ 'west/cm.yaml': HELM_CM, 'west/app.yaml': app('billing', 'billing'), 'west/c.yaml': c('billing-staging') });
    expect(codes(f)).toEqual(['FL0009']);
    expect(f[0]!.field).toBe('spec.namespaceSelector.matchLabels[kubernetes.io/metadata.name]');
    expect(run({ 'west/cm.yaml': HELM_CM, 'west/app.yaml': app('billing', 'billing'), 'west/c.yaml': c('billing') })).toEqual([]);
  });
});

describe('FL0010 masking', () => {
  const tmpl = 'spiffeIDTemplate: "spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}"';
  const all = (fallback: string) => csid('all', `  className: spire-spire\n  ${tmpl}\n  podSelector: {}\n${fallback}`);
  const pay = csid('payments', `  className: spire-spire\n  spiffeIDTemplate: "spiffe://west.local/ns/payments/sa/default"\n  podSelector: { matchLabels: { app: payments } }\n  federatesWith: [east.local]\n`);
  it('flags two non-fallback ClusterSPIFFEIDs rendering the same entry; silent when the catch-all is a fallback', () => {
    const files = { 'west/cm.yaml': HELM_CM, 'west/app.yaml': app('payments', 'payments'), 'west/p.yaml': pay };
    const f = run({ ...files, 'west/a.yaml': all('') }, { west: { trustDomain: 'west.local' } }).filter((x) => x.code === 'FL0010');
    expect(f.map((x) => x.object.name)).toEqual(['all']);
    expect(run({ ...files, 'west/a.yaml': all('  fallback: true\n') }, { west: { trustDomain: 'west.local' } }).filter((x) => x.code === 'FL0010')).toEqual([]);
  });
  it('is info, saying why it is harmless, when both federate with the same peers (f04: the universal one lists the local domain too)', () => {
    const universal = csid('all', `  className: spire-spire\n  ${tmpl}\n  podSelector: {}\n  federatesWith: [west.local, east.local]\n`);
    const files = { 'west/cm.yaml': HELM_CM, 'west/app.yaml': app('payments', 'payments'), 'west/p.yaml': pay, 'west/a.yaml': universal };
    const f = run(files, { west: { trustDomain: 'west.local' } }).filter((x) => x.code === 'FL0010');
    expect(f.map((x) => `${x.severity} ${x.object.name}`)).toEqual(['info all']);
    expect(f[0]!.message).toContain('Harmless here: both federate with the same peer trust domains (east.local)');
  });
});

const agent = (sock: string, all = 'ROOTCA', one = 'null') => `apiVersion: v1
kind: ConfigMap
metadata: { name: spire-agent, namespace: spire }
data:
  agent.conf: |
    {"agent": {"socket_path": "${sock}", "trust_domain": "east.local", "sds": {"default_all_bundles_name": "${all}", "default_bundle_name": "${one}"}}}
`;
const meshApp = `apiVersion: v1
kind: Namespace
metadata: { name: default, labels: { istio-injection: enabled } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: curl, namespace: default }
spec:
  selector: { matchLabels: { app: curl } }
  template:
    metadata: { labels: { app: curl }, annotations: { inject.istio.io/templates: "sidecar,spire" } }
    spec: { containers: [{ name: curl, image: curl }] }
`;

describe('FL0011 agent socket name', () => {
  it('flags a socket_path whose name is not socket (nor linked), when the mesh uses SPIRE', () => {
    expect(codes(run({ 'east/a.yaml': agent('/tmp/spire-agent/public/agent.sock'), 'east/app.yaml': meshApp }))).toEqual(['FL0011']);
    expect(run({ 'east/a.yaml': agent('/tmp/spire-agent/public/socket'), 'east/app.yaml': meshApp })).toEqual([]);
  });
});

describe('FL0012 SDS bundle names', () => {
  it('flags default_all_bundles_name other than ROOTCA in a federated SPIRE mesh', () => {
    const fed = { 'east/app.yaml': meshApp, 'east/f.yaml': https('west.local') };
    expect(codes(run({ ...fed, 'east/a.yaml': agent('/tmp/spire-agent/public/socket', 'ALL', 'ROOTCA') }))).toEqual(['FL0012']);
    expect(run({ ...fed, 'east/a.yaml': agent('/tmp/spire-agent/public/socket') })).toEqual([]);
  });
});

describe('FL0013 injected pod without the SPIRE template', () => {
  const plain = meshApp.replace('curl', 'other').replace('curl', 'other').replace('curl', 'other').replace(', annotations: { inject.istio.io/templates: "sidecar,spire" }', '').replace(/kind: Namespace[\s\S]*?---\n/, 'kind: Service\nmetadata: { name: x, namespace: default }\n---\n');
  it('flags a default-injected workload next to SPIRE-injected ones', () => {
    const f = run({ 'east/app.yaml': meshApp, 'east/other.yaml': plain });
    expect(f.filter((x) => x.code === 'FL0013').map((x) => x.object.name)).toEqual(['other']);
    expect(run({ 'east/app.yaml': meshApp }).filter((x) => x.code === 'FL0013')).toEqual([]);
  });
});

const ztwimCm = (name: string) => `apiVersion: v1
kind: ConfigMap
metadata: { name: ${name}, namespace: zero-trust-workload-identity-manager }
data: { x: y }
`;

describe('FL0014 / FL0015 CREATE_ONLY_MODE', () => {
  const createOnly = ZTWIM_SUB.replace('spec: {', 'spec: { config: { env: [{ name: CREATE_ONLY_MODE, value: "true" }] },');
  it('FL0014: an edited operator ConfigMap without CREATE_ONLY_MODE; silent with it', () => {
    // A ConfigMap is "edited" when written again after it was created: two documents of one object.
    const edited = `${ztwimCm('spire-server')}---\n${ztwimCm('spire-server')}`;
    expect(codes(run({ 'c1/sub.yaml': ZTWIM_SUB, 'c1/cm.yaml': edited }))).toEqual(['FL0014']);
    expect(run({ 'c1/sub.yaml': createOnly, 'c1/cm.yaml': edited })).toEqual([]);
  });
  it('FL0015: a SpireServer changed while CREATE_ONLY_MODE is on', () => {
    const ss = (fed: string) => `apiVersion: operator.openshift.io/v1alpha1\nkind: SpireServer\nmetadata: { name: cluster }\nspec: { trustDomain: a.example${fed} }\n`;
    const changed = `${ss('')}---\n${ss(', federation: { bundleEndpoint: { profile: https_spiffe } }')}`;
    expect(codes(run({ 'c1/sub.yaml': createOnly, 'c1/ss.yaml': changed }))).toEqual(['FL0015']);
    expect(run({ 'c1/sub.yaml': ZTWIM_SUB, 'c1/ss.yaml': changed })).toEqual([]);
  });
});

describe('FL0016 OIDC provider socket', () => {
  const cr = `apiVersion: operator.openshift.io/v1alpha1\nkind: SpireOIDCDiscoveryProvider\nmetadata: { name: cluster }\nspec: {}\n`;
  const agentZ = (sock: string) => agent(sock).replace('namespace: spire', 'namespace: zero-trust-workload-identity-manager');
  it('flags the operator\'s spire-agent.sock path when the agent socket was renamed', () => {
    expect(codes(run({ 'c1/sub.yaml': ZTWIM_SUB, 'c1/cr.yaml': cr, 'c1/a.yaml': agentZ('/tmp/spire-agent/public/socket') }))).toEqual(['FL0016']);
    expect(run({ 'c1/sub.yaml': ZTWIM_SUB, 'c1/cr.yaml': cr, 'c1/a.yaml': agentZ('/tmp/spire-agent/public/spire-agent.sock') })).toEqual([]);
  });
});

describe('FL0017 ZTWIM CR API (G11)', () => {
  it('flags spire.openshift.io and a name other than cluster; silent on the real form', () => {
    const f = run({ 'c1/s.yaml': 'apiVersion: spire.openshift.io/v1alpha1\nkind: SpireServer\nmetadata: { name: spire-server, namespace: zero-trust-workload-identity-manager }\nspec: {}\n' });
    expect(f.map((x) => `${x.code} ${x.field}`)).toEqual(['FL0017 apiVersion']);
    expect(codes(run({ 'c1/s.yaml': 'apiVersion: operator.openshift.io/v1alpha1\nkind: SpireServer\nmetadata: { name: spire-server }\nspec: {}\n' }))).toEqual(['FL0017']);
    expect(run({ 'c1/s.yaml': 'apiVersion: operator.openshift.io/v1alpha1\nkind: SpireServer\nmetadata: { name: cluster }\nspec: {}\n' })).toEqual([]);
  });
});

describe('FL0018 persistence.type (G14)', () => {
  it('flags spec.persistence.type on SpireServer', () => {
    const ss = (p: string) => `apiVersion: operator.openshift.io/v1alpha1\nkind: SpireServer\nmetadata: { name: cluster }\nspec: { persistence: { size: 1Gi, accessMode: ReadWriteOnce${p} } }\n`;
    expect(codes(run({ 'c1/s.yaml': ss(', type: pvc') }))).toEqual(['FL0018']);
    expect(run({ 'c1/s.yaml': ss('') })).toEqual([]);
  });
});

describe('FL0019 spiffe-helper without include_federated_domains', () => {
  const helper = (extra: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: helper, namespace: apps }\ndata:\n  helper.conf: |\n    agent_address = "/spiffe-workload-api/spire-agent.sock"\n${extra}`;
  const withVolume = app('apps', 'a', '\n      volumes: [{ name: cfg, configMap: { name: helper } }]');
  it('flags a federated workload whose helper writes only the local bundle', () => {
    const base = { 'west/cm.yaml': HELM_CM, 'west/app.yaml': withVolume, 'west/csid.yaml': selecting('east.local'), 'west/f.yaml': https('east.local') };
    expect(codes(run({ ...base, 'west/h.yaml': helper('') }))).toEqual(['FL0019']);
    expect(run({ ...base, 'west/h.yaml': helper('    include_federated_domains = true\n') })).toEqual([]);
  });
});

describe('FL0020 refresh_hint', () => {
  it('flags a hint longer than the CA preparation window', () => {
    const conf = (hint: string) => serverConf(JSON.stringify({ ca_ttl: '24h', federation: { bundle_endpoint: { port: 8443, refresh_hint: hint } } }));
    expect(codes(run({ 'west/s.yaml': conf('720h') }))).toEqual(['FL0020']);
    expect(run({ 'west/s.yaml': conf('5m') })).toEqual([]);
  });
});

describe('FL0021 partial federatesWith', () => {
  it('flags a ClusterSPIFFEID missing one of the cluster\'s federated domains', () => {
    const base = { 'west/cm.yaml': HELM_CM, 'west/app.yaml': app('apps', 'a'), 'west/f1.yaml': https('east.local'), 'west/f2.yaml': https('north.local') };
    expect(codes(run({ ...base, 'west/csid.yaml': selecting('east.local') }))).toEqual(['FL0021']);
    expect(run({ ...base, 'west/csid.yaml': selecting('east.local, north.local') })).toEqual([]);
  });
});

describe('FL0022 SPIRE binary path (G16)', () => {
  const exec = (bin: string) => ({ cluster: 'c1', file: 's.yaml', line: 7, namespace: 'zero-trust-workload-identity-manager', target: 'spire-server-0', container: 'spire-server', argv: [bin, 'bundle', 'show'], command: `oc exec spire-server-0 -- ${bin} bundle show` });
  const base = input({ 'c1/sub.yaml': ZTWIM_SUB });
  it('flags a path the ZTWIM image does not ship, and accepts /spire-server', () => {
    const f = analyze({ ...base, execs: [exec('/opt/spire/bin/spire-server')] }, { rules: spireRules });
    expect(f.map((x) => `${x.code} ${x.file}:${x.line} ${x.object.kind}/${x.object.name}`)).toEqual(['FL0022 s.yaml:7 Pod/spire-server-0']);
    expect(f[0]!.message).toContain('Use /spire-server');
    expect(f[0]!.message).toContain('exec: "/opt/spire/bin/spire-server": stat /opt/spire/bin/spire-server: no such file or directory');
    expect(analyze({ ...base, execs: [exec('/spire-server')] }, { rules: spireRules })).toEqual([]);
  });
  it('follows the image of the chart\'s StatefulSet', () => {
    const sts = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: { name: spire-server, namespace: spire }\nspec:\n  template:\n    spec: { containers: [{ name: spire-server, image: "ghcr.io/spiffe/spire-server:1.11.0" }] }\n';
    const helm = input({ 'w/sts.yaml': sts });
    const e = (bin: string) => ({ ...exec(bin), cluster: 'w', namespace: 'spire' });
    expect(analyze({ ...helm, execs: [e('/spire-server')] }, { rules: spireRules }).map((x) => x.code)).toEqual(['FL0022']);
    expect(analyze({ ...helm, execs: [e('spire-server'), e('/opt/spire/bin/spire-server')] }, { rules: spireRules })).toEqual([]);
  });
});
