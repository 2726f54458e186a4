/**
 * FL0009 — a ClusterSPIFFEID whose podSelector matches workloads that its namespaceSelector leaves out:
 * spire-controller-manager selects namespaces first, then pods inside them, so no entry is created and
 * the pods get no identity (or only a fallback one) (S09). `kubernetes.io/metadata.name` always equals
 * the namespace's name.
 */
import type { Rule } from '../../types.ts';
import { controllerClass, finding, get, isObj, nameOf, objects, perCluster, reconciles, selectedWorkloads, str, workloads } from '../util.ts';
import { labelSelectorMatches, type LabelSelector } from '../../../kube/selector.ts';

const hasTerms = (s: unknown): boolean => isObj(s) && ((isObj(s.matchLabels) && Object.keys(s.matchLabels).length > 0) || (Array.isArray(s.matchExpressions) && s.matchExpressions.length > 0));

export const namespaceSelectorMisses: Rule = {
  code: 'FL0009',
  severity: 'error',
  title: 'ClusterSPIFFEID namespaceSelector leaves out the namespace of the pods it selects',
  refs: ['S09'],
  check: perCluster((c) => {
    const cc = controllerClass(c);
    const ws = workloads(c);
    return objects(c, 'ClusterSPIFFEID').flatMap((o) => {
      if (o.partial || (cc && !reconciles(cc, str(get(o.object, 'spec.className')) ?? ''))) return [];
      const podSel = get(o.object, 'spec.podSelector');
      if (!hasTerms(podSel) || !hasTerms(get(o.object, 'spec.namespaceSelector'))) return [];
      if (selectedWorkloads(c, o, ws).length > 0) return [];
      const byLabel = ws.filter((w) => labelSelectorMatches(podSel as LabelSelector, w.labels));
      if (byLabel.length === 0) return [];
      const nss = [...new Set(byLabel.map((w) => w.namespace))];
      const field = isObj(get(o.object, 'spec.namespaceSelector.matchLabels')) && 'kubernetes.io/metadata.name' in (get(o.object, 'spec.namespaceSelector.matchLabels') as object) ? 'spec.namespaceSelector.matchLabels[kubernetes.io/metadata.name]' : 'spec.namespaceSelector';
      return [finding(namespaceSelectorMisses, o, field, `ClusterSPIFFEID ${JSON.stringify(nameOf(o))}: its podSelector matches ${byLabel.map((w) => `${w.object.object.kind}/${w.namespace}/${nameOf(w.object)}`).join(', ')}, but its namespaceSelector does not select namespace ${nss.join(', ')}: the controller manager selects namespaces first, so it creates no entry and those pods get no SVID from it (spiffe-helper: "no identity issued"). Select namespace ${nss[0]} (kubernetes.io/metadata.name: ${nss[0]})`)];
    });
  }),
};
