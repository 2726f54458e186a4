/**
 * G19: Sail's `Istio` and `IstioCNI` install into `spec.namespace` (default `istio-system`, `istio-cni`), but
 * the operator does not create it: without a Namespace of that name the CR reports `Reconciled=False
 * ReconcileError: namespace "istio-system" doesn't exist` and nothing is installed — no istiod, no injection
 * webhook, pods start without sidecars (upstream sail-operator pkg/validation/validation.go
 * ValidateTargetNamespace; engine: sim/istiod/install/sail.ts). Checked against the Namespaces the cluster's
 * manifests (and a scenario's `create namespace` steps) define.
 */
import type { Finding, Rule } from '../../types.ts';
import { describe, finding, kindOf, nameOf, ofKind, specOf, str } from './facts.ts';

const SAIL_GROUP = 'sailoperator.io';
const DEFAULT_NAMESPACE: Readonly<Record<string, string>> = { Istio: 'istio-system', IstioCNI: 'istio-cni' };

export const sailTargetNamespace: Rule = {
  code: 'FL0122',
  severity: 'error',
  title: 'Sail Istio/IstioCNI installs into a namespace nobody creates (ReconcileError: namespace doesn\'t exist)',
  refs: ['G19'],
  check(input) {
    const out: Finding[] = [];
    for (const c of input.clusters) {
      const namespaces = new Set(ofKind(c, 'Namespace').map(nameOf));
      for (const kind of ['Istio', 'IstioCNI']) {
        for (const cr of ofKind(c, kind, SAIL_GROUP)) {
          if (cr.partial) continue;
          const spec = specOf(cr);
          const target = str(spec.namespace) ?? DEFAULT_NAMESPACE[kind]!;
          if (namespaces.has(target)) continue;
          out.push(finding(sailTargetNamespace, cr, spec.namespace === undefined ? 'spec' : 'spec.namespace',
            `${describe(cr)} installs into namespace ${target}${spec.namespace === undefined ? ' (the default)' : ''}, which no manifest of cluster ${c.name} creates: the Sail operator does not create it, so the ${kindOf(cr)} reports Reconciled=False ReconcileError: namespace "${target}" doesn't exist and installs nothing (${kind === 'Istio' ? 'no istiod, no injection webhook: pods start without sidecars' : 'no istio-cni-node DaemonSet: injected pods wait for the CNI'}). Create the Namespace ${target} before the ${kindOf(cr)} (kubectl create namespace ${target}).`));
        }
      }
    }
    return out;
  },
};
