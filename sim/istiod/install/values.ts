/**
 * Helm values for the Istio charts: the merge rules istioctl and the charts use, `--set` paths, the
 * chart defaults the lab's renderer reads, and a check of the values' top-level field names.
 *
 * - `mergeFrom` is istioctl's values.Map.MergeFrom (istio:operator/pkg/values/map.go): maps merge
 *   recursively, anything else (lists, scalars, null) replaces.
 * - `setPath` is values.Map.SetPath/SetPaths: `a.b\.c=v` (escaped dots), `[0]` list indexes,
 *   `[name:foo]` list selectors; the value is parsed as int, float, bool, else a string with `\,` → `,`
 *   (`parseValue`).
 * - `chartDefaults` keeps the istio-discovery chart's defaults (manifests/charts/istio-control/
 *   istio-discovery/values.yaml, `_internal_defaults_do_not_set`) that the renderer and the injector read.
 */
import { err, ok, simError, type Result, type SimError } from '../../core/result.ts';
import type { IstioVersion } from './versions.ts';
import { PROXY_VALUE_DEFAULTS } from '../inject/values.ts';

export type Values = Record<string, unknown>;

export const isMap = (v: unknown): v is Values => v !== null && typeof v === 'object' && !Array.isArray(v);

const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/** `base` ← `over` (returns a new object): istioctl values.Map.MergeFrom. */
export function mergeFrom(base: Values, over: Values): Values {
  const out = clone(base);
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isMap(v) && isMap(b) ? mergeFrom(b, v) : clone(v);
  }
  return out;
}

/**
 * sprig `mergeOverwrite dst src` as the istiod chart uses it for meshConfig (configmap.yaml): maps merge
 * recursively, src values win, except that an empty/zero src value does not overwrite (mergo WithOverride
 * keeps dst when src is the zero value).
 */
export function mergeOverwrite(dst: Values, src: Values): Values {
  const out = clone(dst);
  for (const [k, v] of Object.entries(src)) {
    const d = out[k];
    if (isMap(v) && isMap(d)) out[k] = mergeOverwrite(d, v);
    else if (v === undefined || v === null || v === '' || v === false || v === 0) {
      if (!(k in out)) out[k] = clone(v);
    } else out[k] = clone(v);
  }
  return out;
}

export function getPath(v: unknown, path: readonly string[]): unknown {
  let cur = v;
  for (const seg of path) {
    if (!isMap(cur)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

/** values.Map `parseValue`. */
export function parseSetValue(text: string): unknown {
  if (/^[+-]?\d+$/.test(text)) return Number(text);
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text);
  // strconv.ParseBool
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return text.replace(/\\,/g, ',');
}

/** values.Map `splitPath`: `.`-separated, `\.` escapes a dot, `node[expr]` → `node`, `[expr]`. */
export function splitSetPath(path: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === '\\' && path[i + 1] === '.') {
      cur += '.';
      i++;
    } else if (c === '.') {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  const out: string[] = [];
  for (const p of parts) {
    if (p === '') continue;
    const b = p.indexOf('[');
    if (b > 0) out.push(p.slice(0, b), p.slice(b));
    else out.push(p);
  }
  return out;
}

/** values.Map SetPath: sets (creating maps on the way) `value` at `path` in `root` (mutates). */
export function setPath(root: Values, path: readonly string[], value: unknown): Result<void, SimError<'istio/bad-set-path'>> {
  let cur: unknown = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    const sel = /^\[(.*)\]$/.exec(seg);
    if (sel) {
      if (!Array.isArray(cur)) return err(simError('istio/bad-set-path', `path ${path.join('.')}: ${seg} selects from something that is not a list`));
      const expr = sel[1]!;
      let idx: number;
      if (/^\d+$/.test(expr)) idx = Number(expr);
      else {
        const [k, v] = expr.split(':');
        idx = cur.findIndex((e) => isMap(e) && String(e[k ?? '']) === v);
        if (idx < 0) return err(simError('istio/bad-set-path', `path ${path.join('.')}: no element matches ${seg}`));
      }
      if (last) cur[idx] = value;
      else cur = cur[idx];
      continue;
    }
    if (!isMap(cur)) return err(simError('istio/bad-set-path', `path ${path.join('.')}: ${seg} is inside a value that is not a map`));
    if (last) cur[seg] = value;
    else {
      const nextIsList = /^\[/.test(path[i + 1] ?? '');
      if (cur[seg] === undefined || cur[seg] === null) cur[seg] = nextIsList ? [] : {};
      cur = cur[seg];
    }
  }
  return ok(undefined);
}

/** A `--set key=value` flag applied under `spec` (values.Map SetSpecPaths). */
export function applySetFlag(iop: Values, flag: string): Result<void, SimError<'istio/bad-set-path'>> {
  const eq = flag.indexOf('=');
  const key = eq < 0 ? flag : flag.slice(0, eq);
  const raw = eq < 0 ? '' : flag.slice(eq + 1);
  // values.Map isAlwaysString: these paths keep their text (e.g. a tag of `1.20`).
  const alwaysString = /(^|\.)(tag|hub|profile|revision|compatibilityVersion)$/.test(key);
  return setPath(iop, ['spec', ...splitSetPath(key)], alwaysString ? raw : parseSetValue(raw));
}

/** Helm values keys the istio-discovery chart knows at the top level (operator/pkg/apis/values_types.proto `Values`). */
export const KNOWN_VALUES_FIELDS: readonly string[] = [
  'cni',
  'gateways',
  'global',
  'pilot',
  'ztunnel',
  'telemetry',
  'sidecarInjectorWebhook',
  'istio_cni',
  'revision',
  'ownerName',
  'meshConfig',
  'base',
  'istiodRemote',
  'revisionTags',
  'defaultRevision',
  'profile',
  'compatibilityVersion',
  'experimental',
  'gatewayClasses',
  'platform',
];

/** Top-level values keys nobody reads (istioctl decodes values leniently and ignores them; Sail's CRD refuses them). */
export function unknownValuesFields(values: Values): string[] {
  return Object.keys(values).filter((k) => !KNOWN_VALUES_FIELDS.includes(k));
}

/** Release hub and tag: what a released istioctl overlays (operator/pkg/render/manifest.go hubTagOverlay). */
export function releaseHubTag(version: IstioVersion): { hub: string; tag: string } {
  return { hub: 'docker.io/istio', tag: `${version.major}.${version.minor}.${version.patch}` };
}

/** The istio-discovery chart defaults the lab reads (istio-discovery/values.yaml, 1.24–1.27). */
export function chartDefaults(version: IstioVersion): Values {
  const { hub, tag } = releaseHubTag(version);
  return {
    autoscaleEnabled: true,
    replicaCount: 1,
    traceSampling: 1.0,
    image: 'pilot',
    cni: { enabled: false, provider: 'default' },
    env: {},
    sidecarInjectorWebhook: {
      neverInjectSelector: [],
      alwaysInjectSelector: [],
      injectedAnnotations: {},
      enableNamespacesByDefault: false,
      reinvocationPolicy: 'Never',
      rewriteAppHTTPProbe: true,
      templates: {},
      defaultTemplates: [],
    },
    telemetry: { enabled: true, v2: { enabled: true, prometheus: { enabled: true }, stackdriver: { enabled: false } } },
    revision: '',
    ownerName: '',
    meshConfig: { enablePrometheusMerge: true },
    global: {
      istioNamespace: 'istio-system',
      hub,
      tag,
      variant: '',
      imagePullPolicy: '',
      istiod: { enableAnalysis: false },
      logAsJson: false,
      logging: { level: 'default:info' },
      omitSidecarInjectorConfigMap: false,
      proxy: structuredClone(PROXY_VALUE_DEFAULTS),
      proxy_init: { image: 'proxyv2' },
      remotePilotAddress: '',
      caAddress: '',
      externalIstiod: false,
      configCluster: false,
      configValidation: true,
      meshID: '',
      meshNetworks: {},
      mountMtlsCerts: false,
      multiCluster: { clusterName: '' },
      network: '',
      pilotCertProvider: 'istiod',
      sds: { token: { aud: 'istio-ca' } },
      sts: { servicePort: 0 },
      caName: '',
    },
    base: { enableIstioConfigCRDs: true },
    gateways: { securityContext: {}, seccompProfile: {} },
    gatewayClasses: {},
  };
}

/** Defaults of the legacy gateway charts (manifests/charts/gateways/istio-{ingress,egress}/values.yaml). */
export function gatewayChartDefaults(kind: 'ingress' | 'egress'): Values {
  const name = kind === 'ingress' ? 'istio-ingressgateway' : 'istio-egressgateway';
  return {
    name,
    labels: { app: name, istio: kind === 'ingress' ? 'ingressgateway' : 'egressgateway' },
    ports:
      kind === 'ingress'
        ? [
            { port: 15021, targetPort: 15021, name: 'status-port', protocol: 'TCP' },
            { port: 80, targetPort: 8080, name: 'http2', protocol: 'TCP' },
            { port: 443, targetPort: 8443, name: 'https', protocol: 'TCP' },
          ]
        : [
            { port: 80, targetPort: 8080, name: 'http2', protocol: 'TCP' },
            { port: 443, targetPort: 8443, name: 'https', protocol: 'TCP' },
          ],
    type: kind === 'ingress' ? 'LoadBalancer' : 'ClusterIP',
    injectionTemplate: '',
    env: {},
    podAnnotations: {},
    serviceAnnotations: {},
    runAsRoot: false,
  };
}
