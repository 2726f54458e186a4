import { describe, expect, it } from 'vitest';
import { formatLocation, joinFieldPath, parseYamlDocuments, splitFieldPath } from '../../../sim/kube/yaml.ts';

const SPIRE = `# west cluster
apiVersion: operator.openshift.io/v1alpha1
kind: SpireServer
metadata:
  name: cluster
spec:
  federation:
    bundleEndpoint:
      profile: https_spiffe
    federatesWith:
      - trustDomain: east.example.com
        bundleEndpointUrl: https://federation.east.example.com
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
spec:
  containers:
  - name: app
    image: nginx
  - name: sidecar
    image: envoy
`;

describe('parseYamlDocuments', () => {
  it('splits documents and maps nested fields and list items to line:column', () => {
    const r = parseYamlDocuments(SPIRE, 'west/spire.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [spire, pod] = r.value;
    expect(spire?.object.kind).toBe('SpireServer');
    expect(spire?.positionOf('spec.federation.bundleEndpoint.profile')).toEqual({ line: 9, column: 7 });
    expect(spire?.positionOf('spec.federation.federatesWith[0].bundleEndpointUrl')).toEqual({ line: 12, column: 9 });
    expect(spire?.positionOf('spec.federation.federatesWith[0]')).toEqual({ line: 11, column: 9 });
    expect(pod?.positionOf('spec.containers[1].image')).toEqual({ line: 25, column: 5 });
    expect(pod?.positionOf('metadata.labels[app.kubernetes.io/name]')).toEqual({ line: 19, column: 5 });
    expect(pod?.start.line).toBe(14);
  });

  it('locates an absent field at its nearest present ancestor', () => {
    const r = parseYamlDocuments(SPIRE, 'west/spire.yaml');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value[0]?.positionOf('spec.persistence')).toBeUndefined();
    expect(r.value[0]?.locate('spec.persistence')).toEqual({ position: { line: 6, column: 1 }, exact: false });
    expect(r.value[0]?.locate('<nil>')).toEqual({ position: { line: 2, column: 1 }, exact: true });
  });

  it('reports a syntax error with file:line:column and the reason, never a stack', () => {
    const r = parseYamlDocuments('apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "unterminated\n', 'cm.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('kube/yaml-syntax');
    expect(r.error.message).toMatch(/^cm\.yaml:4:\d+: /);
    expect(r.error.message).not.toContain('\n');
  });

  it('rejects duplicate keys with go-yaml\'s wording', () => {
    const r = parseYamlDocuments('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n', 'dup.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('kube/yaml-duplicate-key');
    expect(r.error.message).toBe('dup.yaml:5:3: key "name" already set in map');
  });

  it('rejects tabs used for indentation', () => {
    const r = parseYamlDocuments('apiVersion: v1\nkind: ConfigMap\ndata:\n\ta: b\n', 'tabs.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('kube/yaml-tab');
    expect(r.error.message).toMatch(/^tabs\.yaml:4:1: .*tab/);
  });

  it('rejects a document that is not a mapping, and skips empty documents', () => {
    const r = parseYamlDocuments('---\n---\n- a\n- b\n', 'list.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('kube/yaml-not-a-mapping');
    expect(r.error.message).toMatch(/^list\.yaml:3:1: document 2 is not a mapping \(found a sequence\)/);
    const empty = parseYamlDocuments('---\n# nothing\n---\n', 'empty.yaml');
    expect(empty.ok && empty.value.length).toBe(0);
  });

  it('resolves scalars as kubectl does (YAML 1.1 booleans, timestamps stay strings)', () => {
    const r = parseYamlDocuments('a: on\nb: yes\nc: 2001-12-14\nd: 1:20\ne: "true"\nf: 010\n', 'x.yaml');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value[0]?.object).toEqual({ a: true, b: true, c: '2001-12-14', d: '1:20', e: 'true', f: 8 });
  });
});

describe('field paths and locations', () => {
  it('splits and joins kube field paths', () => {
    expect(splitFieldPath('spec.containers[0].image')).toEqual(['spec', 'containers', 0, 'image']);
    expect(splitFieldPath("metadata.labels['a.b/c']")).toEqual(['metadata', 'labels', 'a.b/c']);
    expect(joinFieldPath(['spec', 'federatesWith', 2, 'trustDomain'])).toBe('spec.federatesWith[2].trustDomain');
  });

  it('formats user-facing locations', () => {
    expect(formatLocation('west/spire.yaml', 42, 'SpireServer/cluster', 'spec.persistence', 'unknown field')).toBe(
      'west/spire.yaml:42: SpireServer/cluster: spec.persistence: unknown field',
    );
    expect(formatLocation('f.yaml', undefined, 'Pod/web')).toBe('f.yaml: Pod/web');
  });
});

describe('parseYamlDocuments cache', () => {
  it('gives every caller its own objects for the same text, with the same positions', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "1"\n';
    const a = parseYamlDocuments(text, 'cm.yaml');
    const b = parseYamlDocuments(text, 'cm.yaml');
    if (!a.ok || !b.ok) throw new Error('parse failed');
    expect(b.value[0]!.object).toEqual(a.value[0]!.object);
    expect(b.value[0]!.object).not.toBe(a.value[0]!.object);
    (a.value[0]!.object.data as Record<string, string>).a = 'changed';
    expect((b.value[0]!.object.data as Record<string, string>).a).toBe('1');
    expect(b.value[0]!.positionOf('data.a')).toEqual(a.value[0]!.positionOf('data.a'));
    // The file name is part of the key: errors and positions name the right file.
    const bad = parseYamlDocuments('a: [1', 'one.yaml');
    const bad2 = parseYamlDocuments('a: [1', 'two.yaml');
    expect(!bad.ok && bad.error.message.startsWith('one.yaml:')).toBe(true);
    expect(!bad2.ok && bad2.error.message.startsWith('two.yaml:')).toBe(true);
  });
});
