/**
 * sim/spire — the SPIRE model (server, agents, SPIFFE CSI driver, spire-controller-manager and the
 * provisioning profiles that render SPIRE's configuration). Arrives with the SPIRE core issue; until
 * then `sim/world/standinIdentity.ts` publishes a CA's bundle so scenarios can exchange bundles.
 * References: research/spire-spec.md, research/helm-spire-spec.md, research/ztwim-spec.md.
 */
export {};
