import { describe, expect, it } from 'vitest';
import { parseControllerManagerConfig, resolveControllerManagerConfig } from '../../../../sim/spire/controllerManager/config.ts';
import { isNamespaceIgnored } from '../../../../sim/spire/controllerManager/config.ts';
import { must } from './harness.ts';

// ztwim:pkg/controller/spire-server/configmap.go generateControllerManagerConfig, as rendered
const ZTWIM = `apiVersion: spire.spiffe.io/v1alpha1
kind: ControllerManagerConfig
metadata:
  name: spire-controller-manager
metrics:
  bindAddress: 0.0.0.0:8082
health:
  healthProbeBindAddress: 0.0.0.0:8083
entryIDPrefix: east
watchClassless: false
className: zero-trust-workload-identity-manager-spire
parentIDTemplate: spiffe://{{ .TrustDomain }}/spire/agent/k8s_psat/{{ .ClusterName }}/{{ .NodeMeta.UID }}
clusterName: east
trustDomain: east.local
reconcile:
  clusterSPIFFEIDs: true
  clusterFederatedTrustDomains: true
  clusterStaticEntries: true
validatingWebhookConfigurationName: spire-controller-manager-webhook
spireServerSocketPath: /tmp/spire-server/private/api.sock
ignoreNamespaces:
  - kube-system
  - kube-public
  - local-path-storage
  - openshift-*
`;

describe('ControllerManagerConfig', () => {
  it('reads ZTWIM’s rendering: class, prefix with a dot, unanchored ignore regexes', () => {
    const c = must(parseControllerManagerConfig(ZTWIM, { detectedClusterDomain: 'cluster.local' }));
    expect(c).toMatchObject({ className: 'zero-trust-workload-identity-manager-spire', watchClassless: false, entryIdPrefix: 'east.', gcIntervalMs: 10_000, clusterDomain: 'cluster.local' });
    expect(isNamespaceIgnored(c, 'openshift-monitoring')).toBe(true);
    expect(isNamespaceIgnored(c, 'my-openshift-app')).toBe(true); // `openshift-*` matches "openshift" anywhere
    expect(isNamespaceIgnored(c, 'shop')).toBe(false);
  });

  it('defaults: spire-system ignored (as a regex), every reconciler on, 10 s GC', () => {
    const c = must(resolveControllerManagerConfig({ trustDomain: 'td', clusterName: 'c' }));
    expect(c.ignoreNamespaces).toEqual(['kube-system', 'kube-public', 'spire-system']);
    expect(isNamespaceIgnored(c, 'my-spire-system-x')).toBe(true);
    expect(c.reconcile).toEqual({ clusterSPIFFEIDs: true, clusterFederatedTrustDomains: true, clusterStaticEntries: true });
    expect(c.className).toBe('');
    // without a config file the regexes are never compiled: nothing is ignored
    expect(isNamespaceIgnored(must(resolveControllerManagerConfig({ trustDomain: 'td', clusterName: 'c' }, { fromFile: false })), 'kube-system')).toBe(false);
  });

  it('a partial reconcile block turns the others off; gcInterval is nanoseconds', () => {
    const c = must(resolveControllerManagerConfig({ trustDomain: 'td', clusterName: 'c', reconcile: { clusterFederatedTrustDomains: true }, gcInterval: 30_000_000_000 }));
    expect(c.reconcile).toEqual({ clusterSPIFFEIDs: false, clusterFederatedTrustDomains: true, clusterStaticEntries: false });
    expect(c.gcIntervalMs).toBe(30_000);
  });

  it('start-up errors with upstream wording', () => {
    const msg = (input: Record<string, unknown>) => {
      const r = resolveControllerManagerConfig(input);
      return r.ok ? 'ok' : r.error.message;
    };
    expect(msg({ clusterName: 'c' })).toBe('trust domain is required configuration');
    expect(msg({ trustDomain: 'td' })).toBe('cluster name is required configuration');
    expect(msg({ trustDomain: 'td', clusterName: 'c', gcInterval: '10s' })).toBe(
      'unable to load the config file: could not decode file into runtime.Object: json: cannot unmarshal string into Go struct field ControllerManagerConfig.gcInterval of type time.Duration',
    );
    expect(msg({ trustDomain: 'td', clusterName: 'c', entryIDPrefix: 'east', entryIDPrefixCleanup: 'east.' })).toBe('if entryIDPrefixCleanup is specified, it can not be the same value as entryIDPrefix');
    expect(msg({ trustDomain: 'td', clusterName: 'c', parentIDTemplate: 'spiffe://{{ .TrustDomain' })).toBe(
      'unable to parse parent ID template: template: customParentIDTemplate:1: unclosed action',
    );
    expect(msg({ trustDomain: 'TD', clusterName: 'c' })).toBe('trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores');
  });
});
