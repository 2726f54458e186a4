/**
 * What the mesh rules read from a cluster's manifests: the mesh config wherever a user writes it
 * (IstioOperator `spec.meshConfig`, Sail `Istio` `spec.values.meshConfig`, the `istio` ConfigMap's
 * `data.mesh`), Istio values, versions, pod templates and their injection, east-west gateways, remote
 * secrets. Pure: rules only see objects, never the engine. A fact that no manifest states is `undefined`,
 * so rules stay silent on what they cannot see rather than guessing.
 */
import { parseYamlDocuments } from '../../../kube/yaml.ts';
import { parseIstioVersion, compareVersions, SAIL_VERSIONS, type IstioVersion } from '../../../istiod/install/versions.ts';
import type { AnalyzedObject, ClusterInput, Finding, ObjectRef, Severity } from '../../types.ts';
import { asRefused } from '../util.ts';

export type Obj = Record<string, unknown>;
export const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const strings = (v: unknown): string[] => arr(v).filter((x): x is string => typeof x === 'string');

export const kindOf = (o: AnalyzedObject): string => str(o.object.kind) ?? '';
export const apiVersionOf = (o: AnalyzedObject): string => str(o.object.apiVersion) ?? '';
export const groupOf = (o: AnalyzedObject): string => apiVersionOf(o).split('/').length > 1 ? (apiVersionOf(o).split('/')[0] ?? '') : '';
export const meta = (o: AnalyzedObject): Obj => obj(o.object.metadata);
export const nameOf = (o: AnalyzedObject): string => str(meta(o).name) ?? '';
export const namespaceOf = (o: AnalyzedObject): string | undefined => str(meta(o).namespace);
export const labelsOf = (o: AnalyzedObject): Record<string, string> => obj(meta(o).labels) as Record<string, string>;
export const specOf = (o: AnalyzedObject): Obj => obj(o.object.spec);

export const NETWORK_LABEL = 'topology.istio.io/network';
export const ISTIO_GROUP = 'networking.istio.io';
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

export function objectRef(o: AnalyzedObject): ObjectRef {
  const ns = namespaceOf(o);
  return { apiVersion: apiVersionOf(o), kind: kindOf(o), name: nameOf(o), ...(ns ? { namespace: ns } : {}) };
}

/** `Kind/ns/name` for messages. */
export const describe = (o: AnalyzedObject): string => [kindOf(o), namespaceOf(o), nameOf(o)].filter(Boolean).join('/');

/** A finding at `field` of `o`: the field's line when the document knows it, else the object's. */
export function finding(rule: { code: string; severity: Severity; refs: readonly string[] }, o: AnalyzedObject, field: string, message: string, extra?: { severity?: Severity; refs?: readonly string[]; positionField?: string }): Finding {
  const at = o.doc?.locate(extra?.positionField ?? field);
  const line = at?.position.line ?? o.line;
  return asRefused({
    code: rule.code,
    severity: extra?.severity ?? rule.severity,
    cluster: o.cluster,
    object: objectRef(o),
    file: o.file,
    ...(line !== undefined ? { line } : {}),
    field,
    message,
    refs: extra?.refs ?? rule.refs,
  }, o);
}

export const ofKind = (c: ClusterInput, kind: string, group?: string): AnalyzedObject[] =>
  c.objects.filter((o) => kindOf(o) === kind && (group === undefined || groupOf(o) === group));

/** Parses a YAML/JSON string embedded in a field (ConfigMap `data.mesh`, an annotation); undefined if invalid. */
export function embedded(text: unknown): unknown {
  if (typeof text !== 'string' || !text.trim()) return undefined;
  const docs = parseYamlDocuments(text, 'embedded');
  if (!docs.ok) return undefined;
  const first = docs.value[0];
  if (first) return first.object;
  return undefined;
}

/** A JSON value as written (arrays included, which `embedded` — mappings only — rejects). */
export function json(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- mesh config and values

/** One place the mesh config is written, with the field path that leads to it. */
export interface MeshConfigSource {
  readonly object: AnalyzedObject;
  /** Field path of the mesh config inside the object (`spec.meshConfig`, `data.mesh`). */
  readonly path: string;
  /** Whether `path` points at a YAML string (ConfigMap) rather than a mapping. */
  readonly embedded: boolean;
  readonly mesh: Obj;
}

const isIstioOperator = (o: AnalyzedObject): boolean => kindOf(o) === 'IstioOperator';
const isSailIstio = (o: AnalyzedObject): boolean => kindOf(o) === 'Istio' && groupOf(o) === 'sailoperator.io';

/** Control-plane installs (not the `profile: empty` gateway-only IstioOperators). */
export function installs(c: ClusterInput): AnalyzedObject[] {
  return c.objects.filter((o) => (isIstioOperator(o) && str(specOf(o).profile) !== 'empty') || isSailIstio(o));
}

export function meshConfigSources(c: ClusterInput): MeshConfigSource[] {
  const out: MeshConfigSource[] = [];
  // An install (IstioOperator, Sail Istio) is what the user wrote; the `istio` ConfigMap it renders repeats it.
  const installed = installs(c).length > 0;
  for (const o of c.objects) {
    if (isIstioOperator(o) && str(specOf(o).profile) !== 'empty') out.push({ object: o, path: 'spec.meshConfig', embedded: false, mesh: obj(specOf(o).meshConfig) });
    else if (isSailIstio(o)) out.push({ object: o, path: 'spec.values.meshConfig', embedded: false, mesh: obj(obj(specOf(o).values).meshConfig) });
    else if (!installed && kindOf(o) === 'ConfigMap' && nameOf(o) === 'istio' && (namespaceOf(o) ?? 'istio-system') === 'istio-system') {
      out.push({ object: o, path: 'data.mesh', embedded: true, mesh: obj(embedded(obj(o.object.data).mesh)) });
    }
  }
  return out;
}

/** The mesh config that wins: the last install in the input (a reinstall replaces the earlier one). */
export const meshConfig = (c: ClusterInput): MeshConfigSource | undefined => meshConfigSources(c).at(-1);

/** Helm-style values of the control plane install (IstioOperator `spec.values`, Sail `spec.values`). */
export function installValues(c: ClusterInput): { object: AnalyzedObject; path: string; values: Obj } | undefined {
  const last = installs(c).at(-1);
  return last ? { object: last, path: 'spec.values', values: obj(specOf(last).values) } : undefined;
}

/** A value still holding a guide's placeholder (`<TRUST_DOMAIN_1>`): not a fact. */
export const isPlaceholder = (v: string): boolean => /[<>]/.test(v);

export function trustDomainOf(c: ClusterInput): string | undefined {
  const fromMesh = str(meshConfig(c)?.mesh.trustDomain);
  return fromMesh && !isPlaceholder(fromMesh) ? fromMesh : c.trustDomain;
}

/** Trust domains the cluster's inbound listeners accept (security.ts inboundTrustDomains), if its mesh config is visible. */
export function acceptedTrustDomains(c: ClusterInput): string[] | undefined {
  const m = meshConfig(c);
  if (!m) return undefined;
  const td = str(m.mesh.trustDomain) ?? c.trustDomain ?? 'cluster.local';
  return [td, ...strings(m.mesh.trustDomainAliases), ...arr(m.mesh.caCertificates).flatMap((x) => strings(obj(x).trustDomains))];
}

export function istioVersionOf(c: ClusterInput): IstioVersion | undefined {
  const sail = c.objects.filter(isSailIstio).at(-1);
  const text = str(specOf(sail ?? ({ object: {} } as AnalyzedObject)).version);
  const fromSail = text ? (SAIL_VERSIONS[text] ?? text) : undefined;
  const v = parseIstioVersion(fromSail ?? c.versions?.istio ?? '');
  return v.ok ? v.value : undefined;
}

export function versionAtLeast(v: IstioVersion | undefined, min: string): boolean | undefined {
  if (!v) return undefined;
  const m = parseIstioVersion(min);
  return m.ok ? compareVersions(v, m.value) >= 0 : undefined;
}

/** Kubelet minor version: the lowest node's (`versions.kubelet`) when known, else the cluster's Kubernetes version. */
export function kubeMinor(c: ClusterInput): number | undefined {
  const m = /^v?1\.(\d+)/.exec(c.versions?.kubelet ?? c.versions?.kubernetes ?? '');
  return m ? Number(m[1]) : undefined;
}

/** istiod env set through the install (`values.pilot.env`) or on the istiod Deployment. */
export function pilotEnv(c: ClusterInput, name: string): string | undefined {
  let value: string | undefined;
  const v = installValues(c);
  const fromValues = obj(obj(v?.values.pilot).env)[name];
  if (fromValues !== undefined) value = String(fromValues);
  for (const d of ofKind(c, 'Deployment').filter((o) => nameOf(o) === 'istiod' || nameOf(o).startsWith('istiod-'))) {
    for (const ct of arr(obj(obj(obj(specOf(d).template).spec)).containers)) {
      const e = arr(obj(ct).env).map(obj).find((x) => x.name === name);
      if (e && typeof e.value === 'string') value = e.value;
    }
  }
  return value;
}

export function networkOf(c: ClusterInput): string | undefined {
  return str(obj(installValues(c)?.values.global).network);
}

// ---------------------------------------------------------------- workloads

export interface Workload {
  readonly object: AnalyzedObject;
  /** Field path of the pod template (`spec.template`) or `''` for a Pod. */
  readonly templatePath: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly podSpec: Obj;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

export function workloads(c: ClusterInput): Workload[] {
  const out: Workload[] = [];
  for (const o of c.objects) {
    const k = kindOf(o);
    if (k === 'Pod') out.push({ object: o, templatePath: '', namespace: namespaceOf(o) ?? 'default', labels: labelsOf(o), annotations: obj(meta(o).annotations) as Record<string, string>, podSpec: specOf(o) });
    else if (WORKLOAD_KINDS.has(k)) {
      const t = obj(specOf(o).template);
      out.push({ object: o, templatePath: 'spec.template', namespace: namespaceOf(o) ?? 'default', labels: obj(obj(t.metadata).labels) as Record<string, string>, annotations: obj(obj(t.metadata).annotations) as Record<string, string>, podSpec: obj(t.spec) });
    }
  }
  return out;
}

export const annotationField = (w: Workload, key: string): string => `${w.templatePath ? `${w.templatePath}.` : ''}metadata.annotations[${key}]`;

/** `inject.istio.io/templates`, split; undefined when the annotation is absent (the default `sidecar`). */
export function injectionTemplates(w: Workload): string[] | undefined {
  const a = w.annotations['inject.istio.io/templates'];
  return a === undefined ? undefined : a.split(',').map((s) => s.trim()).filter(Boolean);
}

export const isGatewayWorkload = (w: Workload): boolean => (injectionTemplates(w) ?? []).includes('gateway') || w.labels.istio === 'eastwestgateway' || w.labels.istio === 'ingressgateway';

/** Whether the workload gets a sidecar: pod label/annotation, else its Namespace's labels; undefined if unknown. */
export function injected(c: ClusterInput, w: Workload): boolean | undefined {
  const podFlag = w.labels['sidecar.istio.io/inject'] ?? w.annotations['sidecar.istio.io/inject'];
  if (podFlag === 'false') return false;
  const ns = ofKind(c, 'Namespace').filter((n) => nameOf(n) === w.namespace).at(-1);
  const nsLabels = ns ? labelsOf(ns) : undefined;
  if (nsLabels?.['istio-injection'] === 'disabled') return false;
  if (podFlag === 'true') return true;
  if (nsLabels && (nsLabels['istio-injection'] === 'enabled' || nsLabels['istio.io/rev'] !== undefined)) return true;
  if (ns) return false;
  return undefined;
}

/** Namespaces of platform components: never an application's client or server. */
export const SYSTEM_NAMESPACE = /^(kube-|istio-|openshift|spire|zero-trust-workload-identity-manager|cert-manager|local-path-storage|metallb)/;

// ---------------------------------------------------------------- injection templates

export interface TemplateDef {
  readonly object: AnalyzedObject;
  readonly field: string;
  readonly name: string;
  readonly body: Obj;
}

/** Custom injection templates: install `values.sidecarInjectorWebhook.templates` and the injector ConfigMap's `data.config`. */
export function injectionTemplateDefs(c: ClusterInput): TemplateDef[] {
  const out: TemplateDef[] = [];
  for (const o of installs(c)) {
    const t = obj(obj(obj(specOf(o).values).sidecarInjectorWebhook).templates);
    for (const [name, text] of Object.entries(t)) out.push({ object: o, field: `spec.values.sidecarInjectorWebhook.templates.${name}`, name, body: obj(embedded(text)) });
  }
  // The injector ConfigMap an install renders repeats the install's templates: only read it for templates no install defines.
  const fromInstall = new Set(out.map((t) => t.name));
  for (const o of ofKind(c, 'ConfigMap').filter((x) => nameOf(x).startsWith('istio-sidecar-injector'))) {
    const cfg = obj(embedded(obj(o.object.data).config));
    for (const [name, text] of Object.entries(obj(cfg.templates))) if (!fromInstall.has(name)) out.push({ object: o, field: 'data.config', name, body: obj(embedded(text)) });
  }
  return out;
}

const CSI_DRIVER = 'csi.spiffe.io';

/** Whether a template (or a pod spec) mounts the SPIFFE CSI driver. */
export function mountsSpiffeCsi(spec: Obj): boolean {
  return arr(spec.volumes).some((v) => str(obj(obj(v).csi).driver) === CSI_DRIVER);
}

/** Template names that bring the SPIRE socket: defined with the CSI volume, or named like the samples' ones. */
export function spireTemplateNames(input: readonly ClusterInput[]): Set<string> {
  const names = new Set<string>();
  for (const c of input) for (const t of injectionTemplateDefs(c)) if (mountsSpiffeCsi(obj(t.body.spec))) names.add(t.name);
  for (const c of input) for (const w of workloads(c)) for (const t of injectionTemplates(w) ?? []) if (/spire/.test(t)) names.add(t);
  return names;
}

/** Whether the cluster runs SPIRE for workloads (the CSI driver, an agent, or spire-controller-manager CRs). */
export function runsSpire(c: ClusterInput): boolean {
  return c.objects.some((o) => (kindOf(o) === 'CSIDriver' && nameOf(o) === CSI_DRIVER) || kindOf(o) === 'ClusterSPIFFEID' || kindOf(o) === 'SpireAgent' || (kindOf(o) === 'DaemonSet' && /spire-agent/.test(nameOf(o))));
}

/** The `userVolume` annotation brings the CSI volume itself (object form keyed by name, or the seed's array). */
export function userVolumeMountsCsi(w: Workload): boolean {
  const v = json(w.annotations['sidecar.istio.io/userVolume']);
  const vols = Array.isArray(v) ? v : Object.values(obj(v));
  return vols.some((x) => str(obj(obj(x).csi).driver) === CSI_DRIVER);
}

// ---------------------------------------------------------------- services, gateways, multi-cluster

/** `name.ns.svc.cluster.local` for a Service. */
export const serviceHost = (o: AnalyzedObject): string => `${nameOf(o)}.${namespaceOf(o) ?? 'default'}.svc.cluster.local`;

/** A DestinationRule/ServiceEntry host, made a FQDN the way istiod does for short names. */
export function fqdn(host: string, ns: string): string {
  return host.includes('.') ? host : `${host}.${ns}.svc.cluster.local`;
}

/** Application Services (outside system namespaces) by FQDN. */
export function appServices(c: ClusterInput): AnalyzedObject[] {
  return ofKind(c, 'Service').filter((s) => !SYSTEM_NAMESPACE.test(namespaceOf(s) ?? 'default'));
}

export interface EastWestGateway {
  readonly object: AnalyzedObject;
  readonly network?: string;
  /** Pod labels Istio Gateways select it by. */
  readonly labels: Record<string, string>;
  readonly how: 'istio-operator' | 'service' | 'gateway-api' | 'deployment';
}

/** East-west gateways a cluster declares (gen-eastwest-gateway.sh's IstioOperator, a labelled Service, a Gateway API Gateway, a Deployment). */
export function eastWestGateways(c: ClusterInput): EastWestGateway[] {
  const out: EastWestGateway[] = [];
  for (const o of c.objects.filter(isIstioOperator)) {
    for (const g of arr(obj(specOf(o).components).ingressGateways).map(obj)) {
      const labels = obj(g.label) as Record<string, string>;
      const ports = arr(obj(obj(g.k8s).service).ports).map((p) => Number(obj(p).port));
      // The rendered Service, when the input has it, is what istiod reads (labels may have been edited since).
      const rendered = ofKind(c, 'Service').some((s) => nameOf(s) === str(g.name));
      if (!rendered && g.enabled !== false && (labels[NETWORK_LABEL] !== undefined || ports.includes(15443) || /eastwest/.test(str(g.name) ?? ''))) {
        out.push({ object: o, labels, how: 'istio-operator', ...(labels[NETWORK_LABEL] ? { network: labels[NETWORK_LABEL] } : {}) });
      }
    }
  }
  for (const s of ofKind(c, 'Service')) {
    const l = labelsOf(s);
    if (l[NETWORK_LABEL] !== undefined || /eastwest/.test(nameOf(s))) out.push({ object: s, labels: obj(specOf(s).selector) as Record<string, string>, how: 'service', ...(l[NETWORK_LABEL] ? { network: l[NETWORK_LABEL] } : {}) });
  }
  for (const g of ofKind(c, 'Gateway', GATEWAY_API_GROUP)) {
    const l = labelsOf(g);
    if (l[NETWORK_LABEL] !== undefined) out.push({ object: g, labels: {}, how: 'gateway-api', network: l[NETWORK_LABEL] });
  }
  for (const w of workloads(c)) if (w.labels.istio === 'eastwestgateway' || /eastwest/.test(nameOf(w.object))) out.push({ object: w.object, labels: w.labels, how: 'deployment', ...(w.labels[NETWORK_LABEL] ? { network: w.labels[NETWORK_LABEL] } : {}) });
  return out;
}

/**
 * Networks istiod knows a gateway for from the registry (network.go): labelled Services exposing the mTLS port
 * (label `networking.istio.io/gatewayPort`, default 15443), network-labelled Gateway API Gateways, and
 * gen-eastwest-gateway.sh IstioOperators whose Service the input does not show. Pod labels do not count.
 */
export function registryGatewayNetworks(c: ClusterInput): string[] {
  return eastWestGateways(c)
    .filter((g) => g.network !== undefined && g.how !== 'deployment')
    .filter((g) => {
      if (g.how !== 'service') return true;
      const port = Number(labelsOf(g.object)['networking.istio.io/gatewayPort'] ?? 15443);
      return arr(specOf(g.object).ports).some((p) => Number(obj(p).port) === port);
    })
    .map((g) => g.network!);
}

/** Cluster IDs a cluster's istiod reads through `istio/multiCluster=true` secrets (each data key is one). */
export function remoteSecretClusters(c: ClusterInput): { object: AnalyzedObject; clusters: string[] }[] {
  return ofKind(c, 'Secret')
    .filter((s) => labelsOf(s)['istio/multiCluster'] === 'true')
    .map((s) => ({ object: s, clusters: [...Object.keys(obj(s.object.data)), ...Object.keys(obj(s.object.stringData))] }));
}

/** The cluster ID istiod runs with: `values.global.multiCluster.clusterName`, else the input's cluster name. */
export function clusterIdOf(c: ClusterInput): string {
  return str(obj(obj(installValues(c)?.values.global).multiCluster).clusterName) ?? c.name;
}

/** Istio Gateways (networking.istio.io) whose selector matches `labels`. */
export function gatewaysSelecting(c: ClusterInput, labels: Record<string, string>): AnalyzedObject[] {
  return ofKind(c, 'Gateway', ISTIO_GROUP).filter((g) => {
    const sel = obj(specOf(g).selector) as Record<string, string>;
    return Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v);
  });
}
