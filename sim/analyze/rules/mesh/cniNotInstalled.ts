/**
 * M11: with `values.pilot.cni.enabled` the injector adds `istio-validation` instead of `istio-init` and relies on
 * the istio-cni-node DaemonSet to program each pod's redirection; without the CNI component the validation
 * init container fails and pods stay in Init (Init:CrashLoopBackOff). Sail on OpenShift always expects an
 * `IstioCNI` resource.
 */
import type { Finding, Rule } from '../../types.ts';
import { describe, finding, installs, kindOf, nameOf, obj, specOf } from './facts.ts';

export const cniNotInstalled: Rule = {
  code: 'FL0115',
  severity: 'error',
  title: 'Istio CNI expected by the injector but not installed (pods stuck in Init)',
  refs: ['M11'],
  check(input) {
    const out: Finding[] = [];
    for (const c of input.clusters) {
      const cniPresent = c.objects.some((o) => kindOf(o) === 'IstioCNI' || (kindOf(o) === 'DaemonSet' && /istio-cni/.test(nameOf(o))) || (kindOf(o) === 'IstioOperator' && obj(obj(specOf(o).components).cni).enabled === true));
      if (cniPresent) continue;
      for (const o of installs(c)) {
        const values = obj(specOf(o).values);
        const sail = kindOf(o) === 'Istio';
        const byValue = obj(values.pilot).cni !== undefined ? obj(obj(values.pilot).cni).enabled === true : obj(values.istio_cni).enabled === true;
        const expects = byValue || (sail && c.platform === 'openshift');
        if (!expects) continue;
        const field = byValue ? (obj(values.pilot).cni !== undefined ? 'spec.values.pilot.cni.enabled' : 'spec.values.istio_cni.enabled') : 'spec';
        out.push(finding(cniNotInstalled, o, field,
          `${describe(o)} ${byValue ? 'enables the CNI mode' : 'runs on OpenShift, where Sail installs istiod for Istio CNI'}, so injected pods get the istio-validation init container instead of istio-init, but cluster ${c.name} has no Istio CNI (no ${sail ? 'IstioCNI resource' : 'components.cni.enabled / istio-cni-node DaemonSet'}): nothing programs the pods' traffic redirection, istio-validation fails and the pods stay in Init. Install the CNI component (${sail ? 'an IstioCNI resource' : 'components.cni.enabled: true, or the istio-cni Helm chart'}).`));
      }
    }
    return out;
  },
};
