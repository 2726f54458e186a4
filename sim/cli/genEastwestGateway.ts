/**
 * `samples/multicluster/gen-eastwest-gateway.sh` as shipped with an Istio release: prints the IstioOperator
 * of the east-west gateway (or, with `--ambient`, a Gateway API gateway) exactly as the script's heredocs do.
 *
 * Version differences (istio:samples/multicluster/gen-eastwest-gateway.sh at the tags):
 * - < 1.27: no `--ambient` (`Error: Unsupported flag --ambient`);
 * - 1.27–1.28: `--ambient` prints `gateway.networking.k8s.io/v1beta1`; 1.29+: `gateway.networking.k8s.io/v1`.
 * The script runs under `set -euo pipefail`: `--network` without a value fails on `$2: unbound variable`,
 * `--ambient --single-cluster` without `--network` on `NETWORK: unbound variable`; "Must specify…" goes to
 * stdout (plain `echo`), "Error: Unsupported flag" to stderr.
 * Simplified: a bare word (not a flag) makes the real script loop forever (nothing shifts it); the lab
 * stops with an explanation instead.
 */
import { atLeast, type IstioVersion } from '../istiod/install/versions.ts';
import { done, fail, type Program } from './shell/program.ts';

export function makeGenEastwestGateway(version: IstioVersion): Program {
  return (argv) => {
    const script = argv[0] ?? 'gen-eastwest-gateway.sh';
    let single = false;
    let ambient = false;
    let revision = '';
    let network: string | undefined;
    const args = argv.slice(1);
    for (let i = 0; i < args.length; ) {
      const a = args[i]!;
      const needValue = (): string | undefined => args[i + 1];
      if (a === '--single-cluster') {
        single = true;
        i += 1;
      } else if (a === '--cluster' || a === '--mesh') i += 2;
      else if (a === '--network' || a === '--revision') {
        const v = needValue();
        if (v === undefined) return fail(`${script}: line ${a === '--network' ? 34 : 42}: $2: unbound variable`);
        if (a === '--network') network = v;
        else revision = v;
        i += 2;
      } else if (a === '--ambient' && atLeast(version, '1.27')) {
        ambient = true;
        i += 1;
      } else if (a.startsWith('-')) return fail(`Error: Unsupported flag ${a}`);
      else return fail(`${script}: "${a}" is not a flag; the real script never shifts it and loops forever (fedlab stops here)`, 1);
    }
    if (!single && (network === undefined || network === '')) return done('Must specify either --single-cluster or --network.\n', '', 1);
    if (ambient) {
      if (network === undefined) return fail(`${script}: line 69: NETWORK: unbound variable`);
      if (network === '') return done('Must specify --network with --ambient.\n', '', 1);
      const apiVersion = atLeast(version, '1.29') ? 'gateway.networking.k8s.io/v1' : 'gateway.networking.k8s.io/v1beta1';
      return done(
        [
          `apiVersion: ${apiVersion}`,
          'kind: Gateway',
          'metadata:',
          '  name: istio-eastwestgateway',
          '  namespace: istio-system',
          '  labels:',
          `    topology.istio.io/network: "${network}"`,
          'spec:',
          '  gatewayClassName: "istio-east-west"',
          '  listeners:',
          '    - name: mesh',
          '      port: 15008',
          '      protocol: HBONE',
          '      tls:',
          '        mode: Terminate',
          '        options:',
          '          gateway.istio.io/tls-terminate-mode: ISTIO_MUTUAL',
          '',
        ].join('\n'),
      );
    }
    const lines = [
      'apiVersion: install.istio.io/v1alpha1',
      'kind: IstioOperator',
      'metadata:',
      '  name: eastwest',
      'spec:',
      `  revision: "${revision}"`,
      '  profile: empty',
      '  components:',
      '    ingressGateways:',
      '      - name: istio-eastwestgateway',
      '        label:',
      '          istio: eastwestgateway',
      '          app: istio-eastwestgateway',
    ];
    if (!single) lines.push(`          topology.istio.io/network: ${network}`);
    lines.push('        enabled: true', '        k8s:');
    if (!single) lines.push('          env:', '            # traffic through this gateway should be routed inside the network', '            - name: ISTIO_META_REQUESTED_NETWORK_VIEW', `              value: ${network}`);
    lines.push(
      '          service:',
      '            ports:',
      '              - name: status-port',
      '                port: 15021',
      '                targetPort: 15021',
      '              - name: tls',
      '                port: 15443',
      '                targetPort: 15443',
      '              - name: tls-istiod',
      '                port: 15012',
      '                targetPort: 15012',
      '              - name: tls-webhook',
      '                port: 15017',
      '                targetPort: 15017',
      '  values:',
      '    gateways:',
      '      istio-ingressgateway:',
      '        injectionTemplate: gateway',
    );
    if (!single) lines.push('    global:', `      network: ${network}`);
    return done(`${lines.join('\n')}\n`);
  };
}
