/**
 * The shared renderer: an install input (version, revision, namespace, profile, Helm values with
 * meshConfig, components) → the Kubernetes objects the Istio charts produce, grouped by istioctl
 * component. istioctl (`install -f`) and the Sail operator (`Istio`, `IstioCNI` CRs) both come here.
 *
 * What each component renders (istio:manifests/charts/…, 1.24.3 and 1.27.0 agree on these):
 * - Base (base/templates/reader-serviceaccount.yaml): ServiceAccount `istio-reader-service-account`, the
 *   account `istioctl create-remote-secret` hands out.
 * - Pilot (istio-control/istio-discovery/templates/{serviceaccount,configmap,istiod-injector-configmap,
 *   deployment,service}.yaml): ServiceAccount, ConfigMap `istio[-rev]` (`mesh`, `meshNetworks`),
 *   ConfigMap `istio-sidecar-injector[-rev]` (`values`, `config`), Deployment and Service `istiod[-rev]`.
 * - IngressGateways / EgressGateways (gateways/istio-ingress/templates/injected-deployment.yaml,
 *   service.yaml, serviceaccount.yaml, with istioctl's k8s post-processing): a Deployment ready to be
 *   injected (`image: auto`, `inject.istio.io/templates`), a Service, a ServiceAccount.
 * - Cni (istio-cni/templates/daemonset.yaml): DaemonSet `istio-cni-node`, ServiceAccount, ConfigMap.
 *
 * The built-in injection templates (`sidecar`, `gateway`, …) are not copied: the injector ConfigMap
 * names them with the value `<built-in>` and the lab's injector implements them in code; custom
 * templates from `sidecarInjectorWebhook.templates` are kept verbatim.
 * Simplified: no CRDs (the cluster's CRD set has them), RBAC, webhooks configurations, HPA, PDB,
 * probes or resources; overlays support `path`/`value` patches with `[key:value]` and `[n]` selectors.
 */
import { err, ok, simError, type Result, type SimError } from '../../core/result.ts';
import type { KubeManifest } from '../../kube/object.ts';
import { chartDefaults, gatewayChartDefaults, getPath, isMap, mergeFrom, mergeOverwrite, splitSetPath, type Values } from './values.ts';
import { formatVersion, type IstioVersion } from './versions.ts';
import { indent, toYamlText } from './yamlText.ts';

export interface GatewayComponent {
  readonly name: string;
  readonly namespace: string;
  readonly enabled: boolean;
  readonly label: Readonly<Record<string, string>>;
  /** IstioOperator `k8s` (env, service, podAnnotations, overlays, …). */
  readonly k8s: Values;
}

export interface ComponentsInput {
  readonly base: boolean;
  readonly pilot: boolean;
  readonly pilotK8s?: Values;
  readonly cni: { readonly enabled: boolean; readonly namespace: string };
  readonly ingressGateways: readonly GatewayComponent[];
  readonly egressGateways: readonly GatewayComponent[];
}

export interface InstallInput {
  readonly version: IstioVersion;
  /** Where istiod and the gateways go (`istio-system`). */
  readonly namespace: string;
  /** `''` for the default revision. */
  readonly revision: string;
  readonly profile: string;
  readonly components: ComponentsInput;
  /** Helm values as the user and profile give them (chart defaults are added here). `meshConfig` inside. */
  readonly values: Values;
  /** Who installs: istioctl adds its owner labels; Sail (Helm) names its releases `<rev>-istiod`. */
  readonly owner: { readonly managedBy: 'istioctl' | 'sail'; readonly name?: string | undefined; readonly namespace?: string };
  readonly distribution: 'upstream' | 'ossm';
}

export type ComponentName = 'Base' | 'Pilot' | 'Cni' | 'IngressGateways' | 'EgressGateways';

export interface RenderedComponent {
  readonly component: ComponentName;
  readonly manifests: KubeManifest[];
}

/** Injection templates every istiod knows (istiod-injector-configmap.yaml), in chart order. */
export const BUILTIN_TEMPLATES = ['sidecar', 'gateway', 'grpc-simple', 'grpc-agent', 'waypoint', 'kube-gateway'] as const;
export const BUILTIN_TEMPLATE_VALUE = '<built-in>';

const s = (v: unknown, d = ''): string => (typeof v === 'string' ? v : v === undefined || v === null ? d : String(v));
const m = (v: unknown): Values => (isMap(v) ? v : {});

/** The Helm values the charts see: chart defaults ← user values (Helm coalescing: maps merge). */
export function effectiveValues(input: Pick<InstallInput, 'version' | 'values'>): Values {
  const merged = mergeFrom(chartDefaults(input.version), input.values);
  // zzz_profile.yaml: per-chart values under `pilot:` are flattened onto the chart's top level.
  return isMap(merged.pilot) ? mergeFrom(merged, merged.pilot) : merged;
}

/** `<hub>/<image>:<tag>[-variant]`, or the image itself when it already names a registry (contains `/`). */
export function imageOf(image: string, hub: string, tag: string, variant = ''): string {
  if (image.includes('/')) return image;
  return `${hub}/${image}:${tag}${variant ? `-${variant}` : ''}`;
}

const suffix = (rev: string) => (rev === '' ? '' : `-${rev}`);

/** The labels every chart adds (`istio.labels`), and istioctl's owner labels (operator/pkg/install/install.go getOwnerLabels). */
function commonLabels(input: InstallInput, component: ComponentName, release: string): Record<string, string> {
  const labels: Record<string, string> = {
    'app.kubernetes.io/part-of': 'istio',
    'app.kubernetes.io/managed-by': 'Helm',
    'app.kubernetes.io/version': formatVersion(input.version),
    'app.kubernetes.io/instance': release,
    'helm.sh/chart': `${chartOf(component)}-${formatVersion(input.version)}`,
  };
  if (input.owner.managedBy === 'istioctl') {
    labels['operator.istio.io/managed'] = 'Reconcile';
    labels['operator.istio.io/version'] = formatVersion(input.version);
    if (input.owner.name) labels['install.operator.istio.io/owning-resource'] = input.owner.name;
    if (input.owner.namespace) labels['install.operator.istio.io/owning-resource-namespace'] = input.owner.namespace;
  }
  return labels;
}

const chartOf = (c: ComponentName): string => ({ Base: 'base', Pilot: 'istiod', Cni: 'cni', IngressGateways: 'gateways', EgressGateways: 'gateways' })[c];

function releaseName(input: InstallInput, component: ComponentName): string {
  if (input.owner.managedBy === 'istioctl') return 'istio';
  const rev = input.revision || 'default';
  return component === 'Base' ? `${rev}-base` : component === 'Cni' ? 'istio-cni' : `${rev}-istiod`;
}

/** Renders every enabled component, in istioctl's install order (Base, Pilot, Cni, gateways). */
export function renderInstall(input: InstallInput): Result<RenderedComponent[], SimError> {
  const values = effectiveValues(input);
  const out: RenderedComponent[] = [];
  if (input.components.base) out.push({ component: 'Base', manifests: renderBase(input) });
  if (input.components.pilot) out.push({ component: 'Pilot', manifests: renderPilot(input, values) });
  if (input.components.cni.enabled) out.push({ component: 'Cni', manifests: renderCni({ ...input, namespace: input.components.cni.namespace }, values) });
  for (const [kind, list] of [
    ['IngressGateways', input.components.ingressGateways],
    ['EgressGateways', input.components.egressGateways],
  ] as const) {
    const manifests: KubeManifest[] = [];
    for (const gw of list) {
      if (!gw.enabled) continue;
      if (gw.name === '') return err(simError('istio/iop-invalid', `${kind === 'IngressGateways' ? 'ingressGateways' : 'egressGateways'}: a gateway needs a name`));
      const r = renderGateway(input, values, gw, kind);
      if (!r.ok) return r;
      manifests.push(...r.value);
    }
    if (manifests.length > 0) out.push({ component: kind, manifests });
  }
  return ok(out);
}

function renderBase(input: InstallInput): KubeManifest[] {
  const labels = { ...commonLabels(input, 'Base', releaseName(input, 'Base')), 'istio.io/rev': input.revision || 'default', 'operator.istio.io/component': 'Base', app: 'istio-reader', release: releaseName(input, 'Base') };
  return [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'istio-reader-service-account', namespace: input.namespace, labels } }];
}

/** The `mesh` key of ConfigMap `istio[-rev]` (configmap.yaml: the chart's mesh, `mergeOverwrite` meshConfig). */
export function meshConfigOf(input: Pick<InstallInput, 'namespace' | 'revision'>, values: Values): Values {
  const g = m(values.global);
  const mc = m(values.meshConfig);
  const tel = m(values.telemetry);
  const v2 = m(tel.v2);
  const defaultConfig: Values = {};
  if (s(g.meshID) !== '') defaultConfig.meshId = s(g.meshID);
  const rev = s(values.revision);
  defaultConfig.discoveryAddress = `istiod${suffix(rev)}.${input.namespace}.svc:15012`;
  const original: Values = { trustDomain: 'cluster.local', rootNamespace: s(mc.rootNamespace) || s(g.istioNamespace) || input.namespace, defaultConfig };
  // default-prometheus: no user defaultProviders, telemetry v2 with prometheus on.
  if (!mc.defaultProviders && tel.enabled !== false && v2.enabled !== false && m(v2.prometheus).enabled !== false) original.defaultProviders = { metrics: ['prometheus'] };
  return mergeOverwrite(original, mc);
}

/** The `meshNetworks` key: `networks:` and values.global.meshNetworks, or `networks: {}`. */
export function meshNetworksText(values: Values): string {
  const nets = m(m(values.global).meshNetworks);
  return Object.keys(nets).length === 0 ? 'networks: {}' : `networks:\n${indent(toYamlText(nets), 2)}`;
}

/** The `values` key of the injector ConfigMap: global, sidecarInjectorWebhook, revision, pilot.{cni,env}, gateways.{securityContext,seccompProfile}. */
export function injectorValues(values: Values): Values {
  const gw = m(values.gateways);
  const out: Values = { global: values.global, sidecarInjectorWebhook: values.sidecarInjectorWebhook, revision: values.revision ?? '', pilot: { cni: values.cni, env: values.env ?? {} }, gateways: {} };
  if (gw.securityContext !== undefined) (out.gateways as Values).securityContext = gw.securityContext;
  if (gw.seccompProfile !== undefined) (out.gateways as Values).seccompProfile = gw.seccompProfile;
  return out;
}

/** The `config` key of the injector ConfigMap (istiod-injector-configmap.yaml), built-ins as `<built-in>`. */
export function injectorConfigText(values: Values): string {
  const inj = m(values.sidecarInjectorWebhook);
  const defaults = Array.isArray(inj.defaultTemplates) && inj.defaultTemplates.length > 0 ? (inj.defaultTemplates as unknown[]).map(String) : undefined;
  const custom = m(inj.templates);
  const lines = ['# defaultTemplates defines the default template to use for pods that do not explicitly specify a template'];
  if (defaults) lines.push('defaultTemplates:', ...defaults.map((t) => `- ${t}`));
  else lines.push('defaultTemplates: [sidecar]');
  lines.push(`policy: ${s(m(m(values.global).proxy).autoInject, 'enabled')}`);
  lines.push('alwaysInjectSelector:', indent(toYamlText(inj.alwaysInjectSelector ?? []), 2));
  lines.push('neverInjectSelector:', indent(toYamlText(inj.neverInjectSelector ?? []), 2));
  lines.push('injectedAnnotations:');
  for (const [k, v] of Object.entries(m(inj.injectedAnnotations))) lines.push(`  ${JSON.stringify(k)}: ${JSON.stringify(s(v))}`);
  lines.push(`template: ${JSON.stringify('{{ Template_Version_And_Istio_Version_Mismatched_Check_Installation }}')}`);
  lines.push('templates:');
  for (const name of BUILTIN_TEMPLATES) if (!(name in custom)) lines.push(`  ${name}: ${JSON.stringify(BUILTIN_TEMPLATE_VALUE)}`);
  if (Object.keys(custom).length > 0) lines.push(indent(toYamlText(custom), 2));
  return lines.join('\n');
}

function renderPilot(input: InstallInput, values: Values): KubeManifest[] {
  const rev = s(values.revision);
  const release = releaseName(input, 'Pilot');
  const g = m(values.global);
  const owning = input.owner.name || s(values.ownerName) || 'unknown';
  const lab = (extra: Record<string, string>) => ({
    ...commonLabels(input, 'Pilot', release),
    ...extra,
    'istio.io/rev': rev || 'default',
    'install.operator.istio.io/owning-resource': owning,
    'operator.istio.io/component': 'Pilot',
    release,
    'app.kubernetes.io/name': 'istiod',
  });
  const name = `istiod${suffix(rev)}`;
  const ns = input.namespace;
  const mesh = meshConfigOf(input, values);
  const env: { name: string; value?: string; valueFrom?: unknown }[] = [
    { name: 'REVISION', value: rev || 'default' },
    { name: 'PILOT_CERT_PROVIDER', value: s(g.pilotCertProvider, 'istiod') },
    { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
    { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
    { name: 'SERVICE_ACCOUNT', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.serviceAccountName' } } },
    { name: 'KUBECONFIG', value: '/var/run/secrets/remote/config' },
  ];
  // deployment.yaml: `range $key, $val := .Values.env` (Helm ranges maps in key order); istioctl puts
  // pilot.* values at the chart's top level (ToHelmValuesTreeRoot "pilot").
  const pilotEnv = { ...m(values.env), ...m(m(values.pilot).env) };
  for (const k of Object.keys(pilotEnv).sort()) env.push({ name: k, value: s(pilotEnv[k]) });
  env.push({ name: 'PILOT_TRACE_SAMPLING', value: String(values.traceSampling ?? 1) });
  env.push({ name: 'PILOT_ENABLE_ANALYSIS', value: String(m(g.istiod).enableAnalysis ?? false) });
  env.push({ name: 'CLUSTER_ID', value: s(m(g.multiCluster).clusterName) || 'Kubernetes' });
  env.push({ name: 'PLATFORM', value: s(values.platform) || s(g.platform) });
  const pilotImage = s(m(values.pilot).image) || s(values.image, 'pilot');
  const image = imageOf(pilotImage, s(m(values.pilot).hub) || s(g.hub), s(m(values.pilot).tag) || s(g.tag), s(g.variant));
  const selector = rev === '' ? { istio: 'pilot' } : { app: 'istiod', 'istio.io/rev': rev };
  const deployment: KubeManifest = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels: lab({ app: 'istiod', istio: 'pilot' }) },
    spec: {
      strategy: { rollingUpdate: { maxSurge: '100%', maxUnavailable: '25%' } },
      selector: { matchLabels: selector },
      template: {
        metadata: {
          labels: {
            app: 'istiod',
            'istio.io/rev': rev || 'default',
            'install.operator.istio.io/owning-resource': owning,
            'sidecar.istio.io/inject': 'false',
            'operator.istio.io/component': 'Pilot',
            istio: rev === '' ? 'pilot' : 'istiod',
            'istio.io/dataplane-mode': 'none',
            'app.kubernetes.io/name': 'istiod',
          },
          annotations: { 'prometheus.io/port': '15014', 'prometheus.io/scrape': 'true', 'sidecar.istio.io/inject': 'false' },
        },
        spec: {
          tolerations: [{ key: 'cni.istio.io/not-ready', operator: 'Exists' }],
          serviceAccountName: name,
          containers: [
            {
              name: 'discovery',
              image,
              args: ['discovery', '--monitoringAddr=:15014', `--log_output_level=${s(m(g.logging).level, 'default:info')}`, '--domain', s(m(g.proxy).clusterDomain, 'cluster.local'), '--keepaliveMaxServerConnectionAge', '30m'],
              ports: [
                { containerPort: 8080, protocol: 'TCP', name: 'http-debug' },
                { containerPort: 15010, protocol: 'TCP', name: 'grpc-xds' },
                { containerPort: 15012, protocol: 'TCP', name: 'tls-xds' },
                { containerPort: 15017, protocol: 'TCP', name: 'https-webhooks' },
                { containerPort: 15014, protocol: 'TCP', name: 'http-monitoring' },
              ],
              env,
            },
          ],
        },
      },
    },
  };
  const replicas = getPath(input.components.pilotK8s ?? {}, ['replicaCount']);
  if (typeof replicas === 'number') (deployment.spec as Values).replicas = replicas;
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns, labels: lab({ app: 'istiod' }) } },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `istio${suffix(rev)}`, namespace: ns, labels: lab({}) },
      data: { meshNetworks: meshNetworksText(values), mesh: toYamlText(mesh) },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `istio-sidecar-injector${suffix(rev)}`, namespace: ns, labels: lab({}) },
      data: { values: JSON.stringify(injectorValues(values), null, 2), config: injectorConfigText(values) },
    },
    deployment,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: ns, labels: lab({ app: 'istiod', istio: 'pilot' }) },
      spec: {
        ports: [
          { port: 15010, name: 'grpc-xds', protocol: 'TCP' },
          { port: 15012, name: 'https-dns', protocol: 'TCP' },
          { port: 443, name: 'https-webhook', targetPort: 15017, protocol: 'TCP' },
          { port: 15014, name: 'http-monitoring', protocol: 'TCP' },
        ],
        selector: rev === '' ? { app: 'istiod', istio: 'pilot' } : { app: 'istiod', 'istio.io/rev': rev },
      },
    },
  ];
}

/** The istio-cni chart: DaemonSet `istio-cni-node` (label `k8s-app: istio-cni-node`), its ServiceAccount and ConfigMap. */
export function renderCni(input: Pick<InstallInput, 'version' | 'namespace' | 'revision' | 'owner'> & Partial<InstallInput>, values: Values): KubeManifest[] {
  const g = m(values.global);
  const cni = m(values.cni);
  const image = imageOf(s(cni.image) || 'install-cni', s(cni.hub) || s(g.hub), s(cni.tag) || s(g.tag), s(g.variant));
  const full = { ...input, profile: '', components: { base: false, pilot: false, cni: { enabled: true, namespace: input.namespace }, ingressGateways: [], egressGateways: [] }, values, distribution: input.distribution ?? 'upstream' } as InstallInput;
  const labels = { ...commonLabels(full, 'Cni', releaseName(full, 'Cni')), 'k8s-app': 'istio-cni-node', 'operator.istio.io/component': 'Cni', 'istio.io/rev': input.revision || 'default' };
  const ns = input.namespace;
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'istio-cni', namespace: ns, labels } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio-cni-config', namespace: ns, labels }, data: { CURRENT_AGENT_VERSION: s(g.tag), AMBIENT_ENABLED: String(s(values.profile) === 'ambient'), CHAINED_CNI_PLUGIN: String(cni.chained ?? true) } },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'istio-cni-node', namespace: ns, labels },
      spec: {
        selector: { matchLabels: { 'k8s-app': 'istio-cni-node' } },
        template: {
          metadata: { labels: { 'k8s-app': 'istio-cni-node', 'sidecar.istio.io/inject': 'false', 'istio.io/dataplane-mode': 'none' }, annotations: { 'sidecar.istio.io/inject': 'false' } },
          spec: {
            serviceAccountName: 'istio-cni',
            tolerations: [{ effect: 'NoSchedule', operator: 'Exists' }, { key: 'CriticalAddonsOnly', operator: 'Exists' }, { effect: 'NoExecute', operator: 'Exists' }],
            containers: [{ name: 'install-cni', image, command: ['install-cni'], args: ['--log_output_level=info'], env: [{ name: 'REPAIR_ENABLED', value: 'true' }] }],
          },
        },
      },
    },
  ];
}

type EnvVar = { name: string; value?: string; valueFrom?: unknown };

function renderGateway(input: InstallInput, values: Values, gw: GatewayComponent, kind: 'IngressGateways' | 'EgressGateways'): Result<KubeManifest[], SimError> {
  const chartKey = kind === 'IngressGateways' ? 'istio-ingressgateway' : 'istio-egressgateway';
  // applyComponentValuesToHelmValues: name, labels and k8s.service.ports go into the chart's values.
  const chart = mergeFrom(gatewayChartDefaults(kind === 'IngressGateways' ? 'ingress' : 'egress'), m(m(values.gateways)[chartKey]));
  const labels: Record<string, string> = { ...(m(chart.labels) as Record<string, string>), ...gw.label };
  const service = m(gw.k8s.service);
  const ports = (Array.isArray(service.ports) && service.ports.length > 0 ? service.ports : (chart.ports as unknown[])).filter(isMap);
  const rev = s(values.revision);
  const release = releaseName(input, kind);
  const owning = input.owner.name || s(values.ownerName) || 'unknown';
  const g = m(values.global);
  const platform = s(values.platform) || s(g.platform);
  const base = { ...commonLabels(input, kind, release) };
  const metaLabels = { ...base, ...labels, release, 'istio.io/rev': rev || 'default', 'install.operator.istio.io/owning-resource': owning, 'operator.istio.io/component': kind, 'app.kubernetes.io/name': chartKey };
  const injectionTemplate = s(chart.injectionTemplate);
  const podLabels: Record<string, string> = { ...labels };
  if (gw.namespace === 'istio-system') Object.assign(podLabels, { heritage: 'Tiller', release: 'istio', chart: 'gateways' });
  Object.assign(podLabels, {
    'service.istio.io/canonical-name': gw.name,
    'service.istio.io/canonical-revision': labels['app.kubernetes.io/version'] ?? labels.version ?? (rev || 'latest'),
    'install.operator.istio.io/owning-resource': owning,
    'operator.istio.io/component': kind,
    'sidecar.istio.io/inject': injectionTemplate === '' ? 'false' : 'true',
    'app.kubernetes.io/name': chartKey,
  });
  if (rev !== '') podLabels['istio.io/rev'] = rev;
  const annotations: Record<string, string> = { 'prometheus.io/port': '15020', 'prometheus.io/scrape': 'true', 'prometheus.io/path': '/stats/prometheus', 'sidecar.istio.io/inject': injectionTemplate === '' ? 'false' : 'true' };
  if (injectionTemplate !== '') annotations['inject.istio.io/templates'] = injectionTemplate;
  Object.assign(annotations, m(chart.podAnnotations) as Record<string, string>, m(gw.k8s.podAnnotations) as Record<string, string>);
  const env: EnvVar[] = [{ name: 'ISTIO_META_UNPRIVILEGED_POD', value: 'true' }];
  for (const [k, v] of Object.entries(m(chart.env))) env.push({ name: k, value: s(v) });
  // k8s.env is a strategic-merge patch onto the container's env (postprocess.go): by name.
  for (const e of Array.isArray(gw.k8s.env) ? gw.k8s.env.filter(isMap) : []) {
    const i = env.findIndex((x) => x.name === s(e.name));
    const next = { ...(e as EnvVar) };
    if (i >= 0) env[i] = next;
    else env.push(next);
  }
  const image = injectionTemplate === '' ? imageOf(s(m(g.proxy).image, 'proxyv2'), s(g.hub), s(g.tag), s(g.variant)) : 'auto';
  const podSpec: Values = {};
  if (platform !== 'openshift') podSpec.securityContext = { runAsUser: 1337, runAsGroup: 1337, runAsNonRoot: true };
  else podSpec.securityContext = { runAsNonRoot: true };
  podSpec.serviceAccountName = `${gw.name}-service-account`;
  podSpec.containers = [
    {
      name: 'istio-proxy',
      image,
      ports: [...ports.map((p) => ({ containerPort: Number(p.targetPort ?? p.port), protocol: s(p.protocol, 'TCP') })), { containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' }],
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true },
      env,
    },
  ];
  const deployment: KubeManifest = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: gw.name, namespace: gw.namespace, labels: metaLabels },
    spec: {
      selector: { matchLabels: labels },
      strategy: { rollingUpdate: { maxSurge: '100%', maxUnavailable: '25%' } },
      template: { metadata: { labels: podLabels, annotations }, spec: podSpec },
    },
  };
  if (typeof gw.k8s.replicaCount === 'number') (deployment.spec as Values).replicas = gw.k8s.replicaCount;
  const svcSpec: Values = {
    type: s(chart.type, 'LoadBalancer'),
    selector: labels,
    ports: ports.map((p) => {
      const port: Values = { name: s(p.name), port: Number(p.port), protocol: s(p.protocol, 'TCP') };
      if (p.targetPort !== undefined) port.targetPort = p.targetPort;
      return port;
    }),
  };
  // Other k8s.service fields (type, loadBalancerIP, …) patch the Service spec (postprocess.go).
  for (const [k, v] of Object.entries(service)) if (k !== 'ports') svcSpec[k] = v;
  const svc: KubeManifest = { apiVersion: 'v1', kind: 'Service', metadata: { name: gw.name, namespace: gw.namespace, labels: metaLabels }, spec: svcSpec };
  const svcAnn = { ...(m(chart.serviceAnnotations) as Record<string, string>), ...(m(gw.k8s.serviceAnnotations) as Record<string, string>) };
  if (Object.keys(svcAnn).length > 0) svc.metadata!.annotations = svcAnn;
  const sa: KubeManifest = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `${gw.name}-service-account`, namespace: gw.namespace, labels: metaLabels } };
  const objs = [sa, deployment, svc];
  const overlays = Array.isArray(gw.k8s.overlays) ? gw.k8s.overlays.filter(isMap) : [];
  for (const ov of overlays) {
    const target = objs.find((o) => o.kind === s(ov.kind) && o.metadata?.name === s(ov.name));
    if (!target) continue;
    for (const p of Array.isArray(ov.patches) ? ov.patches.filter(isMap) : []) {
      const r = applyOverlayPatch(target as unknown as Values, s(p.path), p.value);
      if (!r.ok) return r;
    }
  }
  return ok(objs);
}

/**
 * One IstioOperator overlay patch (operator/pkg/render/postprocess.go → tpath): a dotted path where
 * `[key:value]` selects the list element whose `key` is `value` (`[name:workload-socket]`), `[n]` an index;
 * a missing list element named by a selector is appended; `value` absent deletes.
 */
export function applyOverlayPatch(root: Values, path: string, value: unknown): Result<void, SimError> {
  const segs = splitSetPath(path.replace(/\.\[/g, '['));
  let cur: unknown = root;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const last = i === segs.length - 1;
    const sel = /^\[(.*)\]$/.exec(seg);
    if (sel) {
      if (!Array.isArray(cur)) return err(simError('istio/overlay', `overlay path ${path}: ${seg} is not on a list`));
      const expr = sel[1]!;
      let idx: number;
      if (/^\d+$/.test(expr)) idx = Number(expr);
      else {
        const c = expr.indexOf(':');
        const k = expr.slice(0, c);
        const v = expr.slice(c + 1);
        idx = cur.findIndex((e) => isMap(e) && String(e[k]) === v);
        if (idx < 0) {
          if (!last) return err(simError('istio/overlay', `overlay path ${path}: no element matches ${seg}`));
          if (value !== undefined) cur.push(value);
          return ok(undefined);
        }
      }
      if (last) {
        if (value === undefined) cur.splice(idx, 1);
        else cur[idx] = value;
        return ok(undefined);
      }
      cur = cur[idx];
      continue;
    }
    if (!isMap(cur)) return err(simError('istio/overlay', `overlay path ${path}: ${seg} is not on a map`));
    if (last) {
      if (value === undefined) delete cur[seg];
      else cur[seg] = value;
      return ok(undefined);
    }
    if (cur[seg] === undefined) cur[seg] = /^\[/.test(segs[i + 1] ?? '') ? [] : {};
    cur = cur[seg];
  }
  return ok(undefined);
}
