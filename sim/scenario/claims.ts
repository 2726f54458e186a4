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
  // Found by the seed walkthroughs (CATALOGUE.md G17–G22). Upstream: pilot/pkg/networking/core/cluster_tls.go
  // (1.29: `if meshExternal || !autoMTLSEnabled …` — no auto-mTLS for MESH_EXTERNAL services).
  G17: { claim: 'a `MESH_EXTERNAL` ServiceEntry whose endpoint is the remote east-west gateway on 15443 carries the caller\'s mTLS identity end to end (seed 003 §3)', reality: 'Istio applies auto-mTLS only to mesh-internal endpoints labelled `security.istio.io/tlsMode: istio` (or a DestinationRule with `ISTIO_MUTUAL`): the sidecar sends plaintext, the AUTO_PASSTHROUGH listener has no filter chain for it (`filter_chain_not_found`) and the caller gets a 503' },
  // Upstream: AuthorizationPolicy semantics (pilot/pkg/security/authz/builder: no ALLOW policy, no RBAC filter; istio.io "If there are no ALLOW policies for the workload, allow the request").
  G18: { claim: 'a federated workload cannot call a same-named service in the other cluster unless an AuthorizationPolicy explicitly allows its identity (seed 003 §2)', reality: 'with no ALLOW policy selecting the workload every request that passes the mTLS handshake is allowed: the federated bundle is what lets the foreign identity in; an ALLOW policy only narrows who may call' },
  // Upstream: sail-operator pkg/validation/validation.go ValidateTargetNamespace (Reconciled=False, ReconcileError).
  G19: { claim: 'applying Sail\'s `IstioCNI` and `Istio` CRs (seed 000 Steps 8-9) installs the CNI and istiod into their `spec.namespace`', reality: 'the operator does not create the target namespace: without `istio-cni`/`istio-system` the CRs report `Reconciled=False ReconcileError: namespace "istio-system" doesn\'t exist`; no istiod, no injection webhook, pods start without sidecars and nothing crosses clusters' },
  // Seed 001's "Expected Output" blocks vs what the tools print (oc: the CRD's and Route's printer columns; coreutils ls -la).
  G20: { claim: 'seed 001\'s expected outputs are what `oc get csv` (§1.2), `oc get routes` (§2.5) and `ls -la /certs/` (§5.3) print', reality: 'they are trimmed: `oc get csv` also prints REPLACES, `oc get routes` PATH, SERVICES, PORT and WILDCARD, and `ls -la` a `total` line, `.` and `..`, and owner, size and date on every line' },
  // kubectl's table printer prints a header line; spire-server bundle list prints a three-line `*` banner per bundle (cmd/spire-server/cli/bundle/common.go printBundleWithFormat).
  G21: { claim: 'the seed 002 Quick Reference counts — `bundle list | grep "^\\*" | wc -l` and `kubectl get clusterfederatedtrustdomain | wc -l` — "should show 2 per cluster"', reality: '`bundle list` prints three `*` lines per federated bundle (6 for two peers), and `kubectl get` a header line (3 for two resources)' },
  // ZTWIM: pkg/controller/utils/labels.go StandardizedLabels (app.kubernetes.io/*); spire-controller-manager is a container of spire-server-0.
  G22: { claim: 'seed 001 Troubleshooting: `oc logs -l app=spire-controller-manager` and `oc logs -l app=spire-agent` show those components\' logs', reality: 'ZTWIM labels its pods `app.kubernetes.io/name=…` (no `app=` label) and runs spire-controller-manager as a container of spire-server-0: both selectors match nothing (`No resources found in zero-trust-workload-identity-manager namespace.`); use `oc logs spire-server-0 -c spire-controller-manager` and `-l app.kubernetes.io/name=spire-agent`' },
};

export const isGuideClaim = (id: string): boolean => id in GUIDE_CLAIMS;
