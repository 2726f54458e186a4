import { describe, expect, it } from 'vitest';
import { createValidator, type PlainObject, type ValidationWarning } from '../../../../sim/kube/schema/validator.ts';
import { createCrdRegistry } from '../../../../sim/kube/crds/registry.ts';

const ztwim = (spec: Record<string, unknown> = {}, name = 'cluster'): PlainObject => ({
  apiVersion: 'operator.openshift.io/v1alpha1',
  kind: 'ZeroTrustWorkloadIdentityManager',
  metadata: { name },
  spec: { trustDomain: 'west.example.com', clusterName: 'west', ...spec },
});

const spireServer = (spec: Record<string, unknown> = {}, name = 'cluster'): PlainObject => ({
  apiVersion: 'operator.openshift.io/v1alpha1',
  kind: 'SpireServer',
  metadata: { name },
  spec: { jwtIssuer: 'https://oidc.west.example.com', persistence: {}, datastore: {}, caSubject: {}, ...spec },
});

function message(r: { ok: boolean; error?: { message: string } }): string {
  if (r.ok) throw new Error('expected a failure');
  return (r as { error: { message: string } }).error.message;
}

describe('validation of custom resources (ZTWIM 1.0 CRDs)', () => {
  const v = createValidator();

  it('accepts a valid SpireServer and returns it defaulted', () => {
    const r = v.hook(spireServer(), undefined, 'create');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const spec = r.value.spec as Record<string, Record<string, unknown>>;
    expect(spec.caKeyType).toBe('rsa-2048');
    expect(spec.persistence).toEqual({ accessMode: 'ReadWriteOnce', size: '1Gi', storageClass: '' });
  });

  it('reports an enum violation as Unsupported value with the supported list', () => {
    expect(message(v.hook(spireServer({ caKeyType: 'ec-p521' }), undefined, 'create'))).toBe(
      'The SpireServer "cluster" is invalid: spec.caKeyType: Unsupported value: "ec-p521": supported values: "rsa-2048", "rsa-4096", "ec-p256", "ec-p384"',
    );
  });

  it('reports a pattern violation as go-openapi does (RE2 (?i) flag honoured)', () => {
    expect(message(v.hook(spireServer({ jwtIssuer: 'oidc.example.com' }), undefined, 'create'))).toBe(
      `The SpireServer "cluster" is invalid: spec.jwtIssuer: Invalid value: "oidc.example.com": spec.jwtIssuer in body should match '^(?i)https?://[^\\s?#]+$'`,
    );
    expect(v.hook(spireServer({ jwtIssuer: 'HTTPS://OIDC.example.com' }), undefined, 'create').ok).toBe(true);
  });

  it('reports missing required fields, several at once in kubectl\'s bullet form', () => {
    const obj = spireServer();
    delete (obj.spec as Record<string, unknown>).jwtIssuer;
    delete (obj.spec as Record<string, unknown>).datastore;
    expect(message(v.hook(obj, undefined, 'create'))).toBe(
      'The SpireServer "cluster" is invalid: \n* spec.datastore: Required value\n* spec.jwtIssuer: Required value',
    );
  });

  it('reports type, range, length and item-count violations in kube\'s formats', () => {
    const fed = (bundleEndpoint: Record<string, unknown>, federatesWith: unknown[] = [{ trustDomain: 'east', bundleEndpointUrl: 'https://e', bundleEndpointProfile: 'https_web' }]) =>
      spireServer({ federation: { bundleEndpoint, federatesWith, managedRoute: 'true' } });
    expect(message(v.hook(fed({ profile: 'https_spiffe', refreshHint: 30 }), undefined, 'create'))).toBe(
      'The SpireServer "cluster" is invalid: spec.federation.bundleEndpoint.refreshHint: Invalid value: 30: spec.federation.bundleEndpoint.refreshHint in body should be greater than or equal to 60',
    );
    expect(message(v.hook(spireServer({ federation: { bundleEndpoint: { profile: 'https_spiffe' }, managedRoute: true } }), undefined, 'create'))).toBe(
      'The SpireServer "cluster" is invalid: spec.federation.managedRoute: Invalid value: "boolean": spec.federation.managedRoute in body must be of type string: "boolean"',
    );
    expect(message(v.hook(spireServer({ caSubject: { country: 'USA' } }), undefined, 'create'))).toBe(
      'The SpireServer "cluster" is invalid: spec.caSubject.country: Too long: may not be more than 2 bytes',
    );
    const many = Array.from({ length: 51 }, (_, i) => ({ trustDomain: `td${i}`, bundleEndpointUrl: 'https://x', bundleEndpointProfile: 'https_web' }));
    expect(message(v.hook(fed({ profile: 'https_spiffe' }, many), undefined, 'create'))).toBe(
      'The SpireServer "cluster" is invalid: spec.federation.federatesWith: Too many: 51: must have at most 50 items',
    );
  });

  it('rejects unknown fields with the strict decoding error (BadRequest), before any other check', () => {
    const r = v.hook(spireServer({ persistence: { type: 'pvc' }, trustDomain: 'x' }), undefined, 'create', { source: 'west/spire.yaml' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('kube/strict-decoding');
    expect(r.error.message).toBe(
      'Error from server (BadRequest): error when creating "west/spire.yaml": SpireServer in version "v1alpha1" cannot be handled as a SpireServer: strict decoding error: unknown field "spec.persistence.type", unknown field "spec.trustDomain"',
    );
  });

  it('enforces the singleton CEL rule with the CRD\'s message at the root (<nil>)', () => {
    expect(message(v.hook(ztwim({}, 'main'), undefined, 'create'))).toBe(
      `The ZeroTrustWorkloadIdentityManager "main" is invalid: <nil>: Invalid value: "object": ZeroTrustWorkloadIdentityManager is a singleton, .metadata.name must be 'cluster'`,
    );
  });

  it('checks immutability (self == oldSelf) only on update', () => {
    expect(v.hook(ztwim({ trustDomain: 'east.example.com' }), undefined, 'create').ok).toBe(true);
    const old = ztwim();
    expect(v.hook(ztwim(), old, 'update').ok).toBe(true);
    expect(message(v.hook(ztwim({ trustDomain: 'east.example.com' }), old, 'update'))).toBe(
      'The ZeroTrustWorkloadIdentityManager "cluster" is invalid: spec.trustDomain: Invalid value: "string": trustDomain is immutable and cannot be changed',
    );
  });

  it('refuses to drop federation once set (transition rule on the root)', () => {
    const withFed = spireServer({ federation: { bundleEndpoint: { profile: 'https_spiffe' } } });
    const created = v.hook(withFed, undefined, 'create');
    if (!created.ok) throw new Error(created.error.message);
    expect(message(v.hook(spireServer(), created.value, 'update'))).toBe(
      'The SpireServer "cluster" is invalid: <nil>: Invalid value: "object": Federation configuration cannot be removed once set.',
    );
    expect(message(v.hook(spireServer({ persistence: { size: '5Gi' } }), spireServer(), 'update'))).toBe(
      'The SpireServer "cluster" is invalid: <nil>: Invalid value: "object": spec.persistence.size is immutable',
    );
  });

  it('evaluates nested CEL rules with ternaries (endpointSpiffeId required for https_spiffe)', () => {
    const obj = spireServer({
      federation: { bundleEndpoint: { profile: 'https_spiffe' }, federatesWith: [{ trustDomain: 'east', bundleEndpointUrl: 'https://e', bundleEndpointProfile: 'https_spiffe' }] },
    });
    expect(message(v.hook(obj, undefined, 'create'))).toBe(
      'The SpireServer "cluster" is invalid: spec.federation.federatesWith[0]: Invalid value: "object": endpointSpiffeId is required when bundleEndpointProfile is https_spiffe',
    );
  });

  it('ratchets unchanged invalid values on update', () => {
    const old = spireServer({ caKeyType: 'ec-p521' });
    expect(v.hook(spireServer({ caKeyType: 'ec-p521', logLevel: 'debug' }), old, 'update').ok).toBe(true);
    expect(v.hook(spireServer({ caKeyType: 'ec-p999' }), old, 'update').ok).toBe(false);
  });
});

describe('metadata and kinds', () => {
  const warnings: ValidationWarning[] = [];
  const v = createValidator({ onWarning: (w) => warnings.push(w) });

  it('requires a name unless generateName is set', () => {
    const cm: PlainObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} };
    expect(message(v.hook(cm, undefined, 'create'))).toBe('The ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required');
    expect(v.hook({ ...cm, metadata: { generateName: 'cm-' } }, undefined, 'create').ok).toBe(true);
  });

  it('checks namespace names as RFC 1123 labels and other names as subdomains, with kube\'s text', () => {
    expect(message(v.hook({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'My_NS' } }, undefined, 'create'))).toBe(
      `The Namespace "My_NS" is invalid: metadata.name: Invalid value: "My_NS": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    );
    expect(message(v.hook({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } }, undefined, 'create'))).toBe(
      'The Namespace "a.b" is invalid: metadata.name: Invalid value: "a.b": must not contain dots',
    );
    expect(v.hook({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a.b' } }, undefined, 'create').ok).toBe(true);
  });

  it('rejects unknown metadata fields and non-string labels as decode errors', () => {
    const svc: PlainObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', app: 'web' } };
    expect(message(v.hook(svc, undefined, 'create', { source: 'svc.yaml' }))).toBe(
      'Error from server (BadRequest): error when creating "svc.yaml": Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "metadata.app"',
    );
    const ns: PlainObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns', labels: { 'openshift.io/cluster-monitoring': true } } };
    expect(message(v.hook(ns, undefined, 'create'))).toContain('cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string');
  });

  it('clears metadata.namespace of cluster-scoped objects', () => {
    const r = v.hook({ apiVersion: 'sailoperator.io/v1', kind: 'IstioCNI', metadata: { name: 'default', namespace: 'istio-cni' }, spec: {} }, undefined, 'create');
    expect(r.ok && r.value.metadata.namespace).toBe(undefined);
  });

  it('gives kubectl\'s mapping error for unknown kinds', () => {
    const r = v.hook({ apiVersion: 'spire.openshift.io/v1alpha1', kind: 'SpireServer', metadata: { name: 'spire-server', namespace: 'ztwim' } }, undefined, 'create', { source: 'spire.yaml' });
    expect(message(r)).toBe(
      'error: resource mapping not found for name: "spire-server" namespace: "ztwim" from "spire.yaml": no matches for kind "SpireServer" in version "spire.openshift.io/v1alpha1"\nensure CRDs are installed first',
    );
  });

  it('warns once about built-ins the lab stores without a model', () => {
    const role: PlainObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'kiali' }, rules: [] };
    expect(v.hook(role, undefined, 'create').ok).toBe(true);
    expect(v.hook(role, undefined, 'create').ok).toBe(true);
    expect(warnings.filter((w) => w.code === 'kube/kind-not-modelled')).toHaveLength(1);
  });

  it('reports a CEL rule it cannot evaluate as a warning with the rule text, once', () => {
    const seen: ValidationWarning[] = [];
    const reg = createCrdRegistry();
    const crd = reg.byGroupKind('operator.openshift.io', 'ZeroTrustWorkloadIdentityManager');
    const schema = crd?.versions[0]?.schema;
    if (!schema) throw new Error('no schema');
    const rules = schema['x-kubernetes-validations'] ?? [];
    rules.push({ rule: 'self.metadata.name.reverse() == "x"', message: 'no' });
    try {
      const vv = createValidator({ registry: reg, onWarning: (w) => seen.push(w) });
      expect(vv.hook(ztwim(), undefined, 'create').ok).toBe(true);
      expect(vv.hook(ztwim(), undefined, 'create').ok).toBe(true);
      expect(seen).toHaveLength(1);
      expect(seen[0]?.code).toBe('kube/cel-unevaluated');
      expect(seen[0]?.message).toContain('self.metadata.name.reverse() == \\"x\\"');
    } finally {
      rules.pop();
    }
  });
});

describe('the validated copy (a JSON round trip without the text)', () => {
  const v = createValidator();

  it('has JSON semantics: undefined members dropped, undefined array items and non-finite numbers null, nothing shared', () => {
    const data = { a: 'x', b: undefined };
    const input = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default', labels: { x: 'y' } }, data, list: [1, undefined, Number.NaN, { n: Infinity }] } as unknown as PlainObject;
    const r = v.hook(input, undefined, 'create');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.data).toEqual({ a: 'x' });
    expect('b' in (r.value.data as object)).toBe(false);
    expect(r.value.list).toEqual([1, null, null, { n: null }]);
    expect(r.value.data).not.toBe(data);
    expect(JSON.stringify(r.value)).toBe(JSON.stringify(JSON.parse(JSON.stringify(input))));
  });
});
