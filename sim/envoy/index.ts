/**
 * sim/envoy — each sidecar and gateway proxy: SDS client, listeners and clusters, upstream and
 * inbound TLS, RBAC and Call → CallTrace. Arrives with the mesh-plane issue.
 * References: research/istio-spec.md.
 */
export {};
