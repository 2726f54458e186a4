/**
 * Network gateways istiod knows (pilot/pkg/serviceregistry/kube/controller/network.go, pilot/pkg/model/network.go):
 * 1. Services labelled `topology.istio.io/network=<N>` exposing the mTLS port (label
 *    `networking.istio.io/gatewayPort`, default 15443), at their external address (LoadBalancer
 *    ingress or externalIPs); no external address ⇒ no gateway;
 * 2. meshNetworks gateways: `address` (any cluster) or `registryServiceName` (only in a cluster named by
 *    a `fromRegistry` of that network), port from the entry;
 * 3. Gateway API Gateways labelled with the network, per `spec.addresses` × auto-passthrough listener.
 */
import type { MeshConfig } from './meshConfig.ts';
import { NETWORK_LABEL, type ClusterView } from './registry.ts';

export interface NetworkGateway {
  readonly network: string;
  readonly cluster: string;
  readonly address: string;
  readonly port: number;
  /** How istiod learnt it, for traces. */
  readonly source: string;
}

function externalAddresses(svc: { spec?: unknown; status?: unknown }): string[] {
  const spec = svc.spec as { externalIPs?: string[] } | undefined;
  const ingress = (svc.status as { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } | undefined)?.loadBalancer?.ingress ?? [];
  return [...(spec?.externalIPs ?? []), ...ingress.map((i) => i.ip ?? i.hostname ?? '').filter(Boolean)];
}

export function networkGateways(views: readonly ClusterView[], mesh: MeshConfig): NetworkGateway[] {
  const out: NetworkGateway[] = [];
  for (const view of views) {
    for (const svc of view.store.scan('Service')) {
      const network = svc.metadata.labels?.[NETWORK_LABEL];
      if (!network) continue;
      const port = Number(svc.metadata.labels?.['networking.istio.io/gatewayPort'] ?? 15443);
      const ports = ((svc.spec as { ports?: { port: number }[] }).ports ?? []).map((p) => p.port);
      if (!ports.includes(port)) continue;
      for (const address of externalAddresses(svc)) out.push({ network, cluster: view.id, address, port, source: `Service ${svc.metadata.namespace}/${svc.metadata.name} (label ${NETWORK_LABEL}=${network}) in ${view.id}` });
    }
    for (const gw of view.store.scan({ group: 'gateway.networking.k8s.io', kind: 'Gateway' })) {
      const network = gw.metadata.labels?.[NETWORK_LABEL];
      if (!network) continue;
      const spec = gw.spec as { addresses?: { type?: string; value: string }[]; listeners?: { port: number; protocol?: string; tls?: { mode?: string; options?: Record<string, string> } }[] };
      const gwPort = Number(gw.metadata.labels?.['networking.istio.io/gatewayPort'] ?? 15443);
      const passthrough = (spec.listeners ?? []).filter((l) => l.tls && (l.tls.options?.['gateway.istio.io/listener-protocol'] === 'auto-passthrough' || l.port === gwPort));
      for (const a of spec.addresses ?? []) for (const l of passthrough) out.push({ network, cluster: view.id, address: a.value, port: l.port, source: `Gateway ${gw.metadata.namespace}/${gw.metadata.name} spec.addresses in ${view.id}` });
    }
  }
  for (const [network, n] of Object.entries(mesh.networks)) {
    for (const g of n.gateways) {
      if (g.address) out.push({ network, cluster: '', address: g.address, port: g.port, source: `meshNetworks.${network}.gateways address ${g.address}` });
      else if (g.registryServiceName) {
        const [name, ns] = g.registryServiceName.split('.');
        for (const reg of n.endpoints.filter((e) => e.fromRegistry)) {
          const view = views.find((v) => v.id === reg.fromRegistry);
          const svc = view?.store.find('Service', ns, name ?? '');
          for (const address of svc ? externalAddresses(svc) : []) out.push({ network, cluster: view!.id, address, port: g.port, source: `meshNetworks.${network}.gateways registryServiceName ${g.registryServiceName}` });
        }
      }
    }
  }
  // The same address learnt twice (label and meshNetworks) is one gateway.
  return out.filter((g, i) => out.findIndex((o) => o.network === g.network && o.address === g.address && o.port === g.port) === i);
}
