// gen-eastwest-gateway.sh held to the output of the real script (bash, istio tags 1.27.0 and 1.29.0):
// the expected texts below were produced by running upstream samples/multicluster/gen-eastwest-gateway.sh.
import { describe, expect, it } from 'vitest';
import { makeGenEastwestGateway } from '../../../sim/cli/genEastwestGateway.ts';
import { VirtualFs } from '../../../sim/cli/shell/fs.ts';
import { parseIstioVersion } from '../../../sim/istiod/install/versions.ts';

const v = (s: string) => {
  const r = parseIstioVersion(s);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const io = { stdin: '', env: {}, cwd: '/', fs: new VirtualFs() };
const run = (version: string, ...args: string[]) => makeGenEastwestGateway(v(version))(['samples/multicluster/gen-eastwest-gateway.sh', ...args], io) as { stdout: string; stderr: string; exitCode: number };

// bash gen-eastwest-gateway.sh --network west-network (1.27.0)
const NETWORK = "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata:\n  name: eastwest\nspec:\n  revision: \"\"\n  profile: empty\n  components:\n    ingressGateways:\n      - name: istio-eastwestgateway\n        label:\n          istio: eastwestgateway\n          app: istio-eastwestgateway\n          topology.istio.io/network: west-network\n        enabled: true\n        k8s:\n          env:\n            # traffic through this gateway should be routed inside the network\n            - name: ISTIO_META_REQUESTED_NETWORK_VIEW\n              value: west-network\n          service:\n            ports:\n              - name: status-port\n                port: 15021\n                targetPort: 15021\n              - name: tls\n                port: 15443\n                targetPort: 15443\n              - name: tls-istiod\n                port: 15012\n                targetPort: 15012\n              - name: tls-webhook\n                port: 15017\n                targetPort: 15017\n  values:\n    gateways:\n      istio-ingressgateway:\n        injectionTemplate: gateway\n    global:\n      network: west-network\n";
// bash gen-eastwest-gateway.sh --single-cluster --revision canary (1.27.0)
const SINGLE = "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata:\n  name: eastwest\nspec:\n  revision: \"canary\"\n  profile: empty\n  components:\n    ingressGateways:\n      - name: istio-eastwestgateway\n        label:\n          istio: eastwestgateway\n          app: istio-eastwestgateway\n        enabled: true\n        k8s:\n          service:\n            ports:\n              - name: status-port\n                port: 15021\n                targetPort: 15021\n              - name: tls\n                port: 15443\n                targetPort: 15443\n              - name: tls-istiod\n                port: 15012\n                targetPort: 15012\n              - name: tls-webhook\n                port: 15017\n                targetPort: 15017\n  values:\n    gateways:\n      istio-ingressgateway:\n        injectionTemplate: gateway\n";
// bash gen-eastwest-gateway.sh --network n1 --ambient (1.29.0)
const AMBIENT = "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: istio-eastwestgateway\n  namespace: istio-system\n  labels:\n    topology.istio.io/network: \"n1\"\nspec:\n  gatewayClassName: \"istio-east-west\"\n  listeners:\n    - name: mesh\n      port: 15008\n      protocol: HBONE\n      tls:\n        mode: Terminate\n        options:\n          gateway.istio.io/tls-terminate-mode: ISTIO_MUTUAL\n";

describe('gen-eastwest-gateway.sh', () => {
  it('prints the upstream IstioOperator byte for byte (seed 004: --network west-network)', () => {
    expect(run('1.27.0', '--network', 'west-network')).toEqual({ stdout: NETWORK, stderr: '', exitCode: 0 });
    expect(run('1.24.3', '--network', 'west-network').stdout).toBe(NETWORK);
  });

  it('--single-cluster leaves out the network parts; --revision fills spec.revision', () => {
    expect(run('1.27.0', '--single-cluster', '--revision', 'canary').stdout).toBe(SINGLE);
  });

  it('--ambient prints the Gateway API east-west gateway (v1 from 1.29, v1beta1 before, unknown before 1.27)', () => {
    expect(run('1.29.0', '--network', 'n1', '--ambient').stdout).toBe(AMBIENT);
    expect(run('1.27.0', '--network', 'n1', '--ambient').stdout).toBe(AMBIENT.replace('gateway.networking.k8s.io/v1\n', 'gateway.networking.k8s.io/v1beta1\n'));
    expect(run('1.24.3', '--network', 'n1', '--ambient')).toMatchObject({ stderr: 'Error: Unsupported flag --ambient\n', exitCode: 1 });
  });

  it('fails as the script does without --network', () => {
    expect(run('1.27.0')).toEqual({ stdout: 'Must specify either --single-cluster or --network.\n', stderr: '', exitCode: 1 });
    expect(run('1.27.0', '--network').stderr).toContain('$2: unbound variable');
    expect(run('1.27.0', '--bogus')).toMatchObject({ stderr: 'Error: Unsupported flag --bogus\n', exitCode: 1 });
  });
});
