/**
 * sim/spire/csi — the SPIFFE CSI driver (`csi.spiffe.io`): which pods get the agent socket directory
 * mounted, and the kubelet's FailedMount when they cannot. Leaves out the registrar sidecar and the
 * CSI gRPC protocol. References: spiffe/spiffe-csi `pkg/driver/driver.go`; research/helm-spire-spec.md §1.6.
 */
export { csiMountsFor, hostPathInMounts, SPIFFE_CSI_DRIVER, DEFAULT_AGENT_SOCKET_DIR, type CsiNode, type CsiMount, type CsiMountError } from './csiDriver.ts';
