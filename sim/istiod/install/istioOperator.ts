/**
 * An IstioOperator file (`istioctl install -f FILE`) → the install input the renderer takes, the way
 * istioctl builds it (istio:operator/pkg/render/manifest.go `MergeInputs`, `translateIstioOperatorToHelm`):
 * files merged in order, then `--set` flags, then that is laid over the profile (always on top of
 * `default`) plus the release hub/tag; `spec.hub|tag|revision|meshConfig` move under `spec.values`;
 * component enablement is copied to `values.pilot.enabled` / `values.pilot.cni.enabled`; finally the
 * user's own `spec.values` are merged once more so they win.
 *
 * Validation is istioctl's decode of the merged object with unknown fields disallowed
 * (operator/pkg/apis/validation/validation.go `ParseAndValidateIstioOperator`): an unknown key in the
 * typed parts (top level, metadata, spec, components, gateway and k8s specs) fails with
 * `could not unmarshal: json: unknown field "X"`. The lab adds where: `file:line: IstioOperator: path: …`.
 * `spec.values` and `spec.meshConfig` are decoded leniently upstream and are not checked here.
 * Simplified: Go's encoding/json matches field names case-insensitively; the lab requires exact names.
 */
import { err, ok, simError, type Result, type SimError } from '../../core/result.ts';
import { formatLocation, parseYamlDocuments, type YamlDocument } from '../../kube/yaml.ts';
import { PROFILES } from './profiles.ts';
import { applySetFlag, getPath, isMap, mergeFrom, releaseHubTag, setPath, type Values } from './values.ts';
import type { IstioVersion } from './versions.ts';
import type { ComponentsInput, GatewayComponent, InstallInput } from './render.ts';

export type IopErrorCode = 'istio/iop-unknown-field' | 'istio/iop-parse' | 'istio/iop-multiple' | 'istio/iop-profile' | 'istio/bad-set-path' | 'istio/iop-invalid';

export interface IopFile {
  readonly file: string;
  readonly text: string;
}

const OBJECT_META = ['name', 'generateName', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields', 'selfLink'];
const SPEC = ['profile', 'installPackagePath', 'hub', 'tag', 'namespace', 'revision', 'compatibilityVersion', 'meshConfig', 'components', 'values', 'unvalidatedValues'];
const COMPONENTS = ['base', 'pilot', 'cni', 'ztunnel', 'istiodRemote', 'ingressGateways', 'egressGateways'];
const COMPONENT = ['enabled', 'namespace', 'hub', 'tag', 'k8s'];
const GATEWAY = [...COMPONENT, 'name', 'label'];
const K8S = ['affinity', 'env', 'hpaSpec', 'imagePullPolicy', 'nodeSelector', 'podDisruptionBudget', 'podAnnotations', 'priorityClassName', 'readinessProbe', 'replicaCount', 'resources', 'service', 'strategy', 'tolerations', 'serviceAnnotations', 'securityContext', 'volumes', 'volumeMounts', 'overlays'];
const OVERLAY = ['apiVersion', 'kind', 'name', 'patches'];
const PATCH = ['path', 'value'];

type Path = (string | number)[];

/** The first unknown field in the typed parts of an IstioOperator document, as a path. */
function findUnknown(o: Values): Path | undefined {
  const check = (v: unknown, allowed: readonly string[], at: Path): Path | undefined => {
    if (!isMap(v)) return undefined;
    for (const k of Object.keys(v)) if (!allowed.includes(k)) return [...at, k];
    return undefined;
  };
  const first = (...ps: (Path | undefined)[]) => ps.find((p) => p !== undefined);
  const k8s = (v: unknown, at: Path): Path | undefined => {
    if (!isMap(v)) return undefined;
    const overlays = Array.isArray(v.overlays) ? v.overlays : [];
    return first(
      check(v, K8S, at),
      ...overlays.flatMap((ov, i) => [check(ov, OVERLAY, [...at, 'overlays', i]), ...(isMap(ov) && Array.isArray(ov.patches) ? ov.patches.map((p, j) => check(p, PATCH, [...at, 'overlays', i, 'patches', j])) : [])]),
    );
  };
  const comp = (v: unknown, allowed: readonly string[], at: Path) => first(check(v, allowed, at), isMap(v) ? k8s(v.k8s, [...at, 'k8s']) : undefined);
  const spec = o.spec;
  const comps = isMap(spec) ? spec.components : undefined;
  const c = isMap(comps) ? comps : {};
  const gws = (name: string) => (Array.isArray(c[name]) ? (c[name] as unknown[]).map((g, i) => comp(g, GATEWAY, ['spec', 'components', name, i])) : []);
  return first(
    check(o, ['apiVersion', 'kind', 'metadata', 'spec', 'status'], []),
    check(o.metadata, OBJECT_META, ['metadata']),
    check(spec, SPEC, ['spec']),
    check(comps, COMPONENTS, ['spec', 'components']),
    ...['base', 'pilot', 'cni', 'ztunnel', 'istiodRemote'].map((n) => comp(c[n], COMPONENT, ['spec', 'components', n])),
    ...gws('ingressGateways'),
    ...gws('egressGateways'),
  );
}

const joinPath = (p: Path): string => p.reduce<string>((s, seg) => (typeof seg === 'number' ? `${s}[${seg}]` : s === '' ? seg : `${s}.${seg}`), '');

/** One IstioOperator file: parsed, one document at most, typed fields checked. Empty files give `{}`. */
export function parseIstioOperator(f: IopFile): Result<Values, SimError<IopErrorCode>> {
  const docs = parseYamlDocuments(f.text, f.file);
  if (!docs.ok) return err(simError('istio/iop-parse', `unable to parse file: ${docs.error.message}`, { file: f.file }, docs.error));
  if (docs.value.length > 1) return err(simError('istio/iop-multiple', 'contains multiple IstioOperator CRs, only one per file is supported', { file: f.file }));
  const doc: YamlDocument | undefined = docs.value[0];
  if (!doc) return ok({});
  const unknown = findUnknown(doc.object);
  if (unknown) {
    const field = String(unknown[unknown.length - 1]);
    const upstream = `could not unmarshal: json: unknown field "${field}"`;
    const line = doc.positionOf(unknown)?.line;
    return err(simError('istio/iop-unknown-field', formatLocation(f.file, line, 'IstioOperator', joinPath(unknown), `unknown field "${field}"`), { file: f.file, line, field: joinPath(unknown), upstream }));
  }
  const o = { ...doc.object };
  // "Special hack to allow an empty spec to work" (MergeInputs).
  if (o.spec === null) delete o.spec;
  return ok(o);
}

/** MergeInputs: files, `--set` flags, profile, hub/tag, translation to Helm values. */
export function mergeIstioOperator(files: readonly IopFile[], sets: readonly string[], version: IstioVersion): Result<Values, SimError<IopErrorCode>> {
  let user: Values = { apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', metadata: {}, spec: {} };
  for (const f of files) {
    const p = parseIstioOperator(f);
    if (!p.ok) return p;
    user = mergeFrom(user, p.value);
  }
  for (const s of sets) {
    const r = applySetFlag(user, s);
    if (!r.ok) return r;
  }
  const profile = String(getPath(user, ['spec', 'profile']) ?? '') || 'default';
  const top = PROFILES[profile];
  if (!top) return err(simError('istio/iop-profile', `profile "${profile}" not found: open profiles/${profile}.yaml: file does not exist`, { profile }));
  let base = mergeFrom(PROFILES.default!, profile === 'default' ? {} : top);
  const { hub, tag } = releaseHubTag(version);
  base = mergeFrom(base, { spec: { hub, tag } });
  base = mergeFrom(base, user);
  base = translateToHelm(base);
  const userValues = getPath(user, ['spec', 'values']);
  if (isMap(userValues)) base = mergeFrom(base, { spec: { values: userValues } });
  return ok(base);
}

/** translateIstioOperatorToHelm. */
function translateToHelm(iop: Values): Values {
  let out = iop;
  const spec = isMap(out.spec) ? out.spec : {};
  const moves: [string, string[]][] = [
    ['hub', ['global', 'hub']],
    ['tag', ['global', 'tag']],
    ['revision', ['revision']],
    ['compatibilityVersion', ['compatibilityVersion']],
  ];
  for (const [from, to] of moves) {
    if (spec[from] === undefined) continue;
    const values = isMap(spec.values) ? spec.values : (spec.values = {});
    setPath(values as Values, to, spec[from]);
  }
  if (isMap(spec.meshConfig)) out = mergeFrom(out, { spec: { values: { meshConfig: spec.meshConfig } } });
  const s = out.spec as Values;
  const values = (isMap(s.values) ? s.values : (s.values = {})) as Values;
  const enabled = (name: string) => getPath(s, ['components', name, 'enabled']) === true;
  setPath(values, ['pilot', 'enabled'], enabled('pilot'));
  setPath(values, ['pilot', 'cni', 'enabled'], enabled('cni'));
  const ns = getPath(values, ['global', 'istioNamespace']);
  if (typeof ns === 'string' && ns !== '') setPath(out, ['metadata', 'namespace'], ns);
  return out;
}

const str = (v: unknown, d = ''): string => (typeof v === 'string' ? v : v === undefined || v === null ? d : String(v));

/** The merged IstioOperator → what the renderer takes. */
export function installInputFromIop(iop: Values, version: IstioVersion): InstallInput {
  const namespace = str(getPath(iop, ['metadata', 'namespace'])) || 'istio-system';
  const values = (getPath(iop, ['spec', 'values']) ?? {}) as Values;
  const comps = (getPath(iop, ['spec', 'components']) ?? {}) as Values;
  const comp = (name: string) => (isMap(comps[name]) ? (comps[name] as Values) : {});
  const gateways = (name: string): GatewayComponent[] =>
    (Array.isArray(comps[name]) ? (comps[name] as unknown[]) : []).filter(isMap).map((g) => ({
      name: str(g.name),
      namespace: str(g.namespace) || namespace,
      enabled: g.enabled === true,
      label: isMap(g.label) ? (g.label as Record<string, string>) : {},
      k8s: isMap(g.k8s) ? (g.k8s as Values) : {},
    }));
  const components: ComponentsInput = {
    base: comp('base').enabled === true,
    pilot: comp('pilot').enabled === true,
    pilotK8s: isMap(comp('pilot').k8s) ? (comp('pilot').k8s as Values) : {},
    cni: { enabled: comp('cni').enabled === true, namespace: str(comp('cni').namespace) || namespace },
    ingressGateways: gateways('ingressGateways'),
    egressGateways: gateways('egressGateways'),
  };
  const name = str(getPath(iop, ['metadata', 'name']));
  return {
    version,
    namespace,
    revision: str(values.revision),
    profile: str(getPath(iop, ['spec', 'profile'])) || 'default',
    components,
    values,
    owner: { managedBy: 'istioctl', name: name || undefined, namespace },
    distribution: 'upstream',
  };
}
