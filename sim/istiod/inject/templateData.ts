/**
 * The data the injection templates are rendered with (istio: pkg/kube/inject/inject.go
 * `SidecarTemplateData`, built in `RunTemplate`), and the small template helpers they share.
 */
import { isPlainObject } from '../../kube/object.ts';
import { str, valueAt, type TemplateFeatures } from './values.ts';

type Obj = Record<string, unknown>;

export interface PodMeta {
  readonly name?: string;
  readonly generateName?: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly { apiVersion: string; kind: string; name: string; controller?: boolean }[];
  readonly [key: string]: unknown;
}

/** A pod (or a pod template) in wire shape. */
export interface PodLike {
  readonly metadata?: PodMeta;
  readonly spec: Obj;
  readonly [key: string]: unknown;
}

/** The workload that owns the pod (`.DeploymentMeta` / `.TypeMeta`). */
export interface OwnerMeta {
  readonly name: string;
  readonly namespace: string;
  readonly apiVersion: string;
  readonly kind: string;
}

export interface TemplateData {
  readonly pod: PodLike;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** Names of `.Spec.Containers` other than istio-proxy (the templates' `$containers`). */
  readonly appContainers: readonly string[];
  readonly owner: OwnerMeta;
  readonly values: unknown;
  readonly meshConfig: Obj;
  readonly proxyConfig: Obj;
  readonly revision: string;
  readonly proxyImage: string;
  readonly proxyInitImage: string;
  readonly nativeSidecars: boolean;
  readonly proxyUID: number;
  readonly proxyGID: number;
  readonly features: TemplateFeatures;
}

/** The `annotation` template func: the pod annotation if set, else the default (printed with `%v`). */
export function annotationOr(d: TemplateData, name: string, dflt: unknown): string {
  const a = d.annotations[name];
  return a !== undefined ? a : str(dflt);
}

export const v = (d: TemplateData, path: string): unknown => valueAt(d.values, path);
export const vs = (d: TemplateData, path: string): string => str(valueAt(d.values, path));

/** `.ProxyConfig.InterceptionMode` (enum name). */
export const interceptionMode = (d: TemplateData): string => str(d.proxyConfig.interceptionMode, 'REDIRECT');

/** `valueOrDefault .MeshConfig.TrustDomain .Values.global.trustDomain`. */
export function trustDomain(d: TemplateData): string {
  return str(d.meshConfig.trustDomain) || vs(d, 'global.trustDomain');
}

export function proxyMetadata(d: TemplateData): [string, string][] {
  const pm = d.proxyConfig.proxyMetadata;
  if (!isPlainObject(pm)) return [];
  // Go templates range over maps in sorted key order.
  return Object.keys(pm)
    .sort()
    .map((k) => [k, str(pm[k])]);
}

/** The `resources` define of injection-template.yaml: annotations win over global.proxy.resources. */
export function proxyResources(d: TemplateData): Obj | undefined {
  const a = d.annotations;
  const cpu = a['sidecar.istio.io/proxyCPU'];
  const mem = a['sidecar.istio.io/proxyMemory'];
  const cpuL = a['sidecar.istio.io/proxyCPULimit'];
  const memL = a['sidecar.istio.io/proxyMemoryLimit'];
  if (cpu !== undefined || mem !== undefined || cpuL !== undefined || memL !== undefined) {
    const out: Obj = {};
    if (cpu !== undefined || mem !== undefined) out.requests = { ...(cpu !== undefined ? { cpu } : {}), ...(mem !== undefined ? { memory: mem } : {}) };
    if (cpuL !== undefined || memL !== undefined) out.limits = { ...(cpuL !== undefined ? { cpu: cpuL } : {}), ...(memL !== undefined ? { memory: memL } : {}) };
    return out;
  }
  const r = v(d, 'global.proxy.resources');
  if (!isPlainObject(r) || Object.keys(r).length === 0) return undefined;
  // omitNil
  const out: Obj = {};
  for (const [k, x] of Object.entries(r)) if (x !== null && x !== undefined) out[k] = x;
  return out;
}

/**
 * `ISTIO_META_POD_PORTS`: the template's `[` … `]` block with one `structToJSON` per declared port,
 * each on its own line indented by four spaces, later ones prefixed by `,` (whitespace as rendered).
 */
export function podPortsJson(d: TemplateData, portJson: (p: Obj) => string): string {
  const lines: string[] = [];
  const containers = Array.isArray(d.pod.spec.containers) ? d.pod.spec.containers : [];
  for (const c of containers) {
    if (!isPlainObject(c) || !Array.isArray(c.ports)) continue;
    for (const p of c.ports) if (isPlainObject(p)) lines.push(`    ${lines.length > 0 ? ',' : ''}${portJson(p)}`);
  }
  return ['[', ...lines, ']'].join('\n');
}

/** `.ProxyConfig` as `protoToJSON` prints it after `cleanProxyConfig` strips defaults (istio: pkg/kube/inject/template.go). */
export function proxyConfigJson(d: TemplateData): string {
  const defaults: Obj = { statusPort: 15020, proxyAdminPort: 15000, discoveryAddress: 'istiod.istio-system.svc:15012', configPath: './etc/istio/proxy', binaryPath: '/usr/local/bin/envoy', serviceCluster: 'istio-proxy', drainDuration: '45s', terminationDrainDuration: '5s', statNameLength: 189, controlPlaneAuthPolicy: 'MUTUAL_TLS', interceptionMode: 'REDIRECT' };
  const out: Obj = {};
  for (const [k, x] of Object.entries(d.proxyConfig)) {
    if (x === undefined || x === null) continue;
    if (defaults[k] !== undefined && defaults[k] === x) continue;
    if (k === 'proxyMetadata' && isPlainObject(x) && Object.keys(x).length === 0) continue;
    out[k] = x;
  }
  // Simplified: protojson key order and the "Unverified: interceptionMode REDIRECT omitted as the enum's zero value" are approximated.
  return Object.keys(out).length === 0 ? '{}' : JSON.stringify(out);
}

/**
 * The volumes both the `sidecar` and `gateway` templates give istio-proxy after the workload/credential
 * sockets (injection-template.yaml, gateway-injection-template.yaml): Envoy's scratch space, the pod's
 * labels and annotations, the projected istio token, and istiod's root when istiod is the CA.
 */
export function proxyVolumes(d: TemplateData, istiodCerts: boolean): Obj[] {
  return [
    { emptyDir: { medium: 'Memory' }, name: 'istio-envoy' },
    { name: 'istio-data', emptyDir: {} },
    {
      name: 'istio-podinfo',
      downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } }] },
    },
    { name: 'istio-token', projected: { sources: [{ serviceAccountToken: { path: 'istio-token', expirationSeconds: 43200, audience: vs(d, 'global.sds.token.aud') } }] } },
    ...(istiodCerts ? [{ name: 'istiod-ca-cert', configMap: { name: vs(d, 'global.trustBundleName') || 'istio-ca-root-cert' } }] : []),
  ];
}
