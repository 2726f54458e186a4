/**
 * sim/openshift — the OpenShift platform pieces a SPIRE federation lab meets: OLM (Subscription →
 * InstallPlan → ClusterServiceVersion → operator Deployment, with `spec.config.env`), Route admission
 * (default host, host claims, `status.ingress`), and the default router (passthrough by SNI, edge and
 * reencrypt with the ingress operator's certificate, the 503 page), as a resolver the lab's network calls.
 *
 * Leaves out: catalogue downloads and upgrades, OperatorConditions, router sharding, route certificates,
 * HTTP/2, the service-ca serving-cert controller (see each file's `Simplified:`).
 * References: operator-framework/operator-lifecycle-manager (pkg/controller/operators), operator-framework/api
 * (CRDs, InstallModeSet), openshift/router (unique_host.go, status.go, haproxy-config.template,
 * error-page-503.http), openshift-apiserver (route allocation, printRoute), openshift/cluster-ingress-operator
 * and openshift/zero-trust-workload-identity-manager (bundle CSV).
 */
export { createGlobalOperators, GLOBAL_OPERATORS_NAMESPACE } from './globalOperators.ts';
export { defaultCatalog, DEFAULT_CATALOG_SOURCES, MARKETPLACE_NAMESPACE, type CatalogBundle, type CatalogDeployment, type CatalogPackage } from './catalog.ts';
export {
  Olm,
  startOlm,
  mergeEnv,
  installModeProblem,
  OLM_DELAYS,
  OLM_PRINTER_COLUMNS,
  CSV_KIND,
  INSTALL_PLAN_KIND,
  OPERATOR_GROUP_KIND,
  type EnvVar,
  type OlmOptions,
  type OperatorInstalledCallback,
} from './olm.ts';
export {
  ROUTE_GROUP,
  ROUTER_NAME,
  ROUTE_TABLE_HEADERS,
  RouteAdmitter,
  admissionVerdicts,
  appsDomainOf,
  defaultIngress,
  defaultRouteHost,
  isAdmitted,
  routeHost,
  routeHostDefaulting,
  routeLessThan,
  routeTableCells,
  startRouteAdmission,
} from './routes.ts';
export { createIngressCertificates, publishIngressCertificates, type IngressCertificates } from './ingressCertificates.ts';
export {
  resolveRouteHost,
  certificateMatchesHost,
  ingressCaCertificates,
  backendChainTrusted,
  ROUTER_503,
  ROUTER_503_BODY,
  HTTP_TO_HTTPS_400,
  type BackendLookup,
  type ResolveRouteOptions,
  type RouteEndpoint,
  type RouterCluster,
} from './router.ts';
