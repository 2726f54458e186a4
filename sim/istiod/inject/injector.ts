/**
 * The Istio sidecar injector as a pure function: a Pod (as the API server hands it to the mutating
 * webhook) in, the injected Pod out. Follows istio: pkg/kube/inject/webhook.go `injectPod`:
 * `RunTemplate` (inject.go: each selected template rendered and strategic-merged onto the pod, in order,
 * with the native-sidecar "weird hack"), `reapplyOverwrittenContainers` (a user-declared istio-proxy
 * wins, image `auto` excepted; recorded in `proxy.istio.io/overrides`), then `postProcessPod`
 * (cluster/network env, Prometheus merge, network label, `sidecar.istio.io/status` from the template pod,
 * container order).
 *
 * The M10 failure falls out of the merge: with native sidecars the `sidecar` template puts the proxy in
 * `initContainers`; a custom template (e.g. `spire`) naming istio-proxy under `containers` then adds a
 * second, image-less istio-proxy there, which the API server rejects (sim/kube/podValidation.ts).
 *
 * Modelled fields (compared with upstream's golden files in test/sim/istiod/inject/golden.test.ts):
 * containers and init containers (name, order, image, imagePullPolicy, args, env names/values/valueFrom,
 * ports, probes, lifecycle, securityContext, volumeMounts, resources, restartPolicy), volumes, pod
 * securityContext and imagePullSecrets from the templates, labels (`security.istio.io/tlsMode`,
 * `service.istio.io/canonical-name`/`-revision`, `topology.istio.io/network`), annotations
 * (`sidecar.istio.io/status`, `istio.io/rev`, `kubectl.kubernetes.io/default-container`,
 * `kubectl.kubernetes.io/default-logs-container`, `prometheus.io/*`, `proxy.istio.io/overrides`, and with
 * CNI the `sidecar.istio.io/interceptionMode` / `traffic.sidecar.istio.io/*` ones).
 *
 * Not modelled (ignore-list; see IGNORED_FIELDS in the golden test):
 * - `PROXY_CONFIG` beyond the non-default keys of meshConfig.defaultConfig + `proxy.istio.io/config`
 *   (protojson key order approximated);
 * - app probe rewriting (`ISTIO_KUBE_APP_PROBERS`, rewritten httpGet probes; webhook.go `applyRewrite`);
 * - re-injection (stripping a previous `sidecar.istio.io/status`, `reinsertOverrides`);
 * - OpenShift UID/GID ranges (`GetProxyIDs`: always 1337), template aliases, never/alwaysInjectSelector,
 *   `ISTIO_PROMETHEUS_ANNOTATIONS` scrape targets (`prometheus.istio.io/scrape-targets`);
 * - the template branches listed in sidecarTemplate.ts and gatewayTemplate.ts, and templates other than
 *   `sidecar`, `gateway` and plain-YAML custom ones (grpc-*, waypoint, kube-gateway, agentgateway*).
 * - object fields outside the pod template (`creationTimestamp: null`, the Deployment's `strategy: {}` and
 *   `status: {}` that kube-inject prints).
 */
import { err, ok, simError, type Result, type SimError } from '../../core/result.ts';
import { applyStrategicMergePatch, type PatchSchema } from '../../kube/patch/strategicMerge.ts';
import { BUILTIN_KINDS } from '../../kube/builtinKinds.ts';
import { deepClone, isPlainObject } from '../../kube/object.ts';
import { parseYamlDocuments } from '../../kube/yaml.ts';
import { parseCustomTemplate } from './customTemplate.ts';
import { renderGatewayTemplate } from './gatewayTemplate.ts';
import { goContainerJson, goRoundTripPod } from './goRoundTrip.ts';
import { detectNativeSidecar, type NodeVersion } from './nativeSidecar.ts';
import { renderSidecarTemplate } from './sidecarTemplate.ts';
import type { OwnerMeta, PodLike, TemplateData } from './templateData.ts';
import { CHART_DEFAULT_VALUES, DEFAULT_MESH_CONFIG, mergeValues, str, templateFeatures, valueAt, versionAtLeast, type InjectionConfig } from './values.ts';

type Obj = Record<string, unknown>;

export type InjectErrorCode =
  | 'istiod/inject-template-not-found'
  | 'istiod/inject-template-unsupported'
  | 'istiod/inject-template-invalid'
  | 'istiod/inject-invalid-annotation'
  | 'istiod/inject-merge-failed';
export type InjectError = SimError<InjectErrorCode>;

export interface InjectContext {
  readonly config: InjectionConfig;
  /** The pod's namespace (the AdmissionRequest's namespace when the pod has none). */
  readonly namespace: string;
  /** The cluster's nodes and their kubelet versions (for ENABLE_NATIVE_SIDECARS=auto). */
  readonly nodes: readonly NodeVersion[];
  /** `spec.nodeName` if the pod is already scheduled (defaults to the pod's own). */
  readonly nodeName?: string;
  /** The owning workload, for kube-inject of a Deployment (default: derived from the pod, as the webhook does). */
  readonly owner?: OwnerMeta;
}

const PROXY = 'istio-proxy';
const POD_SCHEMA: PatchSchema | undefined = BUILTIN_KINDS.find((k) => k.kind === 'Pod' && k.group === '')?.patchSchema;

/** Upstream built-in template names per release (istio-discovery templates/istiod-injector-configmap.yaml). */
function builtinTemplateNames(version: string): string[] {
  const names = ['sidecar', 'gateway', 'grpc-simple', 'grpc-agent', 'waypoint', 'kube-gateway'];
  if (versionAtLeast(version, '1.29.0')) names.push('agentgateway');
  if (versionAtLeast(version, '1.31.0')) names.push('agentgateway-waypoint');
  return names;
}

/** kube.GetDeployMetaFromPod (istio: pkg/kube/util.go): the controller of a generated pod, Deployment via pod-template-hash. */
export function deployMetaFromPod(pod: PodLike, namespace: string): OwnerMeta {
  const meta = pod.metadata ?? {};
  let owner: OwnerMeta = { name: meta.name ?? '', namespace, apiVersion: 'v1', kind: 'Pod' };
  if ((meta.generateName ?? '') !== '') {
    const ref = (meta.ownerReferences ?? []).find((r) => r.controller === true);
    if (ref !== undefined) {
      owner = { name: ref.name, namespace, apiVersion: ref.apiVersion, kind: ref.kind };
      const hash = meta.labels?.['pod-template-hash'] ?? '';
      if (ref.kind === 'ReplicaSet' && hash !== '' && ref.name.endsWith(hash)) owner = { ...owner, name: ref.name.slice(0, -(hash.length + 1)), kind: 'Deployment' };
    }
  }
  return owner.name === '' ? { ...owner, name: meta.name ?? '' } : owner;
}

/** ProxyImage / proxyImageURL (inject.go): `<hub>/<image>:<tag>[-<variant>]`; `sidecar.istio.io/proxyImageType` overrides the variant. */
function imageUrl(values: unknown, imageName: string, annotations: Readonly<Record<string, string>>): string {
  let tag = str(valueAt(values, 'global.tag'));
  const type = annotations['sidecar.istio.io/proxyImageType'] ?? str(valueAt(values, 'global.variant'));
  if (type !== '') {
    for (const known of ['distroless', 'debug']) if (tag.endsWith(`-${known}`)) tag = tag.slice(0, -(known.length + 1));
    if (type !== 'default') tag = `${tag}-${type}`;
  }
  return `${str(valueAt(values, 'global.hub'))}/${imageName}:${tag}`;
}

function containersOf(pod: PodLike, list: 'containers' | 'initContainers'): Obj[] {
  const v = pod.spec[list];
  return Array.isArray(v) ? v.filter(isPlainObject) : [];
}
const findIn = (list: readonly Obj[], name: string): Obj | undefined => list.find((c) => c.name === name);
const names = (list: unknown): string[] | null => (Array.isArray(list) && list.length > 0 ? list.map((c) => (isPlainObject(c) ? str(c.name) : '')) : null);

function mergeError(e: SimError, what: string): InjectError {
  return simError('istiod/inject-merge-failed', `failed to run injection template: ${what}: strategic merge: ${e.message}`, undefined, e);
}

function overlay(target: PodLike, patch: unknown, what: string): Result<PodLike, InjectError> {
  const r = applyStrategicMergePatch(target, patch, POD_SCHEMA);
  if (!r.ok) return err(mergeError(r.error, what));
  return ok(goRoundTripPod(r.value));
}

/** Merges `proxy.istio.io/config` (YAML or JSON ProxyConfig) over meshConfig.defaultConfig (GetProxyConfigOrDefault). */
function proxyConfigFor(mesh: Obj, annotations: Readonly<Record<string, string>>): Result<Obj, InjectError> {
  const base = isPlainObject(mesh.defaultConfig) ? mesh.defaultConfig : {};
  const raw = annotations['proxy.istio.io/config'];
  if (raw === undefined || raw.trim() === '') return ok(base);
  const docs = parseYamlDocuments(raw, 'proxy.istio.io/config');
  if (!docs.ok) return err(simError('istiod/inject-invalid-annotation', `failed to run injection template: invalid proxy.istio.io/config: ${docs.error.message}`));
  return ok(mergeValues(base, docs.value[0]?.object ?? {}) as Obj);
}

/**
 * Injects the pod. The result is the pod the API server would store (before its own defaulting and
 * validation: run `validatePodSpec` from sim/kube/podValidation.ts on it).
 */
export function injectPod(pod: PodLike, ctx: InjectContext): Result<PodLike, InjectError> {
  const { config } = ctx;
  const features = templateFeatures(config.istioVersion);
  const values = mergeValues(CHART_DEFAULT_VALUES, config.values);
  const mesh = mergeValues(mergeValues(DEFAULT_MESH_CONFIG, valueAt(values, 'meshConfig')), config.meshConfig) as Obj;
  const original = goRoundTripPod(deepClone(pod));
  const labels = original.metadata?.labels ?? {};
  const annotations = original.metadata?.annotations ?? {};
  const proxyConfig = proxyConfigFor(mesh, annotations);
  if (!proxyConfig.ok) return proxyConfig;

  // extractClusterAndNetwork (inject.go): values, then the pod's topology.istio.io/network label.
  const cluster = str(valueAt(values, 'global.multiCluster.clusterName'));
  const network = labels['topology.istio.io/network'] ?? str(valueAt(values, 'global.network'));
  const proxyEnvs: [string, string][] = [];
  if (cluster !== '') proxyEnvs.push(['ISTIO_META_CLUSTER_ID', cluster]);
  if (network !== '') proxyEnvs.push(['ISTIO_META_NETWORK', network]);

  const nativeSidecars = detectNativeSidecar({
    istioVersion: config.istioVersion,
    mode: config.nativeSidecars,
    nodes: ctx.nodes,
    nodeName: ctx.nodeName ?? str(original.spec.nodeName),
  });
  const owner = ctx.owner ?? deployMetaFromPod(original, ctx.namespace);
  const data: TemplateData = {
    pod: original,
    labels,
    annotations,
    appContainers: containersOf(original, 'containers')
      .map((c) => str(c.name))
      .filter((n) => n !== PROXY),
    owner,
    values,
    meshConfig: mesh,
    proxyConfig: proxyConfig.value,
    revision: str(valueAt(values, 'revision')),
    proxyImage: imageUrl(values, str(valueAt(values, 'global.proxy.image')) || 'proxyv2', annotations),
    proxyInitImage: imageUrl(values, str(valueAt(values, 'global.proxy_init.image')) || 'proxyv2', annotations),
    nativeSidecars,
    proxyUID: 1337,
    proxyGID: 1337,
    features,
  };

  // selectTemplates (inject.go): the annotation's comma list, else the defaults.
  const customTemplates: Record<string, unknown> = { ...(isPlainObject(valueAt(values, 'sidecarInjectorWebhook.templates')) ? (valueAt(values, 'sidecarInjectorWebhook.templates') as Obj) : {}), ...config.templates };
  const valueDefaults = valueAt(values, 'sidecarInjectorWebhook.defaultTemplates');
  const defaults = config.defaultTemplates ?? (Array.isArray(valueDefaults) && valueDefaults.length > 0 ? valueDefaults.map((x) => str(x)) : ['sidecar']);
  const requested = annotations['inject.istio.io/templates'];
  const selected = requested !== undefined ? requested.split(',').map((s) => s.trim()) : [...defaults];

  let merged: PodLike = original;
  let templatePod: PodLike = { metadata: {}, spec: {} };
  for (const name of selected) {
    const rendered = renderTemplate(name, data, customTemplates, config.istioVersion);
    if (!rendered.ok) return rendered;
    const t = overlay(templatePod, rendered.value, 'failed applying injection overlay');
    if (!t.ok) return t;
    templatePod = t.value;
    // inject.go "a bit of a weird hack": with native sidecars, a proxy that the *original* pod declares
    // in `containers` is moved to `initContainers`. A later template naming it under `containers` is not.
    const podNative = annotations['sidecar.istio.io/nativeSidecar'];
    const native = podNative === 'true' ? true : podNative === 'false' ? false : nativeSidecars;
    if (native && findIn(containersOf(templatePod, 'initContainers'), PROXY) && findIn(containersOf(merged, 'containers'), PROXY)) {
      const containers = containersOf(merged, 'containers');
      const idx = containers.findIndex((c) => c.name === PROXY);
      const moved = containers[idx] as Obj;
      merged = { ...merged, spec: { ...merged.spec, containers: containers.filter((_, i) => i !== idx), initContainers: [...containersOf(merged, 'initContainers'), moved] } };
    }
    const m = overlay(merged, rendered.value, 'failed parsing generated injected YAML (check Istio sidecar injector configuration)');
    if (!m.ok) return m;
    merged = m.value;
  }

  const reapplied = reapplyOverwrittenContainers(merged, original, templatePod, proxyConfig.value);
  if (!reapplied.ok) return reapplied;
  return postProcess(reapplied.value, templatePod, proxyEnvs, values, mesh, data.revision);
}

function renderTemplate(name: string, d: TemplateData, custom: Readonly<Record<string, unknown>>, version: string): Result<Obj, InjectError> {
  const text = custom[name];
  if (typeof text === 'string') return parseCustomTemplate(name, text);
  if (name === 'sidecar') return renderSidecarTemplate(d);
  if (name === 'gateway') return ok(renderGatewayTemplate(d));
  const builtins = builtinTemplateNames(version);
  if (builtins.includes(name)) return err(simError('istiod/inject-template-unsupported', `template "${name}" is an upstream built-in the lab does not model`, { template: name }));
  // Simplified: Go prints the map's keys in random order; the lab sorts them.
  const have = [...new Set([...builtins, ...Object.keys(custom)])].sort();
  return err(simError('istiod/inject-template-not-found', `failed to run injection template: requested template "${name}" not found; have ${have.join(', ')}`, { template: name, have }));
}

/** webhook.go reapplyOverwrittenContainers + adjustInitContainerUser (without re-injection). */
function reapplyOverwrittenContainers(finalPod: PodLike, originalPod: PodLike, templatePod: PodLike, proxyConfig: Obj): Result<PodLike, InjectError> {
  const annotations = originalPod.metadata?.annotations ?? {};
  let existing: { containers?: Obj[]; initContainers?: Obj[] } = {};
  const rawOverrides = annotations['proxy.istio.io/overrides'];
  if (rawOverrides !== undefined) {
    try {
      const parsed: unknown = JSON.parse(rawOverrides);
      if (isPlainObject(parsed)) existing = parsed as typeof existing;
    } catch {
      return err(simError('istiod/inject-invalid-annotation', `failed to re apply container: invalid proxy.istio.io/overrides ${JSON.stringify(rawOverrides)}`));
    }
  }
  const overrides: { containers: Obj[]; initContainers: Obj[] } = { containers: [], initContainers: [] };
  let pod = finalPod;
  const apply = (list: 'containers' | 'initContainers', c: Obj): Result<void, InjectError> => {
    const overlayC = deepClone(c);
    if (overlayC.image === 'auto') delete overlayC.image;
    overrides[list].push(overlayC);
    // applyInitContainer sends `containers: []` so the regular list is left alone.
    const patch = list === 'containers' ? { spec: { containers: [overlayC] } } : { spec: { containers: [], initContainers: [overlayC] } };
    const r = overlay(pod, patch, 'failed to re apply container');
    if (!r.ok) return r;
    pod = r.value;
    return ok(undefined);
  };
  for (const t of containersOf(templatePod, 'containers')) {
    const match = findIn(existing.containers ?? [], str(t.name)) ?? findIn(containersOf(originalPod, 'containers'), str(t.name));
    if (match === undefined) continue;
    const r = apply('containers', match);
    if (!r.ok) return r;
  }
  for (const t of containersOf(templatePod, 'initContainers')) {
    const match =
      findIn(existing.initContainers ?? [], str(t.name)) ??
      findIn(containersOf(originalPod, 'containers'), str(t.name)) ??
      findIn(containersOf(originalPod, 'initContainers'), str(t.name));
    if (match === undefined) continue;
    const r = apply('initContainers', match);
    if (!r.ok) return r;
  }
  if (overrides.containers.length > 0 || overrides.initContainers.length > 0) {
    const parts: string[] = [];
    if (overrides.containers.length > 0) parts.push(`"containers":[${overrides.containers.map(goContainerJson).join(',')}]`);
    if (overrides.initContainers.length > 0) parts.push(`"initContainers":[${overrides.initContainers.map(goContainerJson).join(',')}]`);
    pod = { ...pod, metadata: { ...pod.metadata, annotations: { ...pod.metadata?.annotations, 'proxy.istio.io/overrides': `{${parts.join(',')}}` } } };
  }
  return ok(adjustInitContainerUser(pod, originalPod, proxyConfig));
}

/** The first istio-proxy in containers, else in initContainers (app_probe.go FindSidecar). */
function findSidecar(pod: PodLike): Obj | undefined {
  return findIn(containersOf(pod, 'containers'), PROXY) ?? findIn(containersOf(pod, 'initContainers'), PROXY);
}

function adjustInitContainerUser(pod: PodLike, originalPod: PodLike, proxyConfig: Obj): PodLike {
  const user = findSidecar(originalPod);
  const sc = user && isPlainObject(user.securityContext) ? user.securityContext : undefined;
  if (sc === undefined || (sc.runAsUser === undefined && sc.runAsGroup === undefined)) return pod;
  const out = deepClone(pod);
  const inits = containersOf(out, 'initContainers');
  const init = findIn(inits, 'istio-init') ?? findIn(inits, 'istio-validation');
  if (init === undefined) return out;
  const tproxy = proxyConfig.interceptionMode === 'TPROXY' || out.metadata?.annotations?.['sidecar.istio.io/interceptionMode'] === 'TPROXY';
  if (tproxy && sc.runAsUser !== undefined) {
    const proxy = findSidecar(out);
    if (proxy && isPlainObject(proxy.securityContext)) proxy.securityContext.runAsUser = 0;
  }
  if (!tproxy && init.name === 'istio-validation') {
    const isc = isPlainObject(init.securityContext) ? init.securityContext : (init.securityContext = {});
    if (sc.runAsUser !== undefined) (isc as Obj).runAsUser = sc.runAsUser;
    if (sc.runAsGroup !== undefined) (isc as Obj).runAsGroup = sc.runAsGroup;
  }
  if (typeof sc.runAsUser === 'number' && sc.runAsUser !== 0 && Array.isArray(init.args)) {
    const i = init.args.indexOf('-u');
    if (i >= 0) init.args[i + 1] = String(sc.runAsUser);
  }
  return out;
}

/** webhook.go postProcessPod. */
function postProcess(input: PodLike, templatePod: PodLike, proxyEnvs: readonly [string, string][], values: unknown, mesh: Obj, revision: string): Result<PodLike, InjectError> {
  const pod = deepClone(input) as PodLike & { metadata: { labels: Record<string, string>; annotations: Record<string, string> } };
  const meta = pod.metadata as Obj;
  const labels: Record<string, string> = isPlainObject(meta.labels) ? (meta.labels as Record<string, string>) : {};
  const annotations: Record<string, string> = isPlainObject(meta.annotations) ? (meta.annotations as Record<string, string>) : {};
  meta.labels = labels;
  meta.annotations = annotations;

  // overwriteClusterInfo / updateClusterEnvs: those env vars are removed and re-appended, sorted.
  const sidecar = findSidecar(pod);
  if (sidecar !== undefined && proxyEnvs.length > 0) {
    const env = Array.isArray(sidecar.env) ? sidecar.env.filter((e) => !(isPlainObject(e) && proxyEnvs.some(([k]) => k === e.name))) : [];
    for (const [name, value] of [...proxyEnvs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) env.push({ name, value });
    sidecar.env = env;
  }

  applyPrometheusMerge(pod, annotations, mesh);

  // applySecurePrometheusAnnotation
  if (annotations['prometheus.istio.io/secure-port'] === undefined && sidecar !== undefined && Array.isArray(sidecar.env)) {
    const e = sidecar.env.find((x) => isPlainObject(x) && x.name === 'ENVOY_SECURE_MERGED_METRICS_PORT');
    if (isPlainObject(e) && typeof e.value === 'string' && e.value !== '' && e.value !== '0') annotations['prometheus.istio.io/secure-port'] = e.value;
  }

  // applyMetadata
  const nw = proxyEnvs.find(([k]) => k === 'ISTIO_META_NETWORK');
  if (nw !== undefined) labels['topology.istio.io/network'] = nw[1];
  annotations['sidecar.istio.io/status'] = injectionStatus(templatePod, revision);
  const injected = valueAt(values, 'sidecarInjectorWebhook.injectedAnnotations');
  if (isPlainObject(injected)) for (const [k, v] of Object.entries(injected)) annotations[k] = str(v);

  reorderPod(pod, values, mesh);
  return ok(pod);
}

/** getInjectionStatus: names from the *template* pod, JSON in Go's field order, `null` for none. */
function injectionStatus(templatePod: PodLike, revision: string): string {
  const pullSecrets = names(templatePod.spec.imagePullSecrets);
  return JSON.stringify({
    initContainers: names(templatePod.spec.initContainers),
    containers: names(templatePod.spec.containers),
    volumes: names(templatePod.spec.volumes),
    imagePullSecrets: pullSecrets,
    revision: revision || 'default',
  });
}

const PROM = ['prometheus.io/scrape', 'prometheus.io/path', 'prometheus.io/port', 'prometheus.istio.io/scrape-targets'];
/** strutil.SanitizeLabelName: every character outside [a-zA-Z0-9_] becomes `_`. */
const sanitize = (k: string): string => k.replace(/[^a-zA-Z0-9_]/g, '_');
const findProm = (annotations: Readonly<Record<string, string>>, key: string): string | undefined => {
  const want = sanitize(key);
  const k = Object.keys(annotations).find((x) => sanitize(x) === want);
  return k === undefined ? undefined : annotations[k];
};

/** webhook.go applyPrometheusMerge (legacy port/path/scrape annotations; scrape-targets not modelled). */
function applyPrometheusMerge(pod: PodLike, annotations: Record<string, string>, mesh: Obj): void {
  const scrapeRaw = findProm(annotations, 'prometheus.io/scrape');
  const scrape = scrapeRaw === undefined ? true : parseGoBool(scrapeRaw) ?? true;
  const mergeRaw = annotations['prometheus.istio.io/merge-metrics'];
  const merge = (mergeRaw !== undefined ? parseGoBool(mergeRaw) : undefined) ?? (typeof mesh.enablePrometheusMerge === 'boolean' ? mesh.enablePrometheusMerge : true);
  if (!scrape || !merge) return;
  const statusPort = isPlainObject(mesh.defaultConfig) ? str(mesh.defaultConfig.statusPort, '15020') : '15020';
  const port = findProm(annotations, 'prometheus.io/port');
  if (port === statusPort) return;
  const cfg = { scrape: scrapeRaw ?? '', path: findProm(annotations, 'prometheus.io/path') ?? '', port: port ?? '' };
  const sidecar = findSidecar(pod);
  if (sidecar !== undefined && (cfg.scrape !== '' || cfg.path !== '' || cfg.port !== '')) {
    const env = Array.isArray(sidecar.env) ? sidecar.env : (sidecar.env = []);
    (env as Obj[]).push({ name: 'ISTIO_PROMETHEUS_ANNOTATIONS', value: JSON.stringify(cfg) });
  }
  for (const k of Object.keys(annotations)) if (PROM.map(sanitize).includes(sanitize(k))) delete annotations[k];
  annotations['prometheus.io/port'] = statusPort;
  annotations['prometheus.io/path'] = '/stats/prometheus';
  annotations['prometheus.io/scrape'] = 'true';
}

/** strconv.ParseBool. */
function parseGoBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

type Reorder = 'first' | 'last';
function modifyContainers(list: Obj[], name: string, where: Reorder): Obj[] {
  const match = list.filter((c) => c.name === name).at(-1);
  if (match === undefined) return list;
  const rest = list.filter((c) => c.name !== name);
  return where === 'first' ? [match, ...rest] : [...rest, match];
}

/** webhook.go reorderPod. */
function reorderPod(pod: PodLike, values: unknown, mesh: Obj): void {
  const spec = pod.spec as Obj;
  const pc = isPlainObject(mesh.defaultConfig) ? mesh.defaultConfig : {};
  const hold = pc.holdApplicationUntilProxyStarts === true || valueAt(values, 'global.proxy.holdApplicationUntilProxyStarts') === true;
  spec.containers = modifyContainers(containersOf(pod, 'containers'), PROXY, hold ? 'first' : 'last');
  let inits = containersOf(pod, 'initContainers');
  if (inits.length === 0) return;
  if (findIn(inits, PROXY)) {
    for (const n of ['enable-core-dump', PROXY, 'istio-validation', 'istio-init']) inits = modifyContainers(inits, n, 'first');
  } else {
    inits = modifyContainers(inits, 'istio-validation', 'first');
    inits = modifyContainers(inits, 'istio-init', 'last');
    inits = modifyContainers(inits, 'enable-core-dump', 'last');
  }
  spec.initContainers = inits;
}
