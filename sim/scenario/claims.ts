/**
 * Claims made by the user's guides that upstream SPIRE and Istio do not bear out, with what really
 * happens (CATALOGUE.md "Guide claims"; research/istio-spec.md §8, research/spire-spec.md). Scenarios cite
 * the claims they answer (`claims:`), and diagnostics quote them when a manifest relies on one.
 */
export interface GuideClaim {
  readonly claim: string;
  readonly reality: string;
}

export const GUIDE_CLAIMS: Readonly<Record<string, GuideClaim>> = {
  G01: { claim: '`proxyMetadata.CREDENTIAL_SOCKET_EXISTS: "true"` makes Envoy use SPIRE', reality: 'no such setting; pilot-agent uses SPIRE iff the socket exists at startup' },
  G02: { claim: '`sidecar.istio.io/userVolume` as a JSON array', reality: 'upstream takes a JSON object keyed by volume name' },
  G03: { claim: 'cross-network traffic goes client → local E/W gateway → remote E/W gateway', reality: 'the client sidecar connects directly to the remote network\'s gateway' },
  G04: { claim: '`meshNetworks` is required', reality: 'not when the gateway service carries `topology.istio.io/network` and remote secrets exist' },
  G05: { claim: '`className` is required for `federatesWith` to work', reality: 'the class-bound controller ignores classless CRs; the operator\'s fallback entry is what the pod gets' },
  G06: { claim: 'a DestinationRule missing the remote SAN fails about half the requests', reality: 'default retries hide it behind the healthy local endpoint' },
  G07: { claim: 'AuthorizationPolicy principals written `spiffe://td/ns/x/sa/y`', reality: 'principals are written without the scheme; with it the rule never matches' },
  G08: { claim: '`istioctl proxy-config secret` shows 4 columns', reality: '8 columns with SPIRE (7 without), one ROOTCA row per trust domain' },
  G09: { claim: 'Istio 1.27 templates fail with `duplicate container "istio-proxy" in pod spec`', reality: 'native sidecars; Kubernetes says `Duplicate value: "istio-proxy"`' },
  G10: { claim: 'a ClusterFederatedTrustDomain never loads its bundle; a manual `bundle set` is required', reality: 'it does when the controller reconciles it (matching class); editing only `trustDomainBundle` later does nothing' },
  G11: { claim: '`SpireServer` is `spire.openshift.io/v1alpha1`, namespaced, named `spire-server`', reality: '`operator.openshift.io/v1alpha1`, cluster-scoped singleton named `cluster` (the API server rejects the guide\'s form)' },
  G12: { claim: 'CREATE_ONLY_MODE only protects manual ConfigMap patches', reality: 'it also freezes later changes to the operator\'s own CRs (see S17)' },
  G13: { claim: '`openssl s_client` printing "CONNECTION ESTABLISHED" proves cross-cluster mTLS works (seed 001 §5.6)', reality: 'under TLS 1.3 the client prints it before the server has judged the client\'s certificate; and spiffe-helper without `include_federated_domains` writes only the local domain to `bundle.pem`, so the seed\'s own output shows a verify error. Proof is the server accepting the client' },
  G14: { claim: 'SpireServer `persistence.type: pvc` (seed 001)', reality: 'not a field of ZTWIM 1.0\'s SpireServer; the API server rejects or drops it depending on version' },
  G15: { claim: '"more specific selectors take precedence" when ClusterSPIFFEIDs overlap (seed 002)', reality: 'entries are keyed by SPIFFE ID + parent + selectors; for identical keys the oldest resource wins' },
  G16: { claim: '`spire-server` lives at `/opt/spire/bin/spire-server`, `/spire-server` or `./spire-server` (seed 000, 002)', reality: 'only the path the image ships exists; the others fail with `executable file not found`' },
};

export const isGuideClaim = (id: string): boolean => id in GUIDE_CLAIMS;
