/**
 * The mesh rules (FL0100–FL0199), each on a hand-written broken manifest set (flagged with its code, field and
 * file:line) and the fixed one (silent). Inputs are built as `fedlab analyze` builds directory mode: one YAML
 * file per cluster, parsed with positions.
 */
import { describe, expect, it } from 'vitest';
import { parseYamlDocuments } from '../../../../../sim/kube/yaml.ts';
import { meshRules } from '../../../../../sim/analyze/rules/mesh/index.ts';
import type { AnalyzeInput, ClusterInput, Finding, Rule } from '../../../../../sim/analyze/types.ts';

interface ClusterText {
  readonly name: string;
  readonly trustDomain?: string;
  readonly versions?: Record<string, string>;
  readonly platform?: string;
  readonly yaml: string;
}

function input(clusters: readonly ClusterText[]): AnalyzeInput {
  return {
    clusters: clusters.map((c): ClusterInput => {
      const file = `${c.name}/manifests.yaml`;
      const docs = parseYamlDocuments(c.yaml, file);
      if (!docs.ok) throw new Error(docs.error.message);
      return {
        name: c.name,
        ...(c.trustDomain ? { trustDomain: c.trustDomain } : {}),
        ...(c.platform ? { platform: c.platform } : {}),
        versions: c.versions ?? {},
        objects: docs.value.map((doc) => ({ cluster: c.name, file, line: doc.start.line, doc, object: doc.object })),
      };
    }),
  };
}

const rule = (code: string): Rule => {
  const r = meshRules.find((x) => x.code === code);
  if (!r) throw new Error(`no rule ${code}`);
  return r;
};

/** 1-based line of the first line containing `marker` after `after` (when given). */
function lineOf(yaml: string, marker: string, after?: string): number {
  const lines = yaml.split('\n');
  const start = after ? lines.findIndex((l) => l.includes(after)) : 0;
  const i = lines.findIndex((l, n) => n >= start && l.includes(marker));
  if (i < 0) throw new Error(`marker ${marker} not found`);
  return i + 1;
}

// ---------------------------------------------------------------- manifests

const v129 = { istio: '1.29.0', kubernetes: '1.33' };

const spire = (td: string, federatesWith: string[]) => `apiVersion: storage.k8s.io/v1
kind: CSIDriver
metadata:
  name: csi.spiffe.io
---
apiVersion: spire.spiffe.io/v1alpha1
kind: ClusterSPIFFEID
metadata:
  name: spire-spire-sidecars
spec:
  className: spire-spire
  spiffeIDTemplate: "spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}"
${federatesWith.length ? `  federatesWith: [${federatesWith.join(', ')}]\n` : ''}  podSelector:
    matchExpressions:
      - { key: service.istio.io/canonical-name, operator: Exists }
`;

const iop = (local: string, opts: { remote?: string; aliases?: string[]; caRemote?: boolean; extraValues?: string; proxyMetadata?: boolean } = {}) => `apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata:
  name: control-plane
  namespace: istio-system
spec:
  profile: minimal
  meshConfig:
    trustDomain: ${local}.local
${opts.aliases ? `    trustDomainAliases: [${opts.aliases.join(', ')}]\n` : ''}${opts.proxyMetadata ? '    defaultConfig:\n      proxyMetadata:\n        CREDENTIAL_SOCKET_EXISTS: "true"\n' : ''}    caCertificates:
    - spiffeBundleUrl: https://spire-server.spire.svc.cluster.local:8443
      trustDomains: [${local}.local]
${opts.caRemote && opts.remote ? `    - spiffeBundleUrl: https://192.0.2.1:8443\n      trustDomains: [${opts.remote}.local]\n` : ''}  values:
    global:
      meshID: ${local}-mesh
      multiCluster:
        clusterName: ${local}
      network: ${local}-network
${opts.extraValues ?? ''}`;

const helloworldService = `apiVersion: v1
kind: Service
metadata:
  name: helloworld
  namespace: default
spec:
  ports:
  - { port: 5000, name: http }
  selector: { app: helloworld }
`;

const deployment = (name: string, ns: string, annotations: Record<string, string>) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  template:
    metadata:
      labels: { app: ${name} }
      annotations:
${Object.entries(annotations).map(([k, v]) => `        ${k}: '${v}'`).join('\n')}
    spec:
      containers:
      - { name: ${name}, image: ${name} }
`;

const remoteSecret = (remote: string) => `apiVersion: v1
kind: Secret
metadata:
  name: istio-remote-secret-${remote}
  namespace: istio-system
  labels:
    istio/multiCluster: "true"
stringData:
  ${remote}: kubeconfig
`;

const ewService = (network?: string) => `apiVersion: v1
kind: Service
metadata:
  name: istio-eastwestgateway
  namespace: istio-system
  labels:
    app: istio-eastwestgateway
${network ? `    topology.istio.io/network: ${network}\n` : ''}spec:
  type: LoadBalancer
  selector: { istio: eastwestgateway }
  ports:
  - { name: tls, port: 15443 }
`;

const ewGateway = (mode: string) => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: cross-network-gateway
  namespace: istio-system
spec:
  selector:
    istio: eastwestgateway
  servers:
    - port: { number: 15443, name: tls, protocol: TLS }
      tls:
        mode: ${mode}
      hosts: ["*.local"]
`;

const docs = (...parts: string[]): string => parts.join('---\n');

const sailIstio = `apiVersion: sailoperator.io/v1
kind: Istio
metadata:
  name: default
spec:
  namespace: istio-system
  version: v1.24.3
`;

/** east calls helloworld in west through west's east-west gateway (the F07 topology), plus extra documents. */
const federation = (o: { eastExtra?: string[]; westExtra?: string[]; eastIop?: string; westIop?: string; westGateway?: string; versions?: Record<string, string> } = {}): ClusterText[] => [
  { name: 'east', trustDomain: 'east.local', versions: o.versions ?? v129, yaml: docs(o.eastIop ?? iop('east', { remote: 'west', caRemote: true }), helloworldService, remoteSecret('west'), ...(o.eastExtra ?? [])) },
  { name: 'west', trustDomain: 'west.local', versions: o.versions ?? v129, yaml: docs(o.westIop ?? iop('west', { remote: 'east', caRemote: true }), helloworldService, ewService('west-network'), o.westGateway ?? ewGateway('AUTO_PASSTHROUGH'), ...(o.westExtra ?? [])) },
];

// ---------------------------------------------------------------- cases

interface Case {
  readonly code: string;
  readonly what: string;
  readonly broken: ClusterText[];
  readonly fixed: ClusterText[];
  readonly cluster: string;
  readonly field: string;
  /** Text on the finding's line (and an earlier text to search after). */
  readonly marker: string;
  readonly after?: string;
  readonly refs: string[];
}

const authz = (principal: string) => `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: allow-curl-from-east
  namespace: default
spec:
  selector:
    matchLabels: { app: helloworld }
  action: ALLOW
  rules:
  - from:
    - source:
        principals: ["${principal}"]
`;

const dr = (sans: string[]) => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: allow-federated-trust-domain
  namespace: default
spec:
  host: helloworld.default.svc.cluster.local
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
      subjectAltNames:
${sans.map((s) => `      - ${s}`).join('\n')}
`;

const spireTemplates = (list: 'containers' | 'initContainers') => `    sidecarInjectorWebhook:
      templates:
        spire: |
          spec:
            ${list}:
            - name: istio-proxy
              volumeMounts:
              - { name: workload-socket, mountPath: /var/run/secrets/workload-spiffe-uds }
            volumes:
            - name: workload-socket
              csi: { driver: "csi.spiffe.io", readOnly: true }
`;

const serviceEntry = (port: number, location: string, labelled: boolean) => `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: helloworld-west
  namespace: default
spec:
  hosts: [helloworld.default.svc.cluster.local]
  location: ${location}
  ports:
  - number: ${port}
    name: http
    protocol: HTTP
  resolution: STATIC
  endpoints:
  - address: 192.0.2.10
    ports: { http: 15443 }
${labelled ? '    labels: { security.istio.io/tlsMode: istio }\n' : ''}`;

const peerAuth = (mode: string) => `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: default
spec:
  mtls:
    mode: ${mode}
`;

const legacyNs = (injected: boolean) => `apiVersion: v1
kind: Namespace
metadata:
  name: legacy
${injected ? '  labels: { istio-injection: enabled }\n' : ''}`;

const legacyIds = (federated: boolean) => `apiVersion: spire.spiffe.io/v1alpha1
kind: ClusterSPIFFEID
metadata:
  name: legacy-workloads
spec:
  className: spire-spire
${federated ? '  federatesWith: [west.local]\n' : ''}  namespaceSelector:
    matchLabels:
      kubernetes.io/metadata.name: legacy
`;

const gatewayApi = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: cross-network-gateway
  namespace: istio-system
  labels:
    topology.istio.io/network: west-network
spec:
  gatewayClassName: istio
  listeners:
  - name: cross-network
    port: 15443
    protocol: TLS
    tls:
      mode: Passthrough
`;

const cases: Case[] = [
  {
    code: 'FL0101',
    what: 'CREDENTIAL_SOCKET_EXISTS in meshConfig (G01)',
    broken: [{ name: 'east', yaml: iop('east', { proxyMetadata: true }) }],
    fixed: [{ name: 'east', yaml: iop('east') }],
    cluster: 'east',
    field: 'spec.meshConfig.defaultConfig.proxyMetadata.CREDENTIAL_SOCKET_EXISTS',
    marker: 'CREDENTIAL_SOCKET_EXISTS',
    refs: ['G01'],
  },
  {
    code: 'FL0102',
    what: 'a workload injected without the spire template in a SPIRE mesh (M01)',
    broken: [{ name: 'west', yaml: docs(spire('west.local', ['east.local']), deployment('helloworld-v1', 'default', { 'inject.istio.io/templates': 'sidecar,spire' }), deployment('helloworld-v2', 'default', { 'inject.istio.io/templates': 'sidecar' })) }],
    fixed: [{ name: 'west', yaml: docs(spire('west.local', ['east.local']), deployment('helloworld-v1', 'default', { 'inject.istio.io/templates': 'sidecar,spire' }), deployment('helloworld-v2', 'default', { 'inject.istio.io/templates': 'sidecar,spire' })) }],
    cluster: 'west',
    field: 'spec.template.metadata.annotations[inject.istio.io/templates]',
    marker: 'inject.istio.io/templates',
    after: 'name: helloworld-v2',
    refs: ['M01'],
  },
  {
    code: 'FL0103',
    what: "west's mesh config does not accept east.local (M02)",
    broken: federation({ westIop: iop('west') }),
    fixed: federation(),
    cluster: 'west',
    field: 'spec.meshConfig.caCertificates',
    marker: 'caCertificates:',
    refs: ['M02'],
  },
  {
    code: 'FL0104',
    what: 'Istio 1.27 client without alias or DestinationRule SAN for the remote domain (M02)',
    broken: federation({ versions: { istio: '1.27.0', kubernetes: '1.33' } }),
    fixed: federation({ versions: { istio: '1.27.0', kubernetes: '1.33' }, eastExtra: [dr(['spiffe://east.local/ns/default/sa/default', 'spiffe://west.local/ns/default/sa/default'])] }),
    cluster: 'east',
    field: 'spec.meshConfig.trustDomainAliases',
    marker: 'trustDomain: east.local',
    refs: ['M02'],
  },
  {
    code: 'FL0105',
    what: 'trustDomainAliases of a federated peer merge identities in AuthorizationPolicy (M02)',
    broken: federation({ westIop: iop('west', { aliases: ['east.local'] }), westExtra: [authz('east.local/ns/default/sa/curl')] }),
    fixed: federation({ westExtra: [authz('east.local/ns/default/sa/curl')] }),
    cluster: 'west',
    field: 'spec.rules[0].from[0].source.principals[0]',
    marker: '"east.local/ns/default/sa/curl"',
    refs: ['M02'],
  },
  {
    code: 'FL0106',
    what: "no gateway known for west's network (M03)",
    broken: federation().map((c) => (c.name === 'west' ? { ...c, yaml: c.yaml.replace('    topology.istio.io/network: west-network\n', '') } : c)),
    fixed: federation(),
    cluster: 'west',
    field: 'metadata.labels',
    marker: 'labels:',
    after: 'name: istio-eastwestgateway',
    refs: ['M03', 'G04'],
  },
  {
    code: 'FL0107',
    what: 'east has no remote secret for west (M04)',
    broken: federation().map((c) => (c.name === 'east' ? { ...c, yaml: c.yaml.replace(/---\napiVersion: v1\nkind: Secret[\s\S]*?kubeconfig\n/, '') } : c)),
    fixed: federation(),
    cluster: 'east',
    field: 'spec.values.global.multiCluster.clusterName',
    marker: 'clusterName: east',
    refs: ['M04'],
  },
  {
    code: 'FL0108',
    what: 'the east-west Gateway terminates TLS (M05)',
    broken: federation({ westGateway: ewGateway('ISTIO_MUTUAL') }),
    fixed: federation(),
    cluster: 'west',
    field: 'spec.servers[0].tls.mode',
    marker: 'mode: ISTIO_MUTUAL',
    refs: ['M05'],
  },
  {
    code: 'FL0109',
    what: 'an east-west gateway without a Gateway on 15443 (M06)',
    broken: federation({ westGateway: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: unrelated\n' }),
    fixed: federation(),
    cluster: 'west',
    field: 'metadata.name',
    marker: 'name: istio-eastwestgateway',
    refs: ['M06'],
  },
  {
    code: 'FL0110',
    what: 'a Gateway API TLS listener on 1.29 without PILOT_ENABLE_ALPHA_GATEWAY_API (M06)',
    broken: [{ name: 'west', versions: v129, yaml: docs(iop('west'), gatewayApi) }],
    fixed: [{ name: 'west', versions: v129, yaml: docs(iop('west', { extraValues: '    pilot:\n      env:\n        PILOT_ENABLE_ALPHA_GATEWAY_API: "true"\n' }), gatewayApi) }],
    cluster: 'west',
    field: 'spec.listeners[0].protocol',
    marker: 'protocol: TLS',
    refs: ['M06'],
  },
  {
    code: 'FL0111',
    what: "a DestinationRule whose subjectAltNames lack west's identity (M07)",
    broken: federation({ eastExtra: [dr(['spiffe://east.local/ns/default/sa/default'])] }),
    fixed: federation({ eastExtra: [dr(['spiffe://east.local/ns/default/sa/default', 'spiffe://west.local/ns/default/sa/default'])] }),
    cluster: 'east',
    field: 'spec.trafficPolicy.tls.subjectAltNames',
    marker: 'subjectAltNames:',
    refs: ['M07', 'G06'],
  },
  {
    code: 'FL0112',
    what: 'a spiffe:// principal (M08, G07; seed 003 §2)',
    broken: [{ name: 'beta', yaml: authz('spiffe://alpha.com/ns/apps/sa/svcA') }],
    fixed: [{ name: 'beta', yaml: authz('alpha.com/ns/apps/sa/svcA') }],
    cluster: 'beta',
    field: 'spec.rules[0].from[0].source.principals[0]',
    marker: 'principals:',
    refs: ['M08', 'G07'],
  },
  {
    code: 'FL0113',
    what: "a ServiceEntry on a port the remote service lacks (M09)",
    broken: federation({ eastExtra: [serviceEntry(80, 'MESH_INTERNAL', true)] }),
    fixed: federation({ eastExtra: [serviceEntry(5000, 'MESH_INTERNAL', true)] }),
    cluster: 'east',
    field: 'spec.ports[0].number',
    marker: '- number: 80',
    refs: ['M09', 'F06'],
  },
  {
    code: 'FL0113',
    what: 'a MESH_EXTERNAL ServiceEntry to port 15443 without mTLS (seed 003 §3, F06, G17)',
    broken: federation({ eastExtra: [serviceEntry(5000, 'MESH_EXTERNAL', false)] }),
    fixed: federation({ eastExtra: [serviceEntry(5000, 'MESH_INTERNAL', true)] }),
    cluster: 'east',
    field: 'spec.location',
    marker: 'location: MESH_EXTERNAL',
    refs: ['M09', 'F06', 'G17'],
  },
  {
    code: 'FL0114',
    what: 'the spire template patches containers under native sidecars (M10, G09)',
    broken: [{ name: 'east', versions: { istio: '1.27.3', kubernetes: '1.33' }, yaml: docs(iop('east', { extraValues: spireTemplates('containers') }), deployment('curl', 'default', { 'inject.istio.io/templates': 'sidecar,spire' })) }],
    fixed: [{ name: 'east', versions: { istio: '1.27.3', kubernetes: '1.33' }, yaml: docs(iop('east', { extraValues: spireTemplates('initContainers') }), deployment('curl', 'default', { 'inject.istio.io/templates': 'sidecar,spire' })) }],
    cluster: 'east',
    field: 'spec.values.sidecarInjectorWebhook.templates.spire',
    marker: 'spire: |',
    refs: ['M10', 'G09'],
  },
  {
    code: 'FL0115',
    what: 'the CNI value without the CNI component (M11)',
    broken: [{ name: 'east', yaml: iop('east', { extraValues: '    pilot:\n      cni:\n        enabled: true\n' }) }],
    fixed: [{ name: 'east', yaml: docs(iop('east', { extraValues: '    pilot:\n      cni:\n        enabled: true\n' }), 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: istio-cni-node\n  namespace: istio-system\n') }],
    cluster: 'east',
    field: 'spec.values.pilot.cni.enabled',
    marker: 'enabled: true',
    refs: ['M11'],
  },
  {
    code: 'FL0116',
    what: 'the east-west gateway without spire-gateway (M12)',
    broken: [{ name: 'west', yaml: docs(spire('west.local', []), deployment('helloworld', 'default', { 'inject.istio.io/templates': 'sidecar,spire' }), deployment('istio-eastwestgateway', 'istio-system', { 'inject.istio.io/templates': 'gateway' })) }],
    fixed: [{ name: 'west', yaml: docs(spire('west.local', []), deployment('helloworld', 'default', { 'inject.istio.io/templates': 'sidecar,spire' }), deployment('istio-eastwestgateway', 'istio-system', { 'inject.istio.io/templates': 'gateway,spire-gateway' })) }],
    cluster: 'west',
    field: 'spec.template.metadata.annotations[inject.istio.io/templates]',
    marker: "inject.istio.io/templates: 'gateway'",
    refs: ['M12'],
  },
  {
    code: 'FL0117',
    what: 'STRICT with a client outside the mesh (M13)',
    broken: [{ name: 'west', yaml: docs(peerAuth('STRICT'), legacyNs(false), deployment('curl', 'legacy', { 'example.com/x': 'y' })) }],
    fixed: [{ name: 'west', yaml: docs(peerAuth('STRICT'), legacyNs(true), deployment('curl', 'legacy', { 'example.com/x': 'y' })) }],
    cluster: 'west',
    field: 'spec.mtls.mode',
    marker: 'mode: STRICT',
    refs: ['M13'],
  },
  {
    code: 'FL0118',
    what: 'a ClusterSPIFFEID without federatesWith in a federating cluster (M14)',
    broken: federation({ eastExtra: [spire('east.local', ['west.local']), legacyIds(false), deployment('curl', 'legacy', { 'inject.istio.io/templates': 'sidecar,spire' })] }),
    fixed: federation({ eastExtra: [spire('east.local', ['west.local']), legacyIds(true), deployment('curl', 'legacy', { 'inject.istio.io/templates': 'sidecar,spire' })] }),
    cluster: 'east',
    field: 'spec',
    marker: 'spec:',
    after: 'name: legacy-workloads',
    refs: ['M14'],
  },
  {
    code: 'FL0119',
    what: 'PASSTHROUGH instead of AUTO_PASSTHROUGH on 15443 (M15)',
    broken: federation({ westGateway: ewGateway('PASSTHROUGH') }),
    fixed: federation(),
    cluster: 'west',
    field: 'spec.servers[0].tls.mode',
    marker: 'mode: PASSTHROUGH',
    refs: ['M15'],
  },
  {
    code: 'FL0120',
    what: 'userVolume as a JSON array (G02)',
    broken: [{ name: 'east', yaml: deployment('curl', 'default', { 'sidecar.istio.io/userVolume': '[{"name":"workload-socket","csi":{"driver":"csi.spiffe.io","readOnly":true}}]' }) }],
    fixed: [{ name: 'east', yaml: deployment('curl', 'default', { 'sidecar.istio.io/userVolume': '{"workload-socket":{"csi":{"driver":"csi.spiffe.io","readOnly":true}}}' }) }],
    cluster: 'east',
    field: 'spec.template.metadata.annotations[sidecar.istio.io/userVolume]',
    marker: 'sidecar.istio.io/userVolume',
    refs: ['G02'],
  },
  {
    code: 'FL0121',
    what: 'meshNetworks with a placeholder gateway address (G04)',
    broken: [{ name: 'east', yaml: iop('east', { extraValues: '      meshNetworks:\n        west-network:\n          endpoints:\n          - fromRegistry: west\n          gateways:\n          - address: <WEST_EW_GATEWAY_ADDRESS>\n            port: 15443\n' }) }],
    fixed: [{ name: 'east', yaml: iop('east') }],
    cluster: 'east',
    field: 'spec.values.global.meshNetworks.west-network.gateways[0].address',
    marker: 'address: <WEST',
    refs: ['G04'],
  },
  {
    code: 'FL0122',
    what: 'a Sail Istio whose target namespace nobody creates (G19)',
    broken: [{ name: 'c1', yaml: sailIstio }],
    fixed: [{ name: 'c1', yaml: docs('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: istio-system\n', sailIstio) }],
    cluster: 'c1',
    field: 'spec.namespace',
    marker: 'namespace: istio-system',
    after: 'spec:',
    refs: ['G19'],
  },
];

describe('mesh rules', () => {
  it('have unique FL01xx codes, a title and refs', () => {
    const codes = meshRules.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const r of meshRules) {
      expect(r.code).toMatch(/^FL01\d\d$/);
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.refs.length).toBeGreaterThan(0);
    }
  });

  it('every rule has a case below', () => {
    expect(new Set(cases.map((c) => c.code))).toEqual(new Set(meshRules.map((r) => r.code)));
  });

  for (const c of cases) {
    describe(`${c.code}: ${c.what}`, () => {
      it('flags the broken manifests with code, field and file:line', () => {
        const found = rule(c.code).check(input(c.broken));
        const f = found.find((x: Finding) => x.field === c.field);
        expect(f, JSON.stringify(found, null, 1)).toBeDefined();
        const yaml = c.broken.find((x) => x.name === c.cluster)!.yaml;
        expect(f).toMatchObject({ code: c.code, cluster: c.cluster, file: `${c.cluster}/manifests.yaml`, line: lineOf(yaml, c.marker, c.after), refs: c.refs });
        expect(f!.message.length).toBeGreaterThan(40);
      });
      it('is silent on the fixed manifests', () => {
        expect(rule(c.code).check(input(c.fixed))).toEqual([]);
      });
    });
  }

  it('FL0118 stays silent where the unfederated workloads are no mesh clients (s09/s10/s15: spiffe-helper pods, no SPIRE template)', () => {
    const helperOnly = federation({ eastExtra: [spire('east.local', ['west.local']), legacyIds(false), deployment('curl', 'legacy', {})] });
    expect(rule('FL0118').check(input(helperOnly))).toEqual([]);
  });

  it('FL0102 and FL0116 stay silent where no SPIRE template is in use', () => {
    const plain = input([{ name: 'east', yaml: docs(spire('east.local', []), deployment('curl', 'default', { 'inject.istio.io/templates': 'sidecar' }), deployment('istio-eastwestgateway', 'istio-system', { 'inject.istio.io/templates': 'gateway' })) }]);
    expect(rule('FL0102').check(plain)).toEqual([]);
    expect(rule('FL0116').check(plain)).toEqual([]);
  });

  it('FL0114: before 1.27 (or with kubelets < 1.33) the containers form is right and initContainers is flagged', () => {
    const yaml = (list: 'containers' | 'initContainers') => docs(iop('east', { extraValues: spireTemplates(list) }), deployment('curl', 'default', { 'inject.istio.io/templates': 'sidecar,spire' }));
    expect(rule('FL0114').check(input([{ name: 'east', versions: { istio: '1.24.3', kubernetes: '1.33' }, yaml: yaml('containers') }]))).toEqual([]);
    expect(rule('FL0114').check(input([{ name: 'east', versions: { istio: '1.27.3', kubernetes: '1.33', kubelet: 'v1.32.5' }, yaml: yaml('containers') }]))).toEqual([]);
    expect(rule('FL0114').check(input([{ name: 'east', versions: { istio: '1.24.3', kubernetes: '1.33' }, yaml: yaml('initContainers') }])).map((f) => f.code)).toEqual(['FL0114']);
  });

  it('FL0110 is silent on Istio 1.24 (seed 000 step 11 is sound there)', () => {
    expect(rule('FL0110').check(input([{ name: 'west', versions: { istio: '1.24.3' }, yaml: docs(iop('west'), gatewayApi) }]))).toEqual([]);
  });

  it('FL0101 also reads the proxy.istio.io/config annotation and the Sail Istio CR', () => {
    const sail = `apiVersion: sailoperator.io/v1
kind: Istio
metadata:
  name: default
spec:
  version: v1.24.3
  values:
    meshConfig:
      defaultConfig:
        proxyMetadata:
          CREDENTIAL_SOCKET_EXISTS: "true"
`;
    const found = rule('FL0101').check(input([{ name: 'c1', yaml: docs(sail, deployment('curl', 'default', { 'proxy.istio.io/config': '{"proxyMetadata":{"CREDENTIAL_SOCKET_EXISTS":"true"}}' })) }]));
    expect(found.map((f) => f.field)).toEqual(['spec.values.meshConfig.defaultConfig.proxyMetadata.CREDENTIAL_SOCKET_EXISTS', 'spec.template.metadata.annotations[proxy.istio.io/config]']);
    expect(found.every((f) => f.severity === 'info')).toBe(true);
  });

  it('FL0121 says meshNetworks is not needed when the gateway Service carries the network label (G04)', () => {
    const withNetworks = federation({ eastIop: iop('east', { remote: 'west', caRemote: true, extraValues: '      meshNetworks:\n        west-network:\n          endpoints:\n          - fromRegistry: west\n          gateways:\n          - address: 192.0.2.1\n            port: 15443\n' }) });
    const found = rule('FL0121').check(input(withNetworks));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'info', field: 'spec.values.global.meshNetworks.west-network' });
  });
});
