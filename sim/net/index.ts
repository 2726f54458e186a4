/**
 * sim/net — the network seam. Today: the fault model (partitions between clusters, stopped
 * components, DNS failures) that components consult before they talk, with Go-style dial errors.
 * Bundle endpoints: the in-memory transport a SPIRE server fetches a peer's bundle with, authenticating
 * https_spiffe and https_web as SPIRE's client does.
 * Leaves out (for now): the mesh Transport interface and its TLS fabric (the mesh issue), latency.
 */
export { NetworkFaults, type NetError } from './faults.ts';
export {
  MemoryBundleClient,
  authenticateEndpoint,
  parseHttpsUrl,
  bodyOf,
  type BundleEndpoint,
  type BundleEndpointClient,
  type BundleEndpointProfile,
  type BundleEndpointResponse,
  type EndpointResolver,
} from './bundleEndpoint.ts';
