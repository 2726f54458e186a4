/**
 * Automated deployment of Gateway API gateways (istio:pilot/pkg/config/kube/gateway/deploymentcontroller.go
 * with the `kube-gateway` template, manifests/charts/istio-control/istio-discovery/files/kube-gateway.yaml):
 * a Gateway of class `istio` gets a ServiceAccount, Deployment and Service named `<name>-istio`
 * (`gateway.istio.io/name-override` / `gateway.istio.io/service-account` annotations override), owned by
 * the Gateway.
 * - Infrastructure labels/annotations: `spec.infrastructure.labels|annotations` if set, else the Gateway's
 *   own (PILOT_ENABLE_GATEWAY_API_COPY_LABELS_ANNOTATIONS, default true), minus `gateway.networking.k8s.io/*`
 *   keys for the infrastructure form; copied onto every object, so `topology.istio.io/network` lands on the
 *   Service (network-gateway discovery) and in the pod.
 * - Service type: annotation `networking.istio.io/service-type`, default LoadBalancer; ports: `status-port`
 *   15021 then one per distinct listener port (name = listener name with `.` → `-`, appProtocol the
 *   lowercased protocol) (`extractServicePorts`); `loadBalancerIP` from the first address when LoadBalancer.
 * - The pod is not injected (`sidecar.istio.io/inject: "false"`): the template itself carries the proxy,
 *   image `<hub>/proxyv2:<tag>`, env `ISTIO_META_NETWORK` (network label, else values.global.network) and
 *   `ISTIO_META_REQUESTED_NETWORK_VIEW` (network label only), `ISTIO_META_CLUSTER_ID`, `ISTIO_META_MESH_ID`,
 *   `TRUST_DOMAIN`, proxyMetadata; volume `workload-socket` is `emptyDir: {}` on 1.24–1.30.
 * Class `istio-remote` deploys nothing.
 * Simplified: no HPA/PDB, probes, resources or sysctls; the env keeps the entries the lab reads.
 */
import type { KubeManifest } from '../../kube/object.ts';
import { deploymentNameOf, NETWORK_LABEL, SERVICE_TYPE_ANNOTATION } from './conversion.ts';

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const s = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

export interface GatewayDeploymentOptions {
  /** Helm values istiod injects with (the injector ConfigMap's `values`): global.hub/tag/network/meshID/proxy. */
  readonly values: Obj;
  /** istiod's revision (`''` = default). */
  readonly revision: string;
  /** istiod's CLUSTER_ID. */
  readonly clusterId: string;
  /** meshConfig.trustDomain. */
  readonly trustDomain: string;
  /** meshConfig.defaultConfig.proxyMetadata. */
  readonly proxyMetadata?: Readonly<Record<string, string>>;
  readonly clusterDomain?: string;
}

const OMIT_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration', 'gateway.istio.io/name-override', 'gateway.istio.io/service-account', 'gateway.istio.io/controller-version'];
const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

function infra(gw: KubeManifest, which: 'labels' | 'annotations'): Record<string, string> {
  const fromSpec = o(o(o(gw.spec).infrastructure)[which]);
  if (Object.keys(fromSpec).length > 0) return Object.fromEntries(Object.entries(fromSpec).filter(([k]) => !k.startsWith('gateway.networking.k8s.io/')).map(([k, v]) => [k, s(v)]));
  return { ...((gw.metadata?.[which] ?? {}) as Record<string, string>) };
}

/** The objects the deployment controller applies for a Gateway, or [] for classes it does not deploy. */
export function renderGatewayDeployment(gw: KubeManifest & { metadata: { name: string; namespace?: string; uid?: string } }, opts: GatewayDeploymentOptions): KubeManifest[] {
  if (s(o(gw.spec).gatewayClassName) !== 'istio') return [];
  const name = gw.metadata.name;
  const namespace = gw.metadata.namespace ?? 'default';
  const deploymentName = deploymentNameOf(gw);
  const ann = (gw.metadata.annotations ?? {}) as Record<string, string>;
  const serviceAccount = ann['gateway.istio.io/service-account'] ?? deploymentName;
  const labels = infra(gw, 'labels');
  const annotations = Object.fromEntries(Object.entries(infra(gw, 'annotations')).filter(([k]) => !OMIT_ANNOTATIONS.includes(k)));
  const ownerReferences = [{ apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'Gateway', name, uid: gw.metadata.uid ?? '' }];
  const g = o(opts.values.global);
  const proxy = o(g.proxy);
  const proxyImage = s(proxy.image) || 'proxyv2';
  const image = proxyImage.includes('/') ? proxyImage : `${s(g.hub)}/${proxyImage}:${s(g.tag)}${s(g.variant) ? `-${s(g.variant)}` : ''}`;
  const network = labels[NETWORK_LABEL] || s(g.network);
  const env: { name: string; value?: string; valueFrom?: unknown }[] = [
    { name: 'PILOT_CERT_PROVIDER', value: s(g.pilotCertProvider) || 'istiod' },
    { name: 'CA_ADDR', value: s(g.caAddress) || `istiod${opts.revision ? `-${opts.revision}` : ''}.${s(g.istioNamespace) || 'istio-system'}.svc:15012` },
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    { name: 'INSTANCE_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    { name: 'SERVICE_ACCOUNT', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
    { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
    { name: 'ISTIO_META_CLUSTER_ID', value: s(o(g.multiCluster).clusterName) || opts.clusterId },
    { name: 'ISTIO_META_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
    { name: 'ISTIO_META_INTERCEPTION_MODE', value: 'REDIRECT' },
  ];
  if (network) env.push({ name: 'ISTIO_META_NETWORK', value: network });
  env.push({ name: 'ISTIO_META_WORKLOAD_NAME', value: deploymentName });
  env.push({ name: 'ISTIO_META_OWNER', value: `kubernetes://apis/apps/v1/namespaces/${namespace}/deployments/${deploymentName}` });
  const meshId = s(g.meshID) || opts.trustDomain;
  if (meshId) env.push({ name: 'ISTIO_META_MESH_ID', value: meshId });
  if (opts.trustDomain) env.push({ name: 'TRUST_DOMAIN', value: opts.trustDomain });
  for (const [k, v] of Object.entries(opts.proxyMetadata ?? {})) env.push({ name: k, value: v });
  if (labels[NETWORK_LABEL]) env.push({ name: 'ISTIO_META_REQUESTED_NETWORK_VIEW', value: labels[NETWORK_LABEL] });

  const selector = { [GATEWAY_NAME_LABEL]: name };
  const sa: KubeManifest = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: serviceAccount, namespace, annotations, labels: { ...labels, [GATEWAY_NAME_LABEL]: name }, ownerReferences } };
  const deployment: KubeManifest = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: deploymentName, namespace, annotations, labels: { ...labels, [GATEWAY_NAME_LABEL]: name, 'gateway.istio.io/managed': 'istio.io-gateway-controller' }, ownerReferences },
    spec: {
      selector: { matchLabels: selector },
      template: {
        metadata: {
          annotations: { ...annotations, 'istio.io/rev': opts.revision || 'default', 'prometheus.io/path': '/stats/prometheus', 'prometheus.io/port': '15020', 'prometheus.io/scrape': 'true' },
          labels: { 'sidecar.istio.io/inject': 'false', 'service.istio.io/canonical-name': deploymentName, 'service.istio.io/canonical-revision': 'latest', ...labels, [GATEWAY_NAME_LABEL]: name, 'gateway.istio.io/managed': 'istio.io-gateway-controller' },
        },
        spec: {
          serviceAccountName: serviceAccount,
          containers: [
            {
              name: 'istio-proxy',
              image,
              args: ['proxy', 'router', '--domain', `$(POD_NAMESPACE).svc.${opts.clusterDomain ?? 'cluster.local'}`, '--proxyLogLevel', s(proxy.logLevel) || 'warning'],
              ports: [
                { containerPort: 15020, name: 'metrics', protocol: 'TCP' },
                { containerPort: 15021, name: 'status-port', protocol: 'TCP' },
                { containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' },
              ],
              env,
              volumeMounts: [
                { name: 'workload-socket', mountPath: '/var/run/secrets/workload-spiffe-uds' },
                { name: 'credential-socket', mountPath: '/var/run/secrets/credential-uds' },
                { name: 'workload-certs', mountPath: '/var/run/secrets/workload-spiffe-credentials' },
                { name: 'istiod-ca-cert', mountPath: '/var/run/secrets/istio' },
                { name: 'istio-data', mountPath: '/var/lib/istio/data' },
                { name: 'istio-envoy', mountPath: '/etc/istio/proxy' },
                { name: 'istio-token', mountPath: '/var/run/secrets/tokens' },
                { name: 'istio-podinfo', mountPath: '/etc/istio/pod' },
              ],
            },
          ],
          volumes: [
            { name: 'workload-socket', emptyDir: {} },
            { name: 'credential-socket', emptyDir: {} },
            { name: 'workload-certs', emptyDir: {} },
            { name: 'istio-envoy', emptyDir: { medium: 'Memory' } },
            { name: 'istio-data', emptyDir: {} },
            { name: 'istio-podinfo', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } }] } },
            { name: 'istio-token', projected: { sources: [{ serviceAccountToken: { audience: 'istio-ca', expirationSeconds: 43200, path: 'istio-token' } }] } },
            { name: 'istiod-ca-cert', configMap: { name: 'istio-ca-root-cert' } },
          ],
        },
      },
    },
  };
  const serviceType = ann[SERVICE_TYPE_ANNOTATION] ?? 'LoadBalancer';
  const ports: Obj[] = [{ name: 'status-port', port: 15021, protocol: 'TCP', appProtocol: 'tcp' }];
  const seen = new Set<number>();
  const listeners = Array.isArray(o(gw.spec).listeners) ? (o(gw.spec).listeners as unknown[]).map(o) : [];
  listeners.forEach((l, i) => {
    const port = Number(l.port);
    if (seen.has(port)) return;
    seen.add(port);
    const pname = s(l.name).replace(/\./g, '-').slice(0, 63) || `${s(l.protocol).toLowerCase()}-${i}`;
    ports.push({ name: pname, port, protocol: 'TCP', appProtocol: s(l.protocol).toLowerCase() });
  });
  const svcSpec: Obj = { ipFamilyPolicy: 'PreferDualStack', ports, selector, type: serviceType };
  const addresses = Array.isArray(o(gw.spec).addresses) ? (o(gw.spec).addresses as unknown[]).map(o) : [];
  if (addresses.length > 0 && serviceType === 'LoadBalancer') svcSpec.loadBalancerIP = s(addresses[0]!.value);
  const service: KubeManifest = { apiVersion: 'v1', kind: 'Service', metadata: { name: deploymentName, namespace, annotations, labels: { ...labels, [GATEWAY_NAME_LABEL]: name }, ownerReferences }, spec: svcSpec };
  return [sa, deployment, service];
}
