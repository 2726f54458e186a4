/**
 * The API server's validation of a Pod's spec, for what the sidecar injector can get wrong, with
 * Kubernetes' messages and order (k8s: pkg/apis/core/validation/validation.go `ValidatePodSpec`:
 * volumes, then containers, then init containers):
 * - volumes (`ValidateVolumes`): name required / DNS-1123 label / duplicate; exactly one source: a second
 *   one is `spec.volumes[i].<source>: Forbidden: may not specify more than 1 volume type`, reported on the
 *   later source in `validateVolumeSource` order. An invalid volume is left out of the volume map, so its
 *   mounts are `Not found`. This order (volume error, then the mount) is what istio commit e5907438192's
 *   message shows from a real cluster: `[spec.volumes[0].csi: Forbidden: may not specify more than 1 volume
 *   type, spec.containers[0].volumeMounts[0].name: Not found: "workload-socket"]`.
 * - containers (`validateContainers` → `validateContainerCommon`): name required / DNS-1123 label, image
 *   required, volume mounts (name required, name must be a volume, mountPath required and unique),
 *   then `Duplicate value` for a name already used in the list.
 * - init containers (`validateInitContainers`): the same common checks, then the name must not be used by
 *   a regular container or an earlier init container — so a pod with istio-proxy in both lists reports the
 *   duplicate on the init container: `spec.initContainers[1].name: Duplicate value: "istio-proxy"`.
 * Defaulting runs before validation (pkg/apis/core/v1/defaults.go `SetDefaults_Volume`): a volume with no
 * source becomes `emptyDir: {}` — which is why the templates' `emptyDir:` (null) accepts a later `csi:`.
 * Unverified: the per-container check order and the `validateVolumeSource` source order are written from
 * memory of validation.go (not read in this workspace); the volumes → containers → initContainers order is
 * confirmed by the observed message above. Not modelled: ports, env, resources, probes, security context,
 * the SidecarContainers feature gate (restartPolicy on init containers is accepted).
 */
import { fieldErrors, formatFieldError, type FieldError } from './schema/fieldError.ts';
import { isPlainObject } from './object.ts';
import { isDNS1123Label } from './validation.ts';

type Obj = Record<string, unknown>;

/** validateVolumeSource's order of sources (k8s: pkg/apis/core/validation/validation.go). */
const VOLUME_SOURCES = [
  'emptyDir', 'hostPath', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'flocker', 'persistentVolumeClaim', 'rbd', 'cinder', 'cephfs', 'quobyte', 'downwardAPI', 'fc', 'flexVolume', 'configMap',
  'azureFile', 'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk', 'storageos', 'scaleIO', 'projected',
  'csi', 'ephemeral', 'image',
];

const notFound = (field: string, value: unknown): FieldError => ({ type: 'FieldValueNotFound', field, badValue: value });

function validateVolumes(volumes: unknown, errs: FieldError[]): Set<string> {
  const valid = new Set<string>();
  const seen = new Set<string>();
  if (!Array.isArray(volumes)) return valid;
  volumes.forEach((v, i) => {
    const p = `spec.volumes[${i}]`;
    if (!isPlainObject(v)) return;
    const el: FieldError[] = [];
    const name = typeof v.name === 'string' ? v.name : '';
    if (name === '') el.push(fieldErrors.required(`${p}.name`));
    else {
      const ne = isDNS1123Label(name);
      if (ne.length > 0) el.push(fieldErrors.invalid(`${p}.name`, name, ne.join('; ')));
    }
    if (name !== '' && seen.has(name)) el.push(fieldErrors.duplicate(`${p}.name`, name));
    // SetDefaults_Volume: no source at all ⇒ emptyDir.
    const sources = VOLUME_SOURCES.filter((s) => v[s] !== undefined && v[s] !== null);
    for (const extra of sources.slice(1)) el.push(fieldErrors.forbidden(`${p}.${extra}`, 'may not specify more than 1 volume type'));
    if (el.length === 0) {
      seen.add(name);
      valid.add(name);
    } else errs.push(...el);
  });
  return valid;
}

function validateContainerCommon(c: Obj, p: string, volumes: ReadonlySet<string>, errs: FieldError[]): void {
  const name = typeof c.name === 'string' ? c.name : '';
  if (name === '') errs.push(fieldErrors.required(`${p}.name`));
  else {
    const ne = isDNS1123Label(name);
    if (ne.length > 0) errs.push(fieldErrors.invalid(`${p}.name`, name, ne.join('; ')));
  }
  if (typeof c.image !== 'string' || c.image === '') errs.push(fieldErrors.required(`${p}.image`));
  if (!Array.isArray(c.volumeMounts)) return;
  const mountPoints = new Set<string>();
  c.volumeMounts.forEach((m, j) => {
    if (!isPlainObject(m)) return;
    const mp = `${p}.volumeMounts[${j}]`;
    const mname = typeof m.name === 'string' ? m.name : '';
    if (mname === '') errs.push(fieldErrors.required(`${mp}.name`));
    if (!volumes.has(mname)) errs.push(notFound(`${mp}.name`, mname));
    const path = typeof m.mountPath === 'string' ? m.mountPath : '';
    if (path === '') errs.push(fieldErrors.required(`${mp}.mountPath`));
    if (mountPoints.has(path)) errs.push(fieldErrors.invalid(`${mp}.mountPath`, path, 'must be unique'));
    mountPoints.add(path);
  });
}

/** The field errors of the pod's spec, in the order the API server reports them. */
export function podSpecErrors(pod: { spec?: unknown }): FieldError[] {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const errs: FieldError[] = [];
  const volumes = validateVolumes(spec.volumes, errs);
  const containers = Array.isArray(spec.containers) ? spec.containers.filter(isPlainObject) : [];
  if (containers.length === 0) errs.push(fieldErrors.required('spec.containers'));
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const p = `spec.containers[${i}]`;
    validateContainerCommon(c, p, volumes, errs);
    const name = typeof c.name === 'string' ? c.name : '';
    if (names.has(name)) errs.push(fieldErrors.duplicate(`${p}.name`, name));
    else names.add(name);
  });
  const inits = Array.isArray(spec.initContainers) ? spec.initContainers.filter(isPlainObject) : [];
  inits.forEach((c, i) => {
    const p = `spec.initContainers[${i}]`;
    validateContainerCommon(c, p, volumes, errs);
    const name = typeof c.name === 'string' ? c.name : '';
    if (names.has(name)) errs.push(fieldErrors.duplicate(`${p}.name`, name));
    else if (name !== '') names.add(name);
  });
  return errs;
}

/** `validatePodSpec`: the messages (`spec.containers[1].image: Required value`, …). */
export function validatePodSpec(pod: { spec?: unknown }): string[] {
  return podSpecErrors(pod).map(formatFieldError);
}

/**
 * apimachinery `errors.NewInvalid` for a Pod: `Pod "NAME" is invalid: <aggregate>`, the aggregate being the
 * one message, or `[m1, m2]` with repeated messages dropped (util/errors `aggregate.Error`). This is the
 * ReplicaSet's `ReplicaFailure` condition message; its `FailedCreate` event prefixes `Error creating: `
 * (`podInvalidEvent`).
 */
export function podInvalidMessage(name: string, messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  const agg = unique.length === 1 ? (unique[0] as string) : `[${unique.join(', ')}]`;
  return `Pod ${JSON.stringify(name)} is invalid: ${agg}`;
}

/** The ReplicaSet controller's FailedCreate event text (k8s: pkg/controller/controller_utils.go `CreatePods…`). */
export function podInvalidEvent(name: string, messages: readonly string[]): string {
  return `Error creating: ${podInvalidMessage(name, messages)}`;
}
