/**
 * Custom injection templates (`sidecarInjectorWebhook.templates.<name>`), such as the SPIRE ones of
 * istio: samples/security/spire-trust-domain-federation/istio.tmpl and samples/security/spire/
 * istio-spire-config.yaml. Upstream renders them with Go text/template + sprig before the strategic merge
 * (pkg/kube/inject/inject.go `RunTemplate`); the lab accepts only templates without actions (`{{ … }}`),
 * which is what the SPIRE samples are, and refuses the others clearly.
 * Simplified: the YAML is parsed with the lab's YAML reader, which refuses duplicate keys (Go's
 * sigs.k8s.io/yaml keeps the last one).
 */
import { err, ok, simError, type Result, type SimError } from '../../core/result.ts';
import { isPlainObject } from '../../kube/object.ts';
import { parseYamlDocuments } from '../../kube/yaml.ts';

export type CustomTemplateError = SimError<'istiod/inject-template-unsupported' | 'istiod/inject-template-invalid'>;

export function parseCustomTemplate(name: string, text: string): Result<Record<string, unknown>, CustomTemplateError> {
  if (text.includes('{{'))
    return err(
      simError('istiod/inject-template-unsupported', `template "${name}" uses Go template actions ({{ … }}), which the lab does not render; write it as plain YAML`, { template: name }),
    );
  const docs = parseYamlDocuments(text, `template ${name}`);
  if (!docs.ok) return err(simError('istiod/inject-template-invalid', `failed parsing generated injected YAML (check Istio sidecar injector configuration): ${docs.error.message}`, { template: name }, docs.error));
  const first = docs.value[0];
  if (first === undefined) return ok({});
  if (!isPlainObject(first.object)) return err(simError('istiod/inject-template-invalid', `template "${name}" is not a mapping`, { template: name }));
  return ok(first.object);
}
