/**
 * istiod's Gateway API side in a cluster where it runs:
 * - the deployment controller (istio: pilot/pkg/config/kube/gatewaycommon/deploymentcontroller.go): every
 *   `gateway.networking.k8s.io` Gateway of class `istio` gets `<name>-istio` (ServiceAccount, Deployment,
 *   Service, rendered by sim/istiod/gatewayApi renderGatewayDeployment) applied and kept applied; the
 *   Deployment exists whether or not its listeners are accepted;
 * - the servers such a gateway's pods get (pilot/pkg/config/kube/gateway/conversion.go via convertGateway):
 *   only accepted listeners — TLS/TCP listeners need istiod env `PILOT_ENABLE_ALPHA_GATEWAY_API=true` from
 *   1.25 on, otherwise the pod has no listener on that port.
 * Simplified: listener status conditions are not written to the Gateway.
 */
import type { KubeObject } from '../kube/object.ts';
import { applyManifest } from '../kube/apply.ts';
import { convertGateway, renderGatewayDeployment } from '../istiod/gatewayApi/index.ts';
import { parseIstioVersion } from '../istiod/install/versions.ts';
import type { GatewayServer } from '../istiod/push.ts';
import type { GatewayListenerConfig } from '../envoy/config.ts';
import type { ClusterRuntime } from './cluster.ts';
import type { IstiodRuntime } from './istiod.ts';

const GATEWAY = { group: 'gateway.networking.k8s.io', kind: 'Gateway' } as const;

/** istiod's container env (the Deployment's pod as it runs). */
function istiodEnv(istiod: IstiodRuntime): Record<string, string> {
  const c = ((istiod.pod.spec as { containers?: { env?: { name: string; value?: string }[] }[] }).containers ?? [])[0];
  return Object.fromEntries((c?.env ?? []).map((e) => [e.name, e.value ?? '']));
}

/** Helm values the injector runs with: the `istio-sidecar-injector` ConfigMap's `values` JSON. */
function injectorValues(cluster: ClusterRuntime, istiod: IstiodRuntime): Record<string, unknown> {
  const name = istiod.revision ? `istio-sidecar-injector-${istiod.revision}` : 'istio-sidecar-injector';
  const data = (cluster.store.find('ConfigMap', istiod.namespace, name)?.data ?? {}) as Record<string, string>;
  try {
    return JSON.parse(data.values ?? '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** Starts the deployment controller; returns its stop. */
export function startGatewayDeployer(cluster: ClusterRuntime, istiod: IstiodRuntime): () => void {
  // Without the Gateway API CRDs istiod's controller has nothing to watch.
  if (!cluster.store.kindOf(GATEWAY).ok) return () => undefined;
  const deploy = (gw: KubeObject) => {
    const mesh = istiod.mesh;
    const objects = renderGatewayDeployment(gw as Parameters<typeof renderGatewayDeployment>[0], {
      values: injectorValues(cluster, istiod),
      revision: istiod.revision,
      clusterId: istiod.clusterId,
      trustDomain: mesh.trustDomain,
      proxyMetadata: mesh.proxyMetadata,
    });
    for (const m of objects) applyManifest(cluster.store, m);
  };
  const unwatch = cluster.store.watch({ kind: GATEWAY }, (e) => {
    if (e.type !== 'DELETED') deploy(e.object);
  });
  for (const gw of cluster.store.scan(GATEWAY)) deploy(gw);
  cluster.store.settle();
  return unwatch;
}

/** The servers of the Gateway API Gateway that deployed `pod`, as istiod converts its listeners. */
export function gatewayApiServers(cluster: ClusterRuntime, pod: KubeObject, istiod: IstiodRuntime | undefined): GatewayServer[] {
  const owner = pod.metadata.labels?.['gateway.networking.k8s.io/gateway-name'];
  const gw = owner ? cluster.store.find(GATEWAY, pod.metadata.namespace, owner) : undefined;
  const version = parseIstioVersion(istiod?.version ?? '');
  if (!gw || !istiod || !version.ok) return [];
  const env = istiodEnv(istiod);
  const converted = convertGateway(gw, { version: version.value, domainSuffix: 'cluster.local', alphaGatewayApi: env.PILOT_ENABLE_ALPHA_GATEWAY_API === 'true' });
  type Server = { port?: { number?: number }; hosts?: string[]; tls?: { mode?: string; credentialName?: string } };
  const source = { kind: 'Gateway', namespace: gw.metadata.namespace ?? 'default', name: gw.metadata.name, cluster: cluster.name };
  return converted.gateways.flatMap((g) =>
    ((g.spec as { servers?: Server[] }).servers ?? []).map((s) => {
      // PASSTHROUGH is the zero value: convertGateway emits `tls: {}` for it.
      const mode = s.tls ? ((s.tls.mode ?? 'PASSTHROUGH') as GatewayListenerConfig['mode']) : undefined;
      return { port: s.port?.number ?? 0, mode, hosts: s.hosts ?? [], ...(s.tls?.credentialName ? { credentialName: s.tls.credentialName } : {}), source };
    }),
  );
}
