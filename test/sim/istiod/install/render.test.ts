// Rendering the user's IstioOperator (seed 004: the federation sample's istio.tmpl after the README's sed)
// into the ConfigMaps and workloads the istiod runtime and the injector read.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { installInputFromIop, mergeIstioOperator, parseIstioOperator } from '../../../../sim/istiod/install/istioOperator.ts';
import { renderInstall, type RenderedComponent } from '../../../../sim/istiod/install/render.ts';
import { DEFAULT_ISTIO_VERSION, resolveSailVersion } from '../../../../sim/istiod/install/versions.ts';
import type { KubeManifest } from '../../../../sim/kube/object.ts';
import { sharedPath } from '../../../helpers/shared.ts';

const tmpl = readFileSync(sharedPath('samples/istio-spire-federation/istio.tmpl'), 'utf8');
/** seed 004: sed -e s/${LOCAL_CLUSTER}/east/g -e s/${REMOTE_CLUSTER}/west/g -e s/${REMOTE_BUNDLE_ENDPOINT}/…/g */
const eastIop = tmpl.replaceAll('${LOCAL_CLUSTER}', 'east').replaceAll('${REMOTE_CLUSTER}', 'west').replaceAll('${REMOTE_BUNDLE_ENDPOINT}', '172.18.255.1');

function render(text: string, file = '<stdin>', sets: string[] = []): RenderedComponent[] {
  const merged = mergeIstioOperator([{ file, text }], sets, DEFAULT_ISTIO_VERSION);
  if (!merged.ok) throw new Error(merged.error.message);
  const r = renderInstall(installInputFromIop(merged.value, DEFAULT_ISTIO_VERSION));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
const find = (cs: RenderedComponent[], kind: string, name: string): KubeManifest => {
  const m = cs.flatMap((c) => c.manifests).find((x) => x.kind === kind && x.metadata?.name === name);
  if (!m) throw new Error(`${kind}/${name} not rendered`);
  return m;
};
type CmData = { mesh: string; meshNetworks: string; config: string; values: string };
const data = (m: KubeManifest) => m.data as CmData;

describe('render: istio.tmpl (seed 004, east)', () => {
  const out = render(eastIop);

  it('renders the minimal profile: Istio core and Istiod, no ingress gateway', () => {
    expect(out.map((c) => c.component)).toEqual(['Base', 'Pilot']);
    expect(find(out, 'ServiceAccount', 'istio-reader-service-account').metadata?.namespace).toBe('istio-system');
  });

  it('ConfigMap istio: the user meshConfig over the chart mesh (trustDomain, caCertificates, access log)', () => {
    const cm = find(out, 'ConfigMap', 'istio');
    const mesh = parse(data(cm).mesh);
    expect(mesh).toEqual({
      accessLogFile: '/dev/stdout',
      caCertificates: [
        { spiffeBundleUrl: 'https://spire-server.spire.svc.cluster.local:8443', trustDomains: ['east.local'] },
        { spiffeBundleUrl: 'https://172.18.255.1:8443', trustDomains: ['west.local'] },
      ],
      defaultConfig: { discoveryAddress: 'istiod.istio-system.svc:15012', meshId: 'east-mesh' },
      defaultProviders: { metrics: ['prometheus'] },
      enablePrometheusMerge: true,
      rootNamespace: 'istio-system',
      trustDomain: 'east.local',
    });
    expect(data(cm).meshNetworks).toBe('networks: {}');
  });

  it('ConfigMap istio-sidecar-injector: custom templates verbatim, built-ins named, values with the network', () => {
    const cm = find(out, 'ConfigMap', 'istio-sidecar-injector');
    const config = parse(data(cm).config);
    const sample = parse(tmpl).spec.values.sidecarInjectorWebhook.templates;
    expect(config.templates.spire).toBe(sample.spire);
    expect(config.templates['spire-gateway']).toBe(sample['spire-gateway']);
    for (const t of ['sidecar', 'gateway', 'grpc-simple', 'grpc-agent', 'waypoint', 'kube-gateway']) expect(config.templates[t]).toBe('<built-in>');
    expect(config).toMatchObject({ defaultTemplates: ['sidecar'], policy: 'enabled' });
    const values = JSON.parse(data(cm).values);
    expect(values.global).toMatchObject({ network: 'east-network', meshID: 'east-mesh', multiCluster: { clusterName: 'east' }, hub: 'docker.io/istio', tag: '1.27.0', proxy: { image: 'proxyv2' } });
    expect(values).toMatchObject({ revision: '', pilot: { cni: { enabled: false } } });
  });

  it('Deployment and Service istiod: the release image, CLUSTER_ID, the four ports', () => {
    const d = find(out, 'Deployment', 'istiod') as unknown as { metadata: { labels: Record<string, string> }; spec: { template: { spec: { containers: { name: string; image: string; env: { name: string; value?: string }[] }[] } } } };
    expect(d.metadata.labels).toMatchObject({ app: 'istiod', istio: 'pilot', 'istio.io/rev': 'default' });
    const c = d.spec.template.spec.containers[0]!;
    expect(c).toMatchObject({ name: 'discovery', image: 'docker.io/istio/pilot:1.27.0' });
    expect(c.env.find((e) => e.name === 'CLUSTER_ID')?.value).toBe('east');
    expect(c.env.find((e) => e.name === 'REVISION')?.value).toBe('default');
    const svc = find(out, 'Service', 'istiod') as unknown as { spec: { ports: { port: number; targetPort?: number }[] } };
    expect(svc.spec.ports.map((p) => [p.port, p.targetPort ?? p.port])).toEqual([[15010, 15010], [15012, 15012], [443, 15017], [15014, 15014]]);
    expect(find(out, 'ServiceAccount', 'istiod')).toBeDefined();
  });

  it('--revision and --set: istiod-<rev>, istio-<rev>, pilot env', () => {
    const r = render(eastIop, '<stdin>', ['revision=canary', 'values.pilot.env.ENABLE_NATIVE_SIDECARS=false']);
    const d = find(r, 'Deployment', 'istiod-canary') as unknown as { spec: { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } } };
    expect(d.spec.template.spec.containers[0]!.env).toEqual(expect.arrayContaining([{ name: 'REVISION', value: 'canary' }, { name: 'ENABLE_NATIVE_SIDECARS', value: 'false' }]));
    expect(parse(data(find(r, 'ConfigMap', 'istio-canary')).mesh).defaultConfig.discoveryAddress).toBe('istiod-canary.istio-system.svc:15012');
    find(r, 'ConfigMap', 'istio-sidecar-injector-canary');
  });
});

describe('render: gateways from components.ingressGateways (gen-eastwest-gateway.sh output)', () => {
  const eastwest = [
    'apiVersion: install.istio.io/v1alpha1',
    'kind: IstioOperator',
    'metadata:',
    '  name: eastwest',
    'spec:',
    '  revision: ""',
    '  profile: empty',
    '  components:',
    '    ingressGateways:',
    '      - name: istio-eastwestgateway',
    '        label:',
    '          istio: eastwestgateway',
    '          app: istio-eastwestgateway',
    '          topology.istio.io/network: west-network',
    '        enabled: true',
    '        k8s:',
    '          env:',
    '            - name: ISTIO_META_REQUESTED_NETWORK_VIEW',
    '              value: west-network',
    '          service:',
    '            ports:',
    '              - name: status-port',
    '                port: 15021',
    '                targetPort: 15021',
    '              - name: tls',
    '                port: 15443',
    '                targetPort: 15443',
    '  values:',
    '    gateways:',
    '      istio-ingressgateway:',
    '        injectionTemplate: gateway',
    '    global:',
    '      network: west-network',
    '',
  ].join('\n');
  const out = render(eastwest);

  it('profile empty: only the gateway, a Deployment ready for injection and a LoadBalancer Service', () => {
    expect(out.map((c) => c.component)).toEqual(['IngressGateways']);
    const d = find(out, 'Deployment', 'istio-eastwestgateway') as unknown as { metadata: { labels: Record<string, string> }; spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string>; annotations: Record<string, string> }; spec: { containers: { name: string; image: string; env: { name: string; value?: string }[] }[] } } } };
    expect(d.metadata.labels).toMatchObject({ istio: 'eastwestgateway', app: 'istio-eastwestgateway', 'topology.istio.io/network': 'west-network', 'install.operator.istio.io/owning-resource': 'eastwest' });
    expect(d.spec.selector.matchLabels).toEqual({ istio: 'eastwestgateway', app: 'istio-eastwestgateway', 'topology.istio.io/network': 'west-network' });
    expect(d.spec.template.metadata.annotations).toMatchObject({ 'inject.istio.io/templates': 'gateway', 'sidecar.istio.io/inject': 'true' });
    expect(d.spec.template.metadata.labels['sidecar.istio.io/inject']).toBe('true');
    const c = d.spec.template.spec.containers[0]!;
    expect(c).toMatchObject({ name: 'istio-proxy', image: 'auto' });
    expect(c.env).toContainEqual({ name: 'ISTIO_META_REQUESTED_NETWORK_VIEW', value: 'west-network' });
    const svc = find(out, 'Service', 'istio-eastwestgateway') as unknown as { metadata: { labels: Record<string, string> }; spec: { type: string; ports: { name: string; port: number }[] } };
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.ports.map((p) => `${p.name}:${p.port}`)).toEqual(['status-port:15021', 'tls:15443']);
    expect(svc.metadata.labels['topology.istio.io/network']).toBe('west-network');
  });
});

describe('render: overlays (samples/security/spire/istio-spire-config.yaml)', () => {
  it('patches the ingress gateway Deployment by [name:…] selectors', () => {
    const text = readFileSync(sharedPath('samples/istio/spire/istio-spire-config.yaml'), 'utf8');
    const out = render(text, 'istio-spire-config.yaml');
    const d = find(out, 'Deployment', 'istio-ingressgateway') as unknown as { spec: { template: { spec: { volumes?: { name: string; csi?: unknown }[]; initContainers?: { name: string }[] } } } };
    expect(d.spec.template.spec.volumes).toContainEqual({ name: 'workload-socket', csi: { driver: 'csi.spiffe.io', readOnly: true } });
    expect(d.spec.template.spec.initContainers?.[0]?.name).toBe('wait-for-spire-socket');
    expect(parse(data(find(out, 'ConfigMap', 'istio')).mesh).trustDomain).toBe('example.org');
  });
});

describe('IstioOperator errors name the file, the line and the field', () => {
  it('an unknown spec field', () => {
    const bad = eastIop.replace('  meshConfig:', '  meshconfig:');
    const r = parseIstioOperator({ file: 'istio.yaml', text: bad });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toBe('istio.yaml:5: IstioOperator: spec.meshconfig: unknown field "meshconfig"');
      expect(r.error.detail?.upstream).toBe('could not unmarshal: json: unknown field "meshconfig"');
    }
  });

  it('an unknown component field and a YAML error', () => {
    const r = parseIstioOperator({ file: 'gw.yaml', text: 'spec:\n  components:\n    ingressGateways:\n    - name: x\n      labels: {a: b}\n' });
    expect(!r.ok && r.error.message).toBe('gw.yaml:5: IstioOperator: spec.components.ingressGateways[0].labels: unknown field "labels"');
    const y = parseIstioOperator({ file: 'y.yaml', text: 'spec:\n  profile: [\n' });
    expect(!y.ok && y.error.code).toBe('istio/iop-parse');
  });

  it('an unknown profile and two documents', () => {
    const p = mergeIstioOperator([{ file: 'a', text: 'spec:\n  profile: tiny\n' }], [], DEFAULT_ISTIO_VERSION);
    expect(!p.ok && p.error.message).toContain('profile "tiny" not found');
    const two = parseIstioOperator({ file: 'b', text: 'spec: {}\n---\nspec: {}\n' });
    expect(!two.ok && two.error.message).toBe('contains multiple IstioOperator CRs, only one per file is supported');
  });
});

describe('versions', () => {
  it('maps Sail spec.version, aliases included, and refuses others', () => {
    expect(resolveSailVersion('v1.24.3')).toEqual({ ok: true, value: { major: 1, minor: 24, patch: 3 } });
    expect(resolveSailVersion('v1.27-latest')).toEqual({ ok: true, value: { major: 1, minor: 27, patch: 9 } });
    expect(resolveSailVersion('v1.25.0').ok).toBe(false);
  });
});
