/**
 * Helpers shared by the rules: finding construction (with the field's file:line), object lookup, and
 * the facts several rules derive from manifests (trust domain, the controller manager's class, whether
 * a cluster runs ZTWIM, workloads' pod templates and namespaces).
 */
import { labelSelectorMatches, type LabelSelector } from '../../kube/selector.ts';
import { parseConfigText } from '../../spire/hcl.ts';
import { parseYamlDocuments } from '../../kube/yaml.ts';
import type { AnalyzedObject, ClusterInput, Finding, ObjectRef, Rule } from '../types.ts';

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** Reads a dotted path (`spec.bundleEndpointProfile.type`) from a plain object. */
export function get(o: unknown, path: string): unknown {
  let cur: unknown = o;
  for (const k of path.split('.')) {
    if (!isObj(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

export const kindOf = (o: AnalyzedObject): string => String(o.object.kind ?? '');
export const groupOf = (o: AnalyzedObject): string => {
  const v = String(o.object.apiVersion ?? '');
  return v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
};
export const nameOf = (o: AnalyzedObject): string => String(get(o.object, 'metadata.name') ?? '');
export const namespaceOf = (o: AnalyzedObject): string | undefined => str(get(o.object, 'metadata.namespace'));

export function ref(o: AnalyzedObject): ObjectRef {
  const ns = namespaceOf(o);
  return { kind: kindOf(o), name: nameOf(o), ...(o.object.apiVersion ? { apiVersion: String(o.object.apiVersion) } : {}), ...(ns ? { namespace: ns } : {}) };
}

/** The objects of a kind (optionally of a group) in a cluster. */
export const objects = (c: ClusterInput, kind: string, group?: string): AnalyzedObject[] => c.objects.filter((o) => kindOf(o) === kind && (group === undefined || groupOf(o) === group));

/**
 * A finding on an object its step expects to be refused (`AnalyzedObject.refused`) is true of the text but
 * harmless: the command fails and nothing is created. Info, and the message says why.
 */
export function asRefused(f: Finding, o: AnalyzedObject): Finding {
  if (!o.refused) return f;
  return { ...f, severity: 'info', message: `${f.message}. Harmless in this scenario: the step expects the command to fail (exit code ${o.refused.exitCode}); it shows the rejection and creates nothing` };
}

/** A finding on `field` of `o`, at the field's line when the document is known (else its nearest ancestor's, else the object's). */
export function finding(rule: Pick<Rule, 'code' | 'severity' | 'refs'>, o: AnalyzedObject, field: string, message: string, extra: { refs?: readonly string[]; severity?: Finding['severity'] } = {}): Finding {
  const line = o.doc ? (o.doc.positionOf(field)?.line ?? o.doc.locate(field).position.line) : o.line;
  return asRefused({
    code: rule.code,
    severity: extra.severity ?? rule.severity,
    cluster: o.cluster,
    object: ref(o),
    ...(o.file ? { file: o.file } : {}),
    ...(line !== undefined ? { line } : {}),
    field,
    message,
    refs: extra.refs ?? rule.refs,
  }, o);
}

/** A rule's check, cluster by cluster. */
export const perCluster = (f: (c: ClusterInput) => Finding[]) => (input: { clusters: readonly ClusterInput[] }): Finding[] => input.clusters.flatMap(f);

// ---------------------------------------------------------------- SPIRE facts

export const ZTWIM_NAMESPACE = 'zero-trust-workload-identity-manager';
export const ZTWIM_CLASS = 'zero-trust-workload-identity-manager-spire';
const ZTWIM_KINDS = ['ZeroTrustWorkloadIdentityManager', 'SpireServer', 'SpireAgent', 'SpiffeCSIDriver', 'SpireOIDCDiscoveryProvider'];

/** The cluster runs the ZTWIM operator (its profile, its CRs, its Subscription or namespace). */
export function isZtwim(c: ClusterInput): boolean {
  if (c.profile === 'ztwim') return true;
  if (c.profile !== undefined && c.profile !== 'ztwim' && c.objects.every((o) => !ZTWIM_KINDS.includes(kindOf(o)))) return false;
  return c.objects.some((o) => ZTWIM_KINDS.includes(kindOf(o)) || (kindOf(o) === 'Subscription' && /zero-trust-workload-identity-manager/.test(String(get(o.object, 'spec.name') ?? nameOf(o)))) || (kindOf(o) === 'Namespace' && nameOf(o) === ZTWIM_NAMESPACE));
}

export interface ControllerClass {
  readonly className: string;
  readonly watchClassless: boolean;
  /** Where it comes from: a ConfigMap of the manifests, or the ZTWIM operator's rendering. */
  readonly source: string;
}

/** The spire-controller-manager's class: its ConfigMap (ControllerManagerConfig) or ZTWIM's fixed one. */
export function controllerClass(c: ClusterInput): ControllerClass | undefined {
  for (const cm of objects(c, 'ConfigMap')) {
    const data = get(cm.object, 'data');
    if (!isObj(data)) continue;
    for (const v of Object.values(data)) {
      if (typeof v !== 'string' || !/kind:\s*ControllerManagerConfig/.test(v)) continue;
      const docs = parseYamlDocuments(v, 'controller-manager-config.yaml');
      const cfg = docs.ok ? docs.value[0]?.object : undefined;
      if (!cfg) continue;
      return { className: str(cfg.className) ?? '', watchClassless: cfg.watchClassless === true, source: `ConfigMap ${namespaceOf(cm) ?? ''}/${nameOf(cm)}`.replace(' /', ' ') };
    }
  }
  if (isZtwim(c)) return { className: ZTWIM_CLASS, watchClassless: false, source: 'the ZTWIM operator\'s rendering' };
  return undefined;
}

/** scm reconcileClass: classless CRs need watchClassless; classed ones must name the controller's class. */
export const reconciles = (cc: ControllerClass, className: string): boolean => (className === '' && cc.watchClassless) || className === cc.className;

/** Plain values of a SPIRE config (HCL or JSON); HCL blocks decode to lists, unwrapped here. */
export function spireConf(text: string): Obj | undefined {
  const r = parseConfigText(text);
  return r.ok ? (unwrap(r.value) as Obj) : undefined;
}

function unwrap(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 1 && isObj(v[0]) ? unwrap(v[0]) : v.map(unwrap);
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrap(x)]));
  return v;
}

/** ConfigMaps holding a SPIRE server.conf / agent.conf (any key ending in the name), with the parsed config. */
export function spireConfigs(c: ClusterInput, which: 'server' | 'agent'): { cm: AnalyzedObject; key: string; conf: Obj }[] {
  const out: { cm: AnalyzedObject; key: string; conf: Obj }[] = [];
  for (const cm of objects(c, 'ConfigMap')) {
    const data = get(cm.object, 'data');
    if (!isObj(data)) continue;
    for (const [key, v] of Object.entries(data)) {
      if (typeof v !== 'string' || !new RegExp(`${which}\\.conf$`).test(key)) continue;
      const conf = spireConf(v);
      if (conf && isObj(conf[which])) out.push({ cm, key, conf });
    }
  }
  return out;
}

/** The cluster's trust domain: the scenario's, else SPIRE's config or the ZTWIM CRs'. */
export function trustDomainOf(c: ClusterInput): string | undefined {
  if (c.trustDomain) return c.trustDomain;
  for (const s of spireConfigs(c, 'server')) {
    const td = str(get(s.conf, 'server.trust_domain'));
    if (td) return td;
  }
  for (const k of ['ZeroTrustWorkloadIdentityManager', 'SpireServer']) {
    for (const o of objects(c, k)) {
      const td = str(get(o.object, 'spec.trustDomain'));
      if (td) return td;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- workloads

export interface Workload {
  readonly object: AnalyzedObject;
  readonly namespace: string;
  /** The pod template's labels, plus what the Istio injector adds to injected pods. */
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly podSpec: Obj;
  /** The pod spec's path in the object (`spec.template.spec`). */
  readonly specPath: string;
}

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'];

/** Namespaces (with labels) the cluster's manifests define or use; `kubernetes.io/metadata.name` as the API server sets it. */
export function namespaces(c: ClusterInput): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const o of c.objects) {
    const ns = kindOf(o) === 'Namespace' ? nameOf(o) : namespaceOf(o);
    if (!ns) continue;
    const labels = kindOf(o) === 'Namespace' ? ((get(o.object, 'metadata.labels') as Record<string, string> | undefined) ?? {}) : {};
    out.set(ns, { ...(out.get(ns) ?? {}), ...labels, 'kubernetes.io/metadata.name': ns });
  }
  return out;
}

/** Whether the Istio injector injects pods of this template in this namespace (istio-injection / sidecar.istio.io/inject). */
function injected(nss: ReadonlyMap<string, Record<string, string>>, namespace: string, labels: Record<string, string>, annotations: Record<string, string>): boolean {
  const nsLabels = nss.get(namespace) ?? {};
  const podInject = labels['sidecar.istio.io/inject'] ?? annotations['sidecar.istio.io/inject'];
  if (podInject === 'false') return false;
  if (nsLabels['istio-injection'] === 'disabled') return false;
  return nsLabels['istio-injection'] === 'enabled' || (nsLabels['istio.io/rev'] !== undefined) || podInject === 'true';
}

export function workloads(c: ClusterInput): Workload[] {
  const out: Workload[] = [];
  const nss = namespaces(c);
  for (const o of c.objects) {
    if (o.partial) continue;
    const kind = kindOf(o);
    const isPod = kind === 'Pod';
    if (!isPod && !WORKLOAD_KINDS.includes(kind)) continue;
    const tmpl = isPod ? o.object : get(o.object, 'spec.template');
    if (!isObj(tmpl)) continue;
    const namespace = namespaceOf(o) ?? 'default';
    const labels = { ...((get(tmpl, 'metadata.labels') as Record<string, string> | undefined) ?? {}) };
    const annotations = { ...((get(tmpl, 'metadata.annotations') as Record<string, string> | undefined) ?? {}) };
    if (injected(nss, namespace, labels, annotations)) {
      // The injector labels pods with their canonical service (inject/webhook.go: app.kubernetes.io/name, app, or the workload's name).
      labels['service.istio.io/canonical-name'] ??= labels['app.kubernetes.io/name'] ?? labels.app ?? nameOf(o);
      labels['service.istio.io/canonical-revision'] ??= labels['app.kubernetes.io/version'] ?? labels.version ?? 'latest';
      labels['security.istio.io/tlsMode'] ??= 'istio';
    }
    out.push({ object: o, namespace, labels, annotations, podSpec: isObj(get(tmpl, 'spec')) ? (get(tmpl, 'spec') as Obj) : {}, specPath: isPod ? 'spec' : 'spec.template.spec' });
  }
  return out;
}

/** The workloads a ClusterSPIFFEID selects (namespaceSelector, then podSelector), as spire-controller-manager does. */
export function selectedWorkloads(c: ClusterInput, csid: AnalyzedObject, ws = workloads(c)): Workload[] {
  const nsSel = get(csid.object, 'spec.namespaceSelector') as LabelSelector | undefined;
  const podSel = get(csid.object, 'spec.podSelector') as LabelSelector | undefined;
  const nss = namespaces(c);
  return ws.filter((w) => labelSelectorMatches(nsSel ?? {}, nss.get(w.namespace) ?? { 'kubernetes.io/metadata.name': w.namespace }) && labelSelectorMatches(podSel ?? {}, w.labels));
}

/** A SPIFFE trust domain name (no scheme, no port, no path). */
export const isTrustDomain = (s: string): boolean => /^[a-z0-9._-]+$/.test(s);

/** A value a guide leaves for the reader to fill in (`<TRUST_DOMAIN>`, `${CLUSTER}`): not judged. */
export const isPlaceholder = (s: string): boolean => /[<>]|\$\{|\{\{/.test(s);
