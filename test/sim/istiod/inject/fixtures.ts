/** Shared inputs of the injector tests: upstream's golden files (copied from istio master 86c9f01
 * pkg/kube/inject/testdata/inject) and the configuration upstream's TestInjection runs them with. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseYamlDocuments } from '../../../../sim/kube/yaml.ts';
import type { InjectContext, InjectionConfig, PodLike } from '../../../../sim/istiod/inject/index.ts';

type Obj = Record<string, unknown>;

export function loadYaml(file: string): Obj {
  const text = readFileSync(join(import.meta.dirname, 'testdata', file), 'utf8');
  const r = parseYamlDocuments(text, file);
  if (!r.ok) throw new Error(r.error.message);
  const first = r.value[0];
  if (first === undefined) throw new Error(`${file}: empty`);
  return first.object;
}

/** The Deployment's `spec.template` (what kube-inject hands the injector). */
export function podTemplateOf(file: string): PodLike {
  const spec = loadYaml(file).spec as Obj;
  return structuredClone(spec.template) as PodLike;
}

/** spire-template.iop.yaml's `spec.values` (the custom `spire` template). */
export function iopValues(): Obj {
  return (loadYaml('spire-template.iop.yaml').spec as Obj).values as Obj;
}

export function spireConfig(over: Partial<InjectionConfig> = {}): InjectionConfig {
  const values = iopValues();
  const templates = ((values.sidecarInjectorWebhook as Obj).templates ?? {}) as Record<string, string>;
  return { istioVersion: 'master', templates, values, meshConfig: {}, nativeSidecars: 'auto', ...over };
}

/** TestInjection's nodes: kubelet v1.33.0 and v1.34.0, so `auto` gives native sidecars. */
export const GOLDEN_NODES = [
  { name: 'node-1', kubeletVersion: 'v1.33.0' },
  { name: 'node-2', kubeletVersion: 'v1.34.0' },
];
export const OLD_NODES = [
  { name: 'node-1', kubeletVersion: 'v1.32.4' },
  { name: 'node-2', kubeletVersion: 'v1.34.0' },
];

/** kube-inject of a Deployment named `name` with no namespace (IntoObject: owner namespace "", revision ""). */
export function kubeInjectContext(name: string, config: InjectionConfig, nodes = GOLDEN_NODES): InjectContext {
  return { config, namespace: '', nodes, owner: { name, namespace: '', apiVersion: 'apps/v1', kind: 'Deployment' } };
}
