import { describe, expect, it } from 'vitest';
import { createCrdRegistry } from '../../../sim/kube/crds/registry.ts';
import { checkManifestDocuments } from '../../../sim/kube/manifestCheck.ts';
import { createValidator } from '../../../sim/kube/schema/validator.ts';
import { parseYamlDocuments } from '../../../sim/kube/yaml.ts';

const validator = createValidator({ registry: createCrdRegistry({ platform: 'kubernetes', ztwim: false, spireCrds: true, istio: '1.27', gatewayApi: 'standard' }), platform: 'kubernetes' });
const check = (text: string): string[] => {
  const docs = parseYamlDocuments(text, 'f.yaml');
  if (!docs.ok) throw new Error(docs.error.message);
  return checkManifestDocuments(docs.value, validator).map((p) => p.message);
};

describe('checkManifestDocuments', () => {
  it('locates kubectl, decoding, schema and pod-spec problems at their lines', () => {
    expect(check('kind: ConfigMap\nmetadata: { name: a }\n')).toEqual(['f.yaml:1: ConfigMap/a: apiVersion: apiVersion not set']);
    expect(check('apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\n')).toEqual(['f.yaml:2: Widget/w: kind: no matches for kind "Widget" in version "example.com/v1" (ensure CRDs are installed first)']);
    expect(check('apiVersion: spire.spiffe.io/v1alpha1\nkind: ClusterSPIFFEID\nmetadata:\n  name: x\nspec:\n  spiffeIDTemplate: a\n  podSelector: all\n')).toEqual([
      'f.yaml:7: ClusterSPIFFEID/x: spec.podSelector: Invalid value: "string": spec.podSelector in body must be of type object: "string"',
    ]);
    expect(check('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: { a: [1] }\n')[0]).toMatch(/^f\.yaml:5: ConfigMap\/c: metadata\.labels: json: cannot unmarshal/);
    expect(check('apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - name: a\n')).toEqual(['f.yaml:6: Pod/p: spec.containers[0].image: Required value']);
  });

  it("accepts a StatefulSet's mounts of its volumeClaimTemplates", () => {
    const sts = `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: s }
spec:
  selector: { matchLabels: { app: s } }
  serviceName: s
  template:
    metadata: { labels: { app: s } }
    spec:
      containers:
        - { name: a, image: b, volumeMounts: [{ name: data, mountPath: /d }] }
  volumeClaimTemplates:
    - metadata: { name: data }
`;
    expect(check(sts)).toEqual([]);
    expect(check(sts.replace('name: data, mountPath', 'name: other, mountPath'))).toEqual(['f.yaml:11: StatefulSet/s: spec.template.spec.containers[0].volumeMounts[0].name: Not found: "other"']);
  });
});
