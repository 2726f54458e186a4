/**
 * Which static findings answer each catalogue scenario (test/scenarios/analyze.test.ts holds them to it:
 * the broken variant has a finding with each listed code, the fixed variant none of them), or why static
 * analysis cannot see it. Every catalogue scenario with a fix is listed; the test fails for one that is not.
 */
export type Coverage = { readonly codes: readonly string[] } | { readonly runtimeOnly: string };

export const COVERAGE: Readonly<Record<string, Coverage>> = {
  // Identity plane (FL00xx)
  's01-clusterspiffeid-without-classname-ztwim': { codes: ['FL0001'] },
  's02-one-sided-federation': { codes: ['FL0004'] },
  's03-cftd-without-initial-bundle': { codes: ['FL0005'] },
  's04-cftd-without-classname-ztwim': { codes: ['FL0002'] },
  's05-federates-with-keyed-by-url': { codes: ['FL0006'] },
  's06-static-bundle-no-refresh': { codes: ['FL0003'] },
  's07-wrong-endpoint-spiffe-id': { codes: ['FL0007'] },
  's08-bundle-endpoint-port-not-exposed': { codes: ['FL0008'] },
  's09-clusterspiffeid-wrong-namespace': { codes: ['FL0009'] },
  's10-clusterspiffeid-masking': { codes: ['FL0010'] },
  's11-agent-socket-not-named-socket': { codes: ['FL0011'] },
  's12-sds-all-bundles-name-not-rootca': { codes: ['FL0012'] },
  's13-pod-without-csi-volume': { codes: ['FL0013'] },
  's14-configmap-patch-reverted-ztwim': { codes: ['FL0014'] },
  's15-server-outage-longer-than-svid-ttl': { runtimeOnly: 'the fault is an outage of the SPIRE server (a `stop` step) outliving the SVID TTL: no manifest differs between the variants' },
  's15-mesh-svid-expired-during-outage': { runtimeOnly: 'the fault is an outage of the SPIRE server (a `stop` step) outliving the SVID TTL: no manifest differs between the variants' },
  's16-oidc-provider-wrong-socket': { codes: ['FL0016'] },
  's17-create-only-freezes-federation-ztwim': { codes: ['FL0015'] },

  // Mesh plane (FL01xx, sim/analyze/rules/mesh/)
  'm01-no-spire-socket-at-startup': { codes: ['FL0102'] },
  'm02-peer-trust-domain-not-accepted': { codes: ['FL0103'] },
  'm02-pre-1-29-remote-sans-use-local-domain': { codes: ['FL0104'] },
  'm02-trust-domain-aliases-merge-identities': { codes: ['FL0105'] },
  'm03-no-gateway-for-remote-network': { codes: ['FL0106'] },
  'm04-remote-secret-missing': { codes: ['FL0107'] },
  'm05-eastwest-gateway-terminates-tls': { codes: ['FL0108'] },
  'm06-no-eastwest-listener': { codes: ['FL0109'] },
  'm06-gateway-api-tls-listener-alpha': { codes: ['FL0110'] },
  'm07-destinationrule-san-missing-remote': { codes: ['FL0111'] },
  'm08-authorizationpolicy-spiffe-prefix': { codes: ['FL0112'] },
  'm09-serviceentry-wrong-port': { codes: ['FL0113'] },
  'm10-spire-template-native-sidecar': { codes: ['FL0114'] },
  'm11-istio-cni-not-installed': { codes: ['FL0115'] },
  'm12-eastwest-gateway-without-spire-template': { codes: ['FL0116'] },
  'm13-strict-mtls-client-outside-mesh': { codes: ['FL0117'] },
  'm14-unfederated-workload-blocked': { codes: ['FL0118'] },
  'm15-service-not-exposed-on-gateway': { codes: ['FL0119'] },

  // Federation topologies whose broken variant is a misconfiguration
  'f01-ossm-ztwim-federation': { codes: ['FL0001', 'FL0002', 'FL0017', 'FL0122'] },
  'f02-spiffe-helper-openssl': { codes: ['FL0019'] },
  'f02-spiffe-helper-openssl-openshift': { codes: ['FL0019'] },
  'f03-three-way-federation': { codes: ['FL0021'] },
  'f04-auto-federation-universal-clusterspiffeid': { codes: ['FL0003'] },
  'f05-ca-rotation-bundle-refresh': { codes: ['FL0020'] },
  'f06-serviceentry-separate-meshes': { codes: ['FL0113'] },
  'f07-istio-spire-federation-sample': { runtimeOnly: 'the sample wires discovery in one direction by design (remote secret and east-west gateway for west only); which direction is called is only known from the curl in the expectations' },
};
