/**
 * Which CustomResourceDefinitions a simulated cluster has installed, and apiVersion+kind → CRD version.
 * The data is generated from `shared/crds` by `scripts/sync-crds.ts` (provenance: `./PROVENANCE.md`).
 * A cluster picks sets per product version: ZTWIM 1.0.x (default) or 0.2.x, the Sail operator of OSSM 3.2,
 * Istio 1.27, Gateway API v1.3.0 (standard, optionally experimental), OpenShift Route and OLM Subscription.
 */
import { ok, err, simError, type Result, type SimError } from '../../core/result.ts';
import type { CompactCrd, CrdVersion } from './compact.ts';
import spireCm from './generated/spire-controller-manager.json' with { type: 'json' };
import ztwim10 from './generated/ztwim-1.0.json' with { type: 'json' };
import ztwim02 from './generated/ztwim-0.2.json' with { type: 'json' };
import sail32 from './generated/sail-3.2.json' with { type: 'json' };
import istio127 from './generated/istio-1.27.json' with { type: 'json' };
import gwapi13 from './generated/gateway-api-1.3.json' with { type: 'json' };
import gwapi13x from './generated/gateway-api-1.3-experimental.json' with { type: 'json' };
import route from './generated/openshift-route.json' with { type: 'json' };
import subscription from './generated/olm-subscription.json' with { type: 'json' };

export type CrdSetId =
  | 'spire-controller-manager'
  | 'ztwim-1.0'
  | 'ztwim-0.2'
  | 'sail-3.2'
  | 'istio-1.27'
  | 'gateway-api-1.3'
  | 'gateway-api-1.3-experimental'
  | 'openshift-route'
  | 'olm-subscription';

interface GeneratedSet {
  set: string;
  description: string;
  crds: unknown[];
}

const SETS: Record<CrdSetId, GeneratedSet> = {
  'spire-controller-manager': spireCm,
  'ztwim-1.0': ztwim10,
  'ztwim-0.2': ztwim02,
  'sail-3.2': sail32,
  'istio-1.27': istio127,
  'gateway-api-1.3': gwapi13,
  'gateway-api-1.3-experimental': gwapi13x,
  'openshift-route': route,
  'olm-subscription': subscription,
};

/** Every set the lab ships, with its description. */
export function crdSets(): { id: CrdSetId; description: string; kinds: string[] }[] {
  return (Object.keys(SETS) as CrdSetId[]).map((id) => ({
    id,
    description: SETS[id].description,
    kinds: (SETS[id].crds as CompactCrd[]).map((c) => `${c.kind}.${c.group}`),
  }));
}

export interface ClusterProducts {
  /** `openshift` adds Route, OLM Subscription and the OpenShift built-ins (see classifyKind). Default `openshift`. */
  readonly platform?: 'openshift' | 'kubernetes';
  /** ZTWIM operator version; `false` for none (then spire-controller-manager's CRDs come from `spire`). Default `1.0`. */
  readonly ztwim?: '1.0' | '0.2' | false;
  /** spire-controller-manager CRDs from the Helm `spire-crds` chart (used when ZTWIM is off). Default: `!ztwim`. */
  readonly spireCrds?: boolean;
  /** Sail operator (OSSM 3.2). Default: true on OpenShift, false otherwise. */
  readonly sail?: boolean;
  /** Istio CRDs. Default `1.27`. */
  readonly istio?: '1.27' | false;
  /** Gateway API CRDs. Default `standard`. */
  readonly gatewayApi?: 'standard' | 'experimental' | false;
}

/** The CRD sets a cluster with these products has installed. */
export function crdSetsFor(products: ClusterProducts = {}): CrdSetId[] {
  const platform = products.platform ?? 'openshift';
  const ztwim = products.ztwim ?? (platform === 'openshift' ? '1.0' : false);
  const out: CrdSetId[] = [];
  if (ztwim === '1.0') out.push('ztwim-1.0');
  if (ztwim === '0.2') out.push('ztwim-0.2');
  if (products.spireCrds ?? ztwim === false) out.push('spire-controller-manager');
  if (products.sail ?? platform === 'openshift') out.push('sail-3.2');
  if ((products.istio ?? '1.27') === '1.27') out.push('istio-1.27');
  const gw = products.gatewayApi ?? 'standard';
  if (gw !== false) out.push('gateway-api-1.3');
  if (gw === 'experimental') out.push('gateway-api-1.3-experimental');
  if (platform === 'openshift') out.push('openshift-route', 'olm-subscription');
  return out;
}

/** A resolved apiVersion+kind: the CRD and the version the manifest names. */
export interface ResolvedCrd {
  readonly crd: CompactCrd;
  readonly version: CrdVersion;
  readonly set: CrdSetId;
}

export interface CrdRegistry {
  readonly sets: readonly CrdSetId[];
  /** All installed CRDs (one entry per group/kind; a later set overrides an earlier one). */
  list(): readonly CompactCrd[];
  /** The CRD for a group and kind, any version. */
  byGroupKind(group: string, kind: string): CompactCrd | undefined;
  /**
   * apiVersion + kind → CRD version. Unknown kind or a version that is not served →
   * `kube/no-kind-match` (NoKindMatchError: `no matches for kind "K" in version "g/v"`).
   */
  resolve(apiVersion: string, kind: string): Result<ResolvedCrd, SimError<'kube/no-kind-match'>>;
}

/** Splits `group/version` (core: `v1` → group ""). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export function createCrdRegistry(setsOrProducts: readonly CrdSetId[] | ClusterProducts = {}): CrdRegistry {
  const sets = Array.isArray(setsOrProducts) ? [...(setsOrProducts as CrdSetId[])] : crdSetsFor(setsOrProducts as ClusterProducts);
  const byKey = new Map<string, { crd: CompactCrd; set: CrdSetId }>();
  for (const id of sets) {
    for (const crd of SETS[id].crds as CompactCrd[]) byKey.set(`${crd.group}/${crd.kind}`, { crd, set: id });
  }
  return {
    sets,
    list: () => [...byKey.values()].map((e) => e.crd),
    byGroupKind: (group, kind) => byKey.get(`${group}/${kind}`)?.crd,
    resolve(apiVersion, kind) {
      const { group, version } = splitApiVersion(apiVersion);
      const entry = byKey.get(`${group}/${kind}`);
      const v = entry?.crd.versions.find((x) => x.name === version && x.served);
      if (!entry || !v) {
        return err(
          simError('kube/no-kind-match', `no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(apiVersion)}`, {
            group,
            version,
            kind,
          }),
        );
      }
      return ok({ crd: entry.crd, version: v, set: entry.set });
    },
  };
}
