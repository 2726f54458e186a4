/**
 * The injector's configuration: the Helm values tree, meshConfig, the custom templates and the
 * version of Istio whose templates are emulated. Defaults are the istio-discovery chart's
 * (istio: manifests/charts/istio-control/istio-discovery/values.yaml `_internal_defaults_do_not_set`,
 * the subset the injection templates read) and mesh.DefaultMeshConfig (istio: pkg/config/mesh/mesh.go).
 */
import { isPlainObject } from '../../kube/object.ts';

export type NativeSidecarMode = 'auto' | 'true' | 'false';

export interface InjectionConfig {
  /** '1.24.3', '1.27.0', '1.30.1'…, or 'master' (newer than every tag; the golden files' version). */
  readonly istioVersion: string;
  /** Custom templates (`sidecarInjectorWebhook.templates`): plain YAML; Go-template text is refused. */
  readonly templates: Readonly<Record<string, string>>;
  /** `sidecarInjectorWebhook.defaultTemplates`; default `['sidecar']`. */
  readonly defaultTemplates?: readonly string[];
  /** The Helm values tree (merged over the chart defaults). Template aliases are not modelled. */
  readonly values: unknown;
  readonly meshConfig: unknown;
  /** ENABLE_NATIVE_SIDECARS. Before 1.27 only `true` enables (the env var was a bool, default false). */
  readonly nativeSidecars: NativeSidecarMode;
}

type Obj = Record<string, unknown>;

/** global.proxy defaults of the istio-discovery chart (values.yaml), shared by the injector and the install renderer. */
export const PROXY_VALUE_DEFAULTS: Obj = {
  image: 'proxyv2',
  autoInject: 'enabled',
  clusterDomain: 'cluster.local',
  componentLogLevel: 'misc:error',
  excludeInboundPorts: '',
  includeInboundPorts: '*',
  includeIPRanges: '*',
  excludeIPRanges: '',
  includeOutboundPorts: '',
  excludeOutboundPorts: '',
  logLevel: 'warning',
  outlierLogPath: '',
  privileged: false,
  readinessFailureThreshold: 4,
  readinessInitialDelaySeconds: 0,
  readinessPeriodSeconds: 15,
  startupProbe: { enabled: true, failureThreshold: 600 },
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } },
  statusPort: 15020,
  tracer: 'none',
};

/** istio-discovery values.yaml defaults read by the injection templates (master; unchanged in 1.24–1.30 for these keys). */
export const CHART_DEFAULT_VALUES: Obj = {
  revision: '',
  pilot: { cni: { enabled: false, provider: 'default' }, env: {} },
  istio_cni: { enabled: false },
  sidecarInjectorWebhook: { rewriteAppHTTPProbe: true, templates: {}, defaultTemplates: [], injectedAnnotations: {} },
  meshConfig: { enablePrometheusMerge: true },
  gateways: { securityContext: {} },
  global: {
    istioNamespace: 'istio-system',
    hub: 'registry.istio.io/testing',
    tag: 'latest',
    variant: '',
    imagePullPolicy: '',
    imagePullSecrets: [],
    logAsJson: false,
    nativeNftables: false,
    logging: { level: 'default:info' },
    proxy: PROXY_VALUE_DEFAULTS,
    proxy_init: { image: 'proxyv2', forceApplyIptables: false },
    caAddress: '',
    meshID: '',
    multiCluster: { clusterName: '' },
    network: '',
    pilotCertProvider: 'istiod',
    sds: { token: { aud: 'istio-ca' } },
    sts: { servicePort: 0 },
    caName: '',
    mountMtlsCerts: false,
  },
};

/** mesh.DefaultMeshConfig / DefaultProxyConfig: the fields the injector reads. */
export const DEFAULT_MESH_CONFIG: Obj = {
  trustDomain: 'cluster.local',
  enablePrometheusMerge: true,
  defaultConfig: { statusPort: 15020, interceptionMode: 'REDIRECT', discoveryAddress: 'istiod.istio-system.svc:15012', proxyMetadata: {} },
};

/** Helm-style deep merge: maps merge, everything else (lists too) is replaced by the override. */
export function mergeValues(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = mergeValues(base[k], v);
  return out;
}

/** `.Values.a.b.c` as Go templates read it: missing anywhere ⇒ undefined. */
export function valueAt(tree: unknown, path: string): unknown {
  let cur: unknown = tree;
  for (const k of path.split('.')) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

export const str = (v: unknown, dflt = ''): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : dflt);
/** Go template truthiness (`{{ if x }}`): false, 0, "", nil, empty map/list are false. */
export function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isPlainObject(v)) return Object.keys(v).length > 0;
  return true;
}

/** Compares `1.27.0` style versions; `master` (or anything non-numeric) is newer than every tag. */
export function versionAtLeast(version: string, min: string): boolean {
  const parse = (v: string): number[] | undefined => {
    const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(v);
    return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
  };
  const a = parse(version);
  const b = parse(min);
  if (a === undefined) return true;
  if (b === undefined) return false;
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** Template differences between releases (each cites the tag where `git show <tag>:…` shows it). */
export interface TemplateFeatures {
  /** gateway-injection-template.yaml `workload-socket` is `emptyDir:` (null) rather than `emptyDir: {}`: 1.27.0 (istio#56217). */
  readonly gatewayWorkloadSocketNull: boolean;
  /** ENABLE_NATIVE_SIDECARS accepts `auto` (kubelet ≥ 1.33 detection): 1.27.0 (pilot/pkg/features/pilot.go). */
  readonly nativeAuto: boolean;
  /** injection-template.yaml mounts the `istio-ca-crl` ConfigMap: 1.27.0. */
  readonly caCrlVolume: boolean;
  /** `divisor: "1"` on the resourceFieldRef env vars: 1.29.0. */
  readonly resourceDivisor: boolean;
  /** GOMAXPROCS env var from limits.cpu: 1.24–1.30.x; removed on master after 1.30. */
  readonly gomaxprocs: boolean;
  /** Gateway template sets default-container annotations when `ge (len $containers) 1` unless set (1.25.0+); before, when exactly one. */
  readonly gatewayDefaultContainerGe1: boolean;
  /** canonical-name `trunc 63 | trimAll "-_."` (master) vs `trimSuffix "-"` (≤ 1.30). */
  readonly canonicalNameTrimAll: boolean;
  /** istio-init image from `.ProxyInitImage` / `global.proxy_init.image` (master) vs `.ProxyImage` (≤ 1.30). */
  readonly proxyInitImage: boolean;
}

export function templateFeatures(version: string): TemplateFeatures {
  const newerThan130 = versionAtLeast(version, '1.31.0');
  return {
    gatewayWorkloadSocketNull: versionAtLeast(version, '1.27.0'),
    nativeAuto: versionAtLeast(version, '1.27.0'),
    caCrlVolume: versionAtLeast(version, '1.27.0'),
    resourceDivisor: versionAtLeast(version, '1.29.0'),
    gomaxprocs: !newerThan130,
    gatewayDefaultContainerGe1: versionAtLeast(version, '1.25.0'),
    canonicalNameTrimAll: newerThan130,
    proxyInitImage: newerThan130,
  };
}
