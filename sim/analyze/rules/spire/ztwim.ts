/** ZTWIM facts: the operator's Subscription and its CREATE_ONLY_MODE, the objects it renders. */
import type { AnalyzedObject, ClusterInput } from '../../types.ts';
import { get, nameOf, objects, str } from '../util.ts';

export function ztwimSubscription(c: ClusterInput): AnalyzedObject | undefined {
  return objects(c, 'Subscription').find((o) => /zero-trust-workload-identity-manager/.test(str(get(o.object, 'spec.name')) ?? nameOf(o)));
}

/** CREATE_ONLY_MODE as the operator reads it from its environment (OLM: Subscription spec.config.env). */
export function createOnly(sub: AnalyzedObject): boolean {
  const env = get(sub.object, 'spec.config.env');
  return Array.isArray(env) && env.some((e) => get(e, 'name') === 'CREATE_ONLY_MODE' && String(get(e, 'value')).toLowerCase() === 'true');
}

/** ConfigMaps the operator renders (and reconciles back unless CREATE_ONLY_MODE). */
export const OPERATOR_CONFIGMAPS = ['spire-server', 'spire-agent', 'spire-controller-manager', 'spire-spiffe-oidc-discovery-provider', 'spire-bundle'];
export const ZTWIM_CRS = ['ZeroTrustWorkloadIdentityManager', 'SpireServer', 'SpireAgent', 'SpiffeCSIDriver', 'SpireOIDCDiscoveryProvider'];

/**
 * Whether CREATE_ONLY_MODE was on when `o` was last written: the Subscription had it and was last
 * written no later than `o` (a Subscription switched on afterwards did not protect an earlier edit).
 */
export const createOnlyAt = (sub: AnalyzedObject, o: AnalyzedObject): boolean => createOnly(sub) && (sub.revision ?? 0) <= (o.revision ?? 0);
