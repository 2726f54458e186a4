/** Which clusters' istiods discover which others (remote secrets), shared by the M03/M04 rules. */
import type { ClusterInput } from '../../types.ts';
import { appServices, clusterIdOf, fqdn, namespaceOf, ofKind, remoteSecretClusters, serviceHost, specOf, strings } from './facts.ts';

/** Whether `from`'s istiod reads `to` through a remote secret. */
export const discovers = (from: ClusterInput, to: ClusterInput): boolean => remoteSecretClusters(from).some((s) => s.clusters.includes(clusterIdOf(to)));

/** Whether clients in `from` call services of `to`: `from` discovers `to`, or a ServiceEntry in `from` names one of `to`'s services. */
export function calls(from: ClusterInput, to: ClusterInput): boolean {
  if (discovers(from, to)) return true;
  const remote = new Set(appServices(to).map(serviceHost));
  return ofKind(from, 'ServiceEntry').some((se) => strings(specOf(se).hosts).some((h) => remote.has(fqdn(h, namespaceOf(se) ?? 'default'))));
}
