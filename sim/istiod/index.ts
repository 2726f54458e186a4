/**
 * sim/istiod — discovery over the local cluster and remote secrets, injection, mesh config,
 * policies, gateways and the Envoy configuration it pushes. Arrives with the mesh-plane issue.
 * References: research/istio-spec.md.
 */
export {};
