import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatLocation, parseYamlDocuments, type YamlDocument } from '../../../sim/kube/yaml.ts';
import { createValidator, type PlainObject, type ValidationWarning } from '../../../sim/kube/schema/validator.ts';
import { createCrdRegistry } from '../../../sim/kube/crds/registry.ts';

const ROOT = join(import.meta.dirname, '../../fixtures/seeds');

function load(file: string, substitute: Record<string, string> = {}): YamlDocument[] {
  let text = readFileSync(join(ROOT, file), 'utf8');
  for (const [k, v] of Object.entries(substitute)) text = text.replaceAll(`\${${k}}`, v);
  const r = parseYamlDocuments(text, file);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const name = (d: YamlDocument): string => `${String(d.object.kind)}/${String((d.object.metadata as Record<string, unknown> | undefined)?.name)}`;

/** What `oc apply -f file` would print per object, "ok" for an accepted one. */
function apply(validator: ReturnType<typeof createValidator>, file: string, substitute?: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of load(file, substitute)) {
    const r = validator.hook(d.object as PlainObject, undefined, 'create', { source: file });
    out[name(d)] = r.ok ? 'ok' : r.error.message;
  }
  return out;
}

// The guide pipes seed 001's stack through envsubst; these are the values its Step 2.1 exports.
const ENV_001 = { APP_DOMAIN: 'apps.cluster1.example.com', JWT_ISSUER_ENDPOINT: 'oidc-discovery.apps.cluster1.example.com', CLUSTER_NAME: 'cluster1' };

describe('seed manifests (the user\'s own documents)', () => {
  const warnings: ValidationWarning[] = [];
  const openshift = createValidator({ onWarning: (w) => warnings.push(w) });

  it('every fixture parses', () => {
    for (const seed of readdirSync(ROOT).filter((d) => /^\d{3}$/.test(d))) {
      for (const f of readdirSync(join(ROOT, seed))) expect(load(`${seed}/${f}`).length, `${seed}/${f}`).toBeGreaterThan(0);
    }
  });

  it('seed 000: the spire.openshift.io SpireServer has no such kind (kubectl mapping error)', () => {
    expect(apply(openshift, '000/spireserver-federation.yaml')).toEqual({
      'SpireServer/spire-server':
        'error: resource mapping not found for name: "spire-server" namespace: "zero-trust-workload-identity-manager" from "000/spireserver-federation.yaml": ' +
        'no matches for kind "SpireServer" in version "spire.openshift.io/v1alpha1"\nensure CRDs are installed first',
    });
  });

  it('seed 000: the OSSM, Istio, SPIRE, Gateway API, workload and Route manifests are accepted', () => {
    for (const file of [
      '000/subscription-servicemesh.yaml', '000/istiocni.yaml', '000/istio-cluster1.yaml', '000/clusterspiffeid-istio-system.yaml',
      '000/gateway-east-west.yaml', '000/namespace-istio-test.yaml', '000/helloworld.yaml', '000/curl.yaml',
      '000/clusterspiffeid-istio-test.yaml', '000/cftd-cluster2.yaml', '000/prometheus.yaml', '000/kiali.yaml', '000/routes.yaml',
    ]) {
      for (const [obj, verdict] of Object.entries(apply(openshift, file))) expect(verdict, `${file} ${obj}`).toBe('ok');
    }
  });

  it('seed 000: the className "fix" fragment lacks the required spiffeIDTemplate; the ClusterRole is stored with a warning', () => {
    expect(apply(openshift, '000/clusterspiffeid-classname-fix.yaml')).toEqual({
      'ClusterSPIFFEID/istio-test-spiffeid': 'The ClusterSPIFFEID "istio-test-spiffeid" is invalid: spec.spiffeIDTemplate: Required value',
    });
    expect(apply(openshift, '000/kiali-clusterrole.yaml')).toEqual({ 'ClusterRole/kiali': 'ok' });
    expect(warnings.some((w) => w.code === 'kube/kind-not-modelled' && w.kind === 'ClusterRole')).toBe(true);
  });

  it('seed 001 under ZTWIM 1.0: SpireServer.spec.persistence.type is an unknown field; the rest of the stack is accepted', () => {
    const r = apply(openshift, '001/spire-stack.yaml', ENV_001);
    expect(r['SpireServer/cluster']).toBe(
      'Error from server (BadRequest): error when creating "001/spire-stack.yaml": SpireServer in version "v1alpha1" cannot be handled as a SpireServer: ' +
        'strict decoding error: unknown field "spec.persistence.type"',
    );
    expect(r['ZeroTrustWorkloadIdentityManager/cluster']).toBe('ok');
    expect(r['SpireAgent/cluster']).toBe('ok');
    expect(r['SpiffeCSIDriver/cluster']).toBe('ok');
    expect(r['SpireOIDCDiscoveryProvider/cluster']).toBe('ok');
  });

  it('seed 001 under ZTWIM 0.2: persistence.type existed, but the 1.0-style ZTWIM CR and SpireServer are not 0.2 manifests', () => {
    const v02 = createValidator({ registry: createCrdRegistry({ ztwim: '0.2' }) });
    const r = apply(v02, '001/spire-stack.yaml', ENV_001);
    // 0.2 had spec.persistence.type (enum pvc/hostPath/emptyDir): the field itself is fine there.
    expect(r['SpireServer/cluster']).not.toContain('persistence');
    expect(r['SpireServer/cluster']).toBe('The SpireServer "cluster" is invalid: \n* spec.clusterName: Required value\n* spec.trustDomain: Required value');
    expect(r['ZeroTrustWorkloadIdentityManager/cluster']).toBe(
      'Error from server (BadRequest): error when creating "001/spire-stack.yaml": ZeroTrustWorkloadIdentityManager in version "v1alpha1" cannot be handled as a ZeroTrustWorkloadIdentityManager: ' +
        'strict decoding error: unknown field "spec.clusterName", unknown field "spec.trustDomain"',
    );
  });

  it('seed 001: the 0.2-style SpireServer (trustDomain, clusterName, persistence.type) is valid for 0.2 and rejected by 1.0', () => {
    const doc = load('001/spire-stack.yaml', ENV_001).find((d) => d.object.kind === 'SpireServer');
    if (!doc) throw new Error('no SpireServer');
    const spec = { ...(doc.object.spec as Record<string, unknown>), trustDomain: 'apps.cluster1.example.com', clusterName: 'cluster1' };
    const obj = { ...(doc.object as PlainObject), spec };
    expect(createValidator({ registry: createCrdRegistry({ ztwim: '0.2' }) }).hook(obj, undefined, 'create').ok).toBe(true);
    const r = openshift.hook(obj, undefined, 'create');
    expect(!r.ok && r.error.message).toContain('unknown field "spec.clusterName", unknown field "spec.persistence.type", unknown field "spec.trustDomain"');
  });

  it('seed 001: the error points at the file and line of the offending field', () => {
    const doc = load('001/spire-stack.yaml', ENV_001).find((d) => d.object.kind === 'SpireServer');
    if (!doc) throw new Error('no SpireServer');
    const pos = doc.positionOf('spec.persistence.type');
    expect(formatLocation('001/spire-stack.yaml', pos?.line, 'SpireServer/cluster', 'spec.persistence.type', 'unknown field')).toBe(
      '001/spire-stack.yaml:23: SpireServer/cluster: spec.persistence.type: unknown field',
    );
  });

  it('seed 001: workloads, ClusterSPIFFEIDs, CFTD, OLM objects and the Route are accepted once envsubst has run', () => {
    for (const file of ['001/operator-install.yaml', '001/cfdt-cluster1.yaml', '001/clusterspiffeid-mtls-server.yaml', '001/spiffe-helper-configmap.yaml', '001/mtls-server.yaml', '001/mtls-client.yaml']) {
      for (const [obj, verdict] of Object.entries(apply(openshift, file, { REMOTE_DOMAIN: 'apps.cluster2.example.com' }))) expect(verdict, `${file} ${obj}`).toBe('ok');
    }
    expect(apply(openshift, '001/route-mtls-secure.yaml', { CLUSTER1_DOMAIN: 'apps.cluster1.example.com' })).toEqual({ 'Route/mtls-secure': 'ok' });
    // Unsubstituted, the Route host fails the CRD's hostname pattern.
    expect(apply(openshift, '001/route-mtls-secure.yaml')['Route/mtls-secure']).toMatch(/^The Route "mtls-secure" is invalid: spec\.host: Invalid value: "mtls-secure\.\$\{CLUSTER1_DOMAIN\}": spec\.host in body should match/);
  });

  it('seed 002: the <namespace> template name is not a valid object name; IstioOperator and cert-manager kinds do not exist', () => {
    expect(apply(openshift, '002/clusterspiffeid-namespace-template.yaml')['ClusterSPIFFEID/<namespace>-auto-federated']).toMatch(
      /^The ClusterSPIFFEID "<namespace>-auto-federated" is invalid: metadata\.name: Invalid value: "<namespace>-auto-federated": a lowercase RFC 1123 subdomain/,
    );
    expect(apply(openshift, '002/istiooperator.yaml')['IstioOperator/undefined']).toContain('no matches for kind "IstioOperator" in version "install.istio.io/v1alpha1"');
    expect(apply(openshift, '002/certificate.yaml')['Certificate/my-service-cert']).toContain('no matches for kind "Certificate" in version "cert-manager.io/v1"');
    for (const file of ['002/clusterspiffeid-all-workloads.yaml', '002/clusterspiffeid-label-based.yaml', '002/clusterspiffeid-my-custom-federation.yaml', '002/pod-my-app.yaml']) {
      for (const [obj, verdict] of Object.entries(apply(openshift, file))) expect(verdict, `${file} ${obj}`).toBe('ok');
    }
  });

  it('seed 003: endpointSpiffeId (wrong case) is an unknown field of ClusterFederatedTrustDomain; the Istio policies are accepted', () => {
    expect(apply(openshift, '003/cftd-beta.yaml')['ClusterFederatedTrustDomain/beta.com']).toBe(
      'Error from server (BadRequest): error when creating "003/cftd-beta.yaml": ClusterFederatedTrustDomain in version "v1alpha1" cannot be handled as a ClusterFederatedTrustDomain: ' +
        'strict decoding error: unknown field "spec.bundleEndpointProfile.endpointSpiffeId"',
    );
    for (const file of ['003/authorizationpolicy-allow-cluster-b.yaml', '003/authorizationpolicy-allow-svca.yaml', '003/serviceentry-svc-b.yaml']) {
      for (const [obj, verdict] of Object.entries(apply(openshift, file))) expect(verdict, `${file} ${obj}`).toBe('ok');
    }
  });

  it('seed 004 on kind (no OpenShift, no ZTWIM): the DestinationRule is accepted, an OpenShift Route is not', () => {
    const kind = createValidator({ registry: createCrdRegistry({ platform: 'kubernetes' }), platform: 'kubernetes' });
    expect(apply(kind, '004/destinationrule-allow-federated.yaml')).toEqual({ 'DestinationRule/allow-federated-trust-domain': 'ok' });
    expect(apply(kind, '000/routes.yaml')['Route/kiali']).toContain('no matches for kind "Route" in version "route.openshift.io/v1"');
  });
});
