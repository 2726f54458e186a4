/**
 * Istio versions: parsing (`1.27.0`, `v1.24.3`), ordering, the Sail/OSSM `spec.version` vocabulary
 * (`v1.27-latest` aliases) and which Istio each OSSM 3.2.z ships by default.
 *
 * Sources: ossm:pkg/istioversion/versions.ossm.yaml (release-3.2, a7c4fae), the `spec.version` enum of
 * shared/crds/sail/sailoperator.io_istios.yaml, research/ztwim-spec.md §9.3.
 *
 * Note on seed 000 ("OSSM 3.2.1 (Istio v1.24.3)", and its matrix "OSSM 3.3.x → v1.27.3"): v1.24.3 is the
 * version the guide *chooses* in `spec.version`; every OSSM 3.2.z also accepts it. OSSM 3.2.0/3.2.1's own
 * default (and `v1.27-latest` target) is v1.27.3 (ztwim-spec.md §9.3), so the seed's matrix row for 3.3.x
 * is not what the 3.2 branches say; the lab follows the branches.
 */
import { err, ok, simError, type Result, type SimError } from '../../core/result.ts';

export interface IstioVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** `1.27.0`, `v1.27.0` (Sail), `1.27` (patch 0). */
export function parseIstioVersion(text: string): Result<IstioVersion, SimError<'istio/bad-version'>> {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return err(simError('istio/bad-version', `invalid Istio version ${JSON.stringify(text)}: want MAJOR.MINOR.PATCH`));
  return ok({ major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) });
}

export const formatVersion = (v: IstioVersion): string => `${v.major}.${v.minor}.${v.patch}`;

export function compareVersions(a: IstioVersion, b: IstioVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** True when `v` is at least `major.minor[.patch]`. */
export function atLeast(v: IstioVersion, minimum: string): boolean {
  const m = parseIstioVersion(minimum);
  return m.ok && compareVersions(v, m.value) >= 0;
}

/** The Istio release an istioctl binary of the lab is, when nothing else says: the CRD set the lab ships. */
export const DEFAULT_ISTIO_VERSION: IstioVersion = { major: 1, minor: 27, patch: 0 };

/**
 * `spec.version` values the OSSM 3.2 head Sail operator accepts, with the `-latest` aliases resolved
 * (versions.ossm.yaml: an alias names the newest patch of its minor).
 */
export const SAIL_VERSIONS: Readonly<Record<string, string>> = {
  'v1.27-latest': '1.27.9',
  'v1.27.9': '1.27.9',
  'v1.27.8': '1.27.8',
  'v1.27.5': '1.27.5',
  'v1.27.3': '1.27.3',
  'v1.26-latest': '1.26.8',
  'v1.26.8': '1.26.8',
  'v1.26.6': '1.26.6',
  'v1.26.4': '1.26.4',
  'v1.26.3': '1.26.3',
  'v1.26.2': '1.26.2',
  'v1.24-latest': '1.24.6',
  'v1.24.6': '1.24.6',
  'v1.24.5': '1.24.5',
  'v1.24.4': '1.24.4',
  'v1.24.3': '1.24.3',
};

/** The CRD's default `spec.version` (OSSM 3.2 head). */
export const SAIL_DEFAULT_VERSION = 'v1.27.9';

/**
 * A Sail `spec.version` → the Istio it installs. Unknown names fail as Sail's version resolution does
 * (ossm:pkg/istioversion/version.go `Resolve`). Unverified: the exact wording of Sail's message; the API
 * server's CRD enum normally refuses such a value before the operator sees it.
 */
export function resolveSailVersion(version: string | undefined): Result<IstioVersion, SimError<'istio/unsupported-version'>> {
  const name = version ?? SAIL_DEFAULT_VERSION;
  const target = SAIL_VERSIONS[name];
  if (target === undefined) return err(simError('istio/unsupported-version', `version "${name}" not found`, { version: name, supported: Object.keys(SAIL_VERSIONS) }));
  const v = parseIstioVersion(target);
  return v.ok ? ok(v.value) : err(simError('istio/unsupported-version', v.error.message));
}

/** OSSM 3.2.z (CSV) → the Istio its Sail operator installs by default (ztwim-spec.md §9.3). */
export const OSSM_DEFAULT_ISTIO: Readonly<Record<string, string>> = {
  '3.2.0': '1.27.3',
  '3.2.1': '1.27.3',
  '3.2.2': '1.27.5',
  '3.2.3': '1.27.8',
  '3.2.4': '1.27.8',
  '3.2.5': '1.27.9',
  '3.2.6': '1.27.9',
  '3.2.7': '1.27.9',
  '3.2.8': '1.27.9',
  '3.2.9': '1.27.9',
};
