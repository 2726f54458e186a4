/**
 * sim/istiod/gatewayApi — what istiod does with Gateway API `Gateway`s: automated deployment of class
 * `istio` gateways (`deployment.ts`) and conversion of listeners and TLSRoutes to Istio Gateways and
 * VirtualServices (`conversion.ts`), including the east-west AUTO_PASSTHROUGH rule.
 * Leaves out: HTTPRoute/GRPCRoute/TCPRoute conversion, status writing, ReferenceGrants, waypoints and the
 * ambient `istio-east-west` class.
 * References: istio:pilot/pkg/config/kube/gateway/{deploymentcontroller.go,conversion.go,gateway_collection.go},
 * pilot/pkg/serviceregistry/kube/conversion.go, manifests/charts/istio-control/istio-discovery/files/kube-gateway.yaml;
 * research/istio-spec.md §2.3, §3.5.
 */
export { convertGateway, convertTlsRoutes, isAutoPassthrough, internalGatewayName, deploymentNameOf, type ConversionOptions, type GatewayConversion, type ListenerVerdict } from './conversion.ts';
export { renderGatewayDeployment, type GatewayDeploymentOptions } from './deployment.ts';
