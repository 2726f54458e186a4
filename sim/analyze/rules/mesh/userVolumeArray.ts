/**
 * G02: `sidecar.istio.io/userVolume` / `userVolumeMount` take a JSON object keyed by volume name
 * (istio: pkg/kube/inject/testdata/inject/user-volume.yaml; the injection template ranges over `fromJSON`).
 * A JSON array — seed 000's form — is untested upstream: the template renders `name: "<index>"` followed by
 * the element's own keys, and only the non-strict YAML decoding (last duplicate `name` wins) keeps the
 * element's name (sim/istiod/inject/userVolume.ts; unverified on the exact sigs.k8s.io/yaml release).
 */
import type { Finding, Rule } from '../../types.ts';
import { annotationField, describe, finding, json, workloads } from './facts.ts';

const KEYS = ['sidecar.istio.io/userVolume', 'sidecar.istio.io/userVolumeMount'];

export const userVolumeArray: Rule = {
  code: 'FL0120',
  severity: 'warning',
  title: 'sidecar.istio.io/userVolume(Mount) written as a JSON array instead of an object keyed by name',
  refs: ['G02'],
  check(input) {
    const out: Finding[] = [];
    for (const c of input.clusters) {
      for (const w of workloads(c)) {
        for (const key of KEYS) {
          const raw = w.annotations[key];
          if (raw === undefined) continue;
          const v = json(raw);
          if (!Array.isArray(v)) continue;
          const names = v.map((x) => (x && typeof x === 'object' ? String((x as Record<string, unknown>).name ?? '') : '')).filter(Boolean);
          out.push(finding(userVolumeArray, w.object, annotationField(w, key),
            `${describe(w.object)}: ${key} is a JSON array; upstream Istio documents and tests a JSON object keyed by volume name (e.g. {"${names[0] ?? 'workload-socket'}": {…}}). The array form is untested upstream: the injector renders each element as name "0", "1"… followed by the element's own fields, and the element's name survives only because the YAML decoder keeps the last duplicate key. Write it as an object keyed by volume name (or use the spire injection template).`));
        }
      }
    }
    return out;
  },
};
