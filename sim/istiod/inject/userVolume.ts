/**
 * `sidecar.istio.io/userVolume` and `sidecar.istio.io/userVolumeMount`: extra volumes and istio-proxy
 * mounts. The sidecar template ranges over `fromJSON` of the annotation and emits, per entry,
 * `- name: "<index>"` followed by `toYaml <value>` in the same mapping
 * (istio: manifests/charts/istio-control/istio-discovery/files/injection-template.yaml; helpers in
 * pkg/kube/inject/template.go `fromJSON`, `toYaml`, `indent`).
 *
 * - Upstream form: a JSON object keyed by volume name (pkg/kube/inject/testdata/inject/user-volume.yaml):
 *   `{"workload-socket":{"csi":{"driver":"csi.spiffe.io","readOnly":true}}}` ⇒ `{name: workload-socket, csi: …}`.
 *   Go templates range over a map in sorted key order, so entries come out sorted by name.
 * - A JSON array (seed 000's `[{"name":"workload-socket","csi":{…}}]`): the range index is 0, 1…, so the
 *   rendered mapping is `name: "0"` followed by the element's own keys (toYaml sorts them), which include
 *   a second `name:`. The overlay is decoded with sigs.k8s.io/yaml `Unmarshal` (webhook.go
 *   `StrategicMergePatchYAML`), which is non-strict: the last duplicate key wins (sigs.k8s.io/yaml
 *   yaml_test.go `TestUnmarshalNonStrict`, "Last declaration of `a` wins"). So an element with a `name`
 *   keeps its own name and one without gets "0", "1"…. Unverified: checked on a stored copy of
 *   sigs.k8s.io/yaml, not on v1.6.0 (istio master's go.mod) itself.
 * - Invalid JSON: upstream `fromJSON` logs and returns the string "{}", and ranging over a string fails
 *   template execution, so injection fails; the lab reports it as an error value.
 * - A JSON scalar value per entry (not an object) is refused the same way (its toYaml is not a mapping).
 */
import { err, ok, simError, type Result, type SimError } from '../../core/result.ts';
import { isPlainObject } from '../../kube/object.ts';

export type UserVolumeError = SimError<'istiod/inject-invalid-annotation'>;

export function userVolumeEntries(
  annotations: Readonly<Record<string, string>>,
  key: 'sidecar.istio.io/userVolume' | 'sidecar.istio.io/userVolumeMount',
): Result<Record<string, unknown>[], UserVolumeError> {
  const raw = annotations[key];
  if (raw === undefined) return ok([]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return err(invalid(key, raw, 'not valid JSON'));
  }
  let entries: [string, unknown][];
  if (Array.isArray(parsed)) entries = parsed.map((x, i) => [String(i), x]);
  else if (isPlainObject(parsed)) entries = Object.keys(parsed).sort().map((k) => [k, parsed[k]]);
  else return err(invalid(key, raw, 'not a JSON object or array'));
  const out: Record<string, unknown>[] = [];
  for (const [index, value] of entries) {
    if (!isPlainObject(value)) return err(invalid(key, raw, `entry ${index} is not an object`));
    // `name: "<index>"` first, then the value's keys: a `name` in the value overrides (last key wins).
    out.push({ name: index, ...value });
  }
  return ok(out);
}

function invalid(key: string, raw: string, why: string): UserVolumeError {
  return simError(
    'istiod/inject-invalid-annotation',
    `failed to run injection template: annotation ${key}=${JSON.stringify(raw)}: ${why}`,
    { annotation: key, value: raw },
  );
}
