/**
 * sim/net — the network seam. Today: the fault model (partitions between clusters, stopped
 * components, DNS failures) that components consult before they talk, with Go-style dial errors.
 * Leaves out (for now): the Transport interface and the in-memory TLS fabric (the mesh issue), latency.
 */
export { NetworkFaults, type NetError } from './faults.ts';
