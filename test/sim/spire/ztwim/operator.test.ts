import { describe, expect, it } from 'vitest';
import { World } from '../../../../sim/world/world.ts';
import type { ClusterSpec } from '../../../../sim/world/spec.ts';
import { startZtwimOperator, type ZtwimOperator } from '../../../../sim/spire/ztwim/index.ts';
import { parseServerConfig } from '../../../../sim/spire/server/index.ts';
import { parseAgentConfig } from '../../../../sim/spire/agent/index.ts';
import { parseControllerManagerConfig } from '../../../../sim/spire/controllerManager/index.ts';
import type { KubeObject } from '../../../../sim/kube/object.ts';

const NS = 'zero-trust-workload-identity-manager';
const TD = 'apps.west.example.com';

const spec = (ztwim: '1.0' | '0.2' = '1.0'): ClusterSpec => ({
  name: 'west',
  trustDomain: TD,
  platform: 'openshift',
  profile: 'ztwim',
  versions: { kubernetes: '1.33', ztwim },
  nodes: [{ name: 'west-node-1' }],
  podCIDR: '10.10.0.0/16',
  serviceCIDR: '172.20.0.0/16',
  manifests: [],
});

const NAMESPACE = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NS}\n`;
const ZTWIM = `apiVersion: operator.openshift.io/v1alpha1
kind: ZeroTrustWorkloadIdentityManager
metadata:
  name: cluster
spec:
  trustDomain: ${TD}
  clusterName: west
`;
const SERVER = `apiVersion: operator.openshift.io/v1alpha1
kind: SpireServer
metadata:
  name: cluster
spec:
  caSubject:
    commonName: ${TD}
    country: "US"
    organization: "RH"
  persistence:
    size: "1Gi"
    accessMode: ReadWriteOncePod
  datastore:
    databaseType: sqlite3
    connectionString: "/run/spire/data/datastore.sqlite3"
    maxOpenConns: 100
    maxIdleConns: 2
    connMaxLifetime: 3600
  jwtIssuer: https://oidc-discovery.${TD}
`;
const AGENT = `apiVersion: operator.openshift.io/v1alpha1
kind: SpireAgent
metadata:
  name: cluster
spec:
  nodeAttestor:
    k8sPSATEnabled: "true"
  workloadAttestors:
    k8sEnabled: "true"
    workloadAttestorsVerification:
      type: "auto"
`;
const CSI = `apiVersion: operator.openshift.io/v1alpha1\nkind: SpiffeCSIDriver\nmetadata:\n  name: cluster\nspec: {}\n`;
const OIDC = `apiVersion: operator.openshift.io/v1alpha1\nkind: SpireOIDCDiscoveryProvider\nmetadata:\n  name: cluster\nspec:\n  jwtIssuer: https://oidc-discovery.${TD}\n`;
const FEDERATION = JSON.stringify({
  spec: {
    federation: {
      bundleEndpoint: { profile: 'https_spiffe' },
      managedRoute: 'true',
      federatesWith: [{ trustDomain: 'apps.east.example.com', bundleEndpointUrl: 'https://federation.apps.east.example.com', bundleEndpointProfile: 'https_spiffe', endpointSpiffeId: 'spiffe://apps.east.example.com/spire/server' }],
    },
  },
});

async function setup(opts: { env?: Record<string, string>; version?: '1.0' | '0.2'; manifests?: string[] } = {}) {
  const version = opts.version ?? '1.0';
  const world = await World.create([spec(version)], { seed: 7, start: Date.UTC(2026, 0, 15, 9), crypto: globalThis.crypto });
  const cluster = world.cluster('west')!;
  const logs: string[] = [];
  const op: ZtwimOperator = startZtwimOperator({ store: cluster.store, namespace: NS, version, env: opts.env ?? {}, clock: world.clock, rng: world.rng.fork('ztwim'), events: world.events, log: (l) => logs.push(l) });
  const apply = (yaml: string) => {
    const r = cluster.apply(yaml, 'cr.yaml');
    if (!r.ok) throw new Error(r.error.message);
    if (r.value.errors) throw new Error(r.value.errors);
    return r.value;
  };
  apply(NAMESPACE);
  for (const m of opts.manifests ?? [ZTWIM, SERVER, AGENT, CSI]) apply(m);
  const get = (kind: string, name: string, ns: string | undefined = NS): KubeObject | undefined => {
    const apiVersion = kind === 'Route' ? 'route.openshift.io/v1' : kind === 'ClusterSPIFFEID' ? 'spire.spiffe.io/v1alpha1' : ['StatefulSet', 'DaemonSet', 'Deployment'].includes(kind) ? 'apps/v1' : 'v1';
    return cluster.store.find({ apiVersion, kind }, ns, name);
  };
  const cr = (kind: string) => cluster.store.find({ apiVersion: 'operator.openshift.io/v1alpha1', kind }, undefined, 'cluster')!;
  const condition = (kind: string, type: string) => ((cr(kind).status as { conditions?: { type: string; status: string; reason: string; message: string }[] }).conditions ?? []).find((c) => c.type === type);
  return { world, cluster, op, apply, get, cr, condition, logs };
}

const data = (o: KubeObject | undefined, key: string) => (o?.data as Record<string, string>)[key]!;

describe('ZTWIM operator: rendered configuration', () => {
  it('writes server.conf as the operator marshals it (sorted JSON, 2-space indent) and SPIRE accepts it', async () => {
    const { get } = await setup();
    const conf = data(get('ConfigMap', 'spire-server'), 'server.conf');
    expect(conf.split('\n').slice(0, 8)).toEqual(['{', '  "health_checks": {', '    "bind_address": "0.0.0.0",', '    "bind_port": "8080",', '    "listener_enabled": true,', '    "live_path": "/live",', '    "ready_path": "/ready"', '  },']);
    const doc = JSON.parse(conf);
    expect(doc.server).toEqual({
      audit_log_enabled: false,
      bind_address: '0.0.0.0',
      bind_port: '8081',
      ca_key_type: 'rsa-2048',
      ca_subject: [{ common_name: TD, country: ['US'], organization: ['RH'] }],
      ca_ttl: '24h',
      data_dir: '/run/spire/data',
      default_jwt_svid_ttl: '5m',
      default_x509_svid_ttl: '1h',
      jwt_issuer: `https://oidc-discovery.${TD}`,
      log_format: 'text',
      log_level: 'info',
      trust_domain: TD,
    });
    expect(doc.plugins.DataStore[0].sql.plugin_data).toEqual({ connection_string: '/run/spire/data/datastore.sqlite3', database_type: 'sqlite3', max_open_conns: 100, max_idle_conns: 2, disable_migration: false, conn_max_lifetime: '3600s' });
    expect(doc.plugins.NodeAttestor[0].k8s_psat.plugin_data.clusters).toEqual([{ west: { allowed_node_label_keys: [], allowed_pod_label_keys: [], audience: ['spire-server'], service_account_allow_list: [`${NS}:spire-agent`] } }]);
    expect(doc.plugins.Notifier[0].k8sbundle.plugin_data).toEqual({ config_map: 'spire-bundle', namespace: NS });
    expect(doc.telemetry).toEqual({ Prometheus: { host: '0.0.0.0', port: '9402' } });
    const parsed = parseServerConfig(conf);
    expect(parsed.ok && parsed.value.config.socketPath).toBe('/tmp/spire-server/private/api.sock');
    expect(parsed.ok && parsed.value.config.caKeyType).toMatch(/rsa/i);
  });

  it('writes agent.conf without an sds block and with the spire-agent.sock socket; SPIRE agent accepts it', async () => {
    const { get } = await setup();
    const conf = data(get('ConfigMap', 'spire-agent'), 'agent.conf');
    const doc = JSON.parse(conf);
    expect(doc.agent).toEqual({
      data_dir: '/var/lib/spire',
      log_format: 'text',
      log_level: 'info',
      retry_bootstrap: true,
      server_address: `spire-server.${NS}`,
      server_port: '443',
      socket_path: '/tmp/spire-agent/public/spire-agent.sock',
      trust_bundle_path: '/run/spire/bundle/bundle.crt',
      trust_domain: TD,
    });
    expect(doc.health_checks.bind_port).toBe(9982);
    expect(doc.plugins.KeyManager).toEqual([{ memory: { plugin_data: null } }]);
    expect(doc.plugins.WorkloadAttestor[0].k8s.plugin_data).toEqual({ disable_container_selectors: false, node_name_env: 'MY_NODE_NAME', use_new_container_locator: true, verbose_container_locator_logs: false, skip_kubelet_verification: false, kubelet_ca_path: '/etc/kubernetes/kubelet-ca.crt' });
    const parsed = parseAgentConfig(conf, '/opt/spire/conf/agent/agent.conf');
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.value.config.socketPath).toBe('/tmp/spire-agent/public/spire-agent.sock');
      expect(parsed.value.config.sds).toMatchObject({ defaultSvidName: 'default', defaultBundleName: 'ROOTCA', defaultAllBundlesName: 'ALL' });
    }
  });

  it('renders no NodeAttestor/WorkloadAttestor when the SpireAgent omits those blocks (the CR trap)', async () => {
    const { get } = await setup({ manifests: [ZTWIM, SERVER, `apiVersion: operator.openshift.io/v1alpha1\nkind: SpireAgent\nmetadata:\n  name: cluster\nspec: {}\n`] });
    expect(Object.keys(JSON.parse(data(get('ConfigMap', 'spire-agent'), 'agent.conf')).plugins)).toEqual(['KeyManager']);
  });

  it('writes the controller-manager config with the ZTWIM class, watchClassless off and openshift-* ignored', async () => {
    const { get } = await setup();
    const yaml = data(get('ConfigMap', 'spire-controller-manager'), 'controller-manager-config.yaml');
    expect(yaml).toBe(`apiVersion: spire.spiffe.io/v1alpha1
className: zero-trust-workload-identity-manager-spire
clusterDomain: ""
clusterName: west
entryIDPrefix: west
expandEnvStaticManifests: false
gcInterval: 0
health:
  healthProbeBindAddress: 0.0.0.0:8083
ignoreNamespaces:
- kube-system
- kube-public
- local-path-storage
- openshift-*
kind: ControllerManagerConfig
logEncoding: ""
logLevel: ""
metadata:
  creationTimestamp: null
  labels:
    app.kubernetes.io/component: control-plane
    app.kubernetes.io/instance: cluster-zero-trust-workload-identity-manager
    app.kubernetes.io/managed-by: zero-trust-workload-identity-manager
    app.kubernetes.io/name: spire-controller-manager
    app.kubernetes.io/part-of: zero-trust-workload-identity-manager
    app.kubernetes.io/version: 0.6.3
  name: spire-controller-manager
  namespace: zero-trust-workload-identity-manager
metrics:
  bindAddress: 0.0.0.0:8082
parentIDTemplate: spiffe://{{ .TrustDomain }}/spire/agent/k8s_psat/{{ .ClusterName }}/{{ .NodeMeta.UID }}
reconcile:
  clusterFederatedTrustDomains: true
  clusterSPIFFEIDs: true
  clusterStaticEntries: true
spireServerSocketPath: /tmp/spire-server/private/api.sock
trustDomain: ${TD}
validatingWebhookConfigurationName: spire-controller-manager-webhook
webhook: {}
`);
    const cfg = parseControllerManagerConfig(yaml, { detectedClusterDomain: 'cluster.local' });
    expect(cfg.ok).toBe(true);
    if (cfg.ok) {
      expect(cfg.value).toMatchObject({ className: 'zero-trust-workload-identity-manager-spire', watchClassless: false, entryIdPrefix: 'west.', spireServerSocketPath: '/tmp/spire-server/private/api.sock' });
      expect(cfg.value.ignoreNamespacesRegex.some((r) => r.test('openshift-monitoring'))).toBe(true);
    }
  });

  it('writes the OIDC provider config with the socket /spiffe-workload-api/spire-agent.sock', async () => {
    const { get } = await setup({ manifests: [ZTWIM, SERVER, AGENT, CSI, OIDC] });
    const doc = JSON.parse(data(get('ConfigMap', 'spire-spiffe-oidc-discovery-provider'), 'oidc-discovery-provider.conf'));
    expect(doc.domains).toEqual(['spire-spiffe-oidc-discovery-provider', `spire-spiffe-oidc-discovery-provider.${NS}`, `spire-spiffe-oidc-discovery-provider.${NS}.svc.cluster.local`, `oidc-discovery.${TD}`]);
    expect(doc.workload_api).toEqual({ socket_path: '/spiffe-workload-api/spire-agent.sock', trust_domain: TD });
  });
});

describe('ZTWIM operator: objects', () => {
  it('creates the server StatefulSet, agent and CSI DaemonSets with the Red Hat images, args and volumes', async () => {
    const { get } = await setup();
    const sts = get('StatefulSet', 'spire-server')!;
    const pod = (sts.spec as { template: { spec: Record<string, unknown> } }).template.spec as { containers: { name: string; image: string; args: string[]; ports: { name: string }[] }[]; volumes: { name: string }[]; serviceAccountName: string };
    expect(pod.serviceAccountName).toBe('spire-server');
    expect(pod.containers.map((c) => [c.name, c.image, c.args])).toEqual([
      ['spire-server', 'registry.redhat.io/zero-trust-workload-identity-manager/spiffe-spire-server-rhel9:v1.0', ['-expandEnv', '-config', '/run/spire/config/server.conf']],
      ['spire-controller-manager', 'registry.redhat.io/zero-trust-workload-identity-manager/spiffe-spire-controller-manager-rhel9:v1.0', ['--config=controller-manager-config.yaml']],
    ]);
    expect(pod.containers[0]!.ports.map((p) => p.name)).toEqual(['grpc', 'server-healthz']);
    expect(pod.volumes.map((v) => v.name)).toEqual(['server-tmp', 'spire-config', 'spire-server-socket', 'spire-controller-manager-tmp', 'controller-manager-config']);
    expect((sts.spec as { volumeClaimTemplates: unknown[] }).volumeClaimTemplates).toEqual([{ metadata: { name: 'spire-data' }, spec: { accessModes: ['ReadWriteOncePod'], resources: { requests: { storage: '1Gi' } } } }]);
    const agent = get('DaemonSet', 'spire-agent')!;
    const aspec = (agent.spec as { template: { spec: { hostPID: boolean; volumes: { name: string; hostPath?: { path: string } }[] } } }).template.spec;
    expect(aspec.hostPID).toBe(true);
    expect(aspec.volumes.find((v) => v.name === 'spire-agent-socket-dir')?.hostPath?.path).toBe('/run/spire/agent-sockets');
    const csi = get('DaemonSet', 'spire-spiffe-csi-driver')!;
    expect((csi.spec as { template: { spec: { containers: { args: string[] }[] } } }).template.spec.containers[0]!.args).toEqual(['-workload-api-socket-dir', '/spire-agent-socket', '-plugin-name', 'csi.spiffe.io', '-csi-socket-path', '/spiffe-csi/csi.sock']);
    expect(get('ConfigMap', 'spire-bundle')).toBeDefined();
    expect(get('Service', 'spire-server')!.spec).toMatchObject({ ports: [{ name: 'grpc', port: 443 }, { name: 'metrics', port: 9402 }] });
    expect(get('Route', 'spire-server-federation')).toBeUndefined();
  });

  it('with federation: port 8443 on the pod and Service, and the Route federation.<trustDomain> (passthrough, Redirect)', async () => {
    const { cluster, get, condition } = await setup();
    const r = cluster.store.patch({ apiVersion: 'operator.openshift.io/v1alpha1', kind: 'SpireServer' }, undefined, 'cluster', 'merge', JSON.parse(FEDERATION));
    expect(r.ok).toBe(true);
    cluster.store.settle();
    const route = get('Route', 'spire-server-federation')!;
    expect(route.spec).toEqual({ host: `federation.${TD}`, to: { kind: 'Service', name: 'spire-server', weight: 100 }, port: { targetPort: 'federation' }, tls: { termination: 'passthrough', insecureEdgeTerminationPolicy: 'Redirect' }, wildcardPolicy: 'None' });
    expect((get('Service', 'spire-server')!.spec as { ports: { name: string; port: number }[] }).ports.map((p) => `${p.name}:${p.port}`)).toEqual(['grpc:443', 'metrics:9402', 'federation:8443']);
    const conf = JSON.parse(data(get('ConfigMap', 'spire-server'), 'server.conf'));
    expect(conf.server.federation).toEqual({
      bundle_endpoint: { address: '0.0.0.0', port: 8443, refresh_hint: '300s', profile: { https_spiffe: {} } },
      federates_with: { 'apps.east.example.com': { bundle_endpoint_url: 'https://federation.apps.east.example.com', bundle_endpoint_profile: { https_spiffe: { endpoint_spiffe_id: 'spiffe://apps.east.example.com/spire/server' } } } },
    });
    expect(condition('SpireServer', 'RouteAvailable')).toMatchObject({ status: 'True', reason: 'FederationRouteCreated' });
  });

  it('rejects federating with its own trust domain in status, and writes nothing new', async () => {
    const { cluster, condition } = await setup();
    cluster.store.patch({ apiVersion: 'operator.openshift.io/v1alpha1', kind: 'SpireServer' }, undefined, 'cluster', 'merge', JSON.parse(FEDERATION.replaceAll('apps.east.example.com', TD)));
    cluster.store.settle();
    expect(condition('SpireServer', 'ConfigurationValid')).toMatchObject({ status: 'False', reason: 'InvalidFederationConfiguration', message: `Federation configuration validation failed: federatesWith[0]: cannot federate with own trust domain ${TD}` });
    expect(condition('SpireServer', 'Ready')).toMatchObject({ status: 'False', reason: 'Failed' });
  });

  it('creates the fallback ClusterSPIFFEID only with the OIDC provider: fallback, no federatesWith', async () => {
    const { apply, get } = await setup();
    expect(get('ClusterSPIFFEID', 'zero-trust-workload-identity-manager-spire-default', undefined)).toBeUndefined();
    apply(OIDC);
    const fallback = get('ClusterSPIFFEID', 'zero-trust-workload-identity-manager-spire-default', undefined)!;
    expect(fallback.spec).toEqual({
      className: 'zero-trust-workload-identity-manager-spire',
      hint: 'default',
      spiffeIDTemplate: 'spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}',
      fallback: true,
      namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [NS] }] },
    });
    expect(get('ClusterSPIFFEID', 'zero-trust-workload-identity-manager-spire-oidc-discovery-provider', undefined)).toBeDefined();
    expect(get('Deployment', 'spire-spiffe-oidc-discovery-provider')).toBeDefined();
    expect(get('Route', 'spire-oidc-discovery-provider')!.spec).toMatchObject({ host: `oidc-discovery.${TD}`, tls: { termination: 'reencrypt', insecureEdgeTerminationPolicy: 'Redirect' } });
  });

  it('reports a missing ZeroTrustWorkloadIdentityManager on the operand, then reconciles once it exists', async () => {
    const { apply, condition, get } = await setup({ manifests: [SERVER] });
    expect(condition('SpireServer', 'Ready')).toMatchObject({ status: 'False', reason: 'Failed', message: 'Failed to retrieve ZeroTrustWorkloadIdentityManager from cluster' });
    expect(get('ConfigMap', 'spire-server')).toBeUndefined();
    apply(ZTWIM);
    expect(get('ConfigMap', 'spire-server')).toBeDefined();
  });
});

describe('ZTWIM operator: drift and CREATE_ONLY_MODE', () => {
  const editAgentConf = (world: World) =>
    world.run(`oc -n ${NS} patch cm spire-agent --type merge -p '{"data":{"agent.conf":"{\\"agent\\":{\\"socket_path\\":\\"/tmp/spire-agent/public/socket\\"}}"}}'`);

  it('reverts a hand edit of the spire-server ConfigMap at once (its watch: managed-by + component labels)', async () => {
    const { world, get, logs } = await setup();
    const before = data(get('ConfigMap', 'spire-server'), 'server.conf');
    const r = await world.run(`oc -n ${NS} patch cm spire-server --type merge -p '{"data":{"server.conf":"{}"}}'`);
    expect(r.exitCode).toBe(0);
    expect(data(get('ConfigMap', 'spire-server'), 'server.conf')).toBe(before);
    expect(logs.some((l) => l.includes('Updated ConfigMap'))).toBe(true);
    await editAgentConf(world);
    expect(JSON.parse(data(get('ConfigMap', 'spire-agent'), 'agent.conf')).agent.socket_path).toBe('/tmp/spire-agent/public/spire-agent.sock');
  });

  it('CREATE_ONLY_MODE keeps the manual edit, freezes the CR change (S17) but creates the missing Route; status says so', async () => {
    const { world, cluster, get, condition, op } = await setup({ env: { CREATE_ONLY_MODE: 'true' } });
    await editAgentConf(world);
    expect(JSON.parse(data(get('ConfigMap', 'spire-agent'), 'agent.conf')).agent.socket_path).toBe('/tmp/spire-agent/public/socket');
    const before = data(get('ConfigMap', 'spire-server'), 'server.conf');
    cluster.store.patch({ apiVersion: 'operator.openshift.io/v1alpha1', kind: 'SpireServer' }, undefined, 'cluster', 'merge', JSON.parse(FEDERATION));
    cluster.store.settle();
    expect(data(get('ConfigMap', 'spire-server'), 'server.conf')).toBe(before);
    expect(JSON.parse(before).server.federation).toBeUndefined();
    expect((get('Service', 'spire-server')!.spec as { ports: unknown[] }).ports).toHaveLength(2);
    expect(get('Route', 'spire-server-federation')).toBeDefined();
    for (const kind of ['SpireServer', 'SpireAgent', 'SpiffeCSIDriver'])
      expect(condition(kind, 'CreateOnlyMode')).toMatchObject({ status: 'True', reason: 'CreateOnlyModeEnabled', message: 'Create-Only Mode is active: Updates are not reconciled to existing resources' });
    expect(condition('ZeroTrustWorkloadIdentityManager', 'CreateOnlyMode')).toMatchObject({ status: 'True', message: 'Create-only mode is enabled: Updates are not reconciled to existing resources' });
    // Turning it off (new operator pod): every edit is reverted, the CR change arrives.
    op.setEnv({});
    expect(JSON.parse(data(get('ConfigMap', 'spire-agent'), 'agent.conf')).agent.socket_path).toBe('/tmp/spire-agent/public/spire-agent.sock');
    expect(JSON.parse(data(get('ConfigMap', 'spire-server'), 'server.conf')).server.federation.bundle_endpoint.port).toBe(8443);
    expect(condition('SpireServer', 'CreateOnlyMode')).toMatchObject({ status: 'False', reason: 'CreateOnlyModeDisabled', message: 'Create-only mode is disabled' });
  });

  it('ignores an invalid CREATE_ONLY_MODE value with one log line', async () => {
    const { get, world, logs } = await setup({ env: { CREATE_ONLY_MODE: 'yes' } });
    await editAgentConf(world);
    expect(JSON.parse(data(get('ConfigMap', 'spire-agent'), 'agent.conf')).agent.socket_path).toBe('/tmp/spire-agent/public/spire-agent.sock');
    expect(logs.filter((l) => l.includes('Invalid CREATE_ONLY_MODE value, using default (disabled)'))).toHaveLength(1);
  });
});

describe('ZTWIM operator: 0.2 vs 1.0', () => {
  const SERVER_02 = `apiVersion: operator.openshift.io/v1alpha1
kind: SpireServer
metadata:
  name: cluster
  annotations:
    ztwim.openshift.io/create-only: "true"
spec:
  trustDomain: ${TD}
  clusterName: west
  bundleConfigMap: spire-bundle
  jwtIssuer: https://oidc-discovery.${TD}
  caSubject: {commonName: ${TD}, country: US, organization: RH}
  persistence: {type: pvc, size: 1Gi, accessMode: ReadWriteOnce}
  datastore: {databaseType: sqlite3, connectionString: /run/spire/data/datastore.sqlite3, maxOpenConns: 100, maxIdleConns: 2, connMaxLifetime: 3600}
`;

  it('0.2 reads the trust domain from SpireServer, hard-codes debug logging, and create-only comes from the CR annotation', async () => {
    const { world, get, condition } = await setup({ version: '0.2', manifests: [`apiVersion: operator.openshift.io/v1alpha1\nkind: ZeroTrustWorkloadIdentityManager\nmetadata:\n  name: cluster\nspec: {}\n`, SERVER_02] });
    const doc = JSON.parse(data(get('ConfigMap', 'spire-server'), 'server.conf'));
    expect(doc.server).toMatchObject({ trust_domain: TD, log_level: 'debug', ca_key_type: 'rsa-2048' });
    expect(doc.server.log_format).toBeUndefined();
    expect(doc.plugins.DataStore[0].sql.plugin_data).toEqual({ connection_string: '/run/spire/data/datastore.sqlite3', database_type: 'sqlite3', disable_migration: false, max_idle_conns: 2, max_open_conns: 100 });
    const image = (get('StatefulSet', 'spire-server')!.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image;
    expect(image).toMatch(/spiffe-spire-server-rhel9:v0\.2$/);
    expect(condition('SpireServer', 'CreateOnlyMode')).toMatchObject({ status: 'True' });
    await world.run(`oc -n ${NS} patch cm spire-server --type merge -p '{"data":{"server.conf":"{}"}}'`);
    expect(data(get('ConfigMap', 'spire-server'), 'server.conf')).toBe('{}');
  });

  it('1.0 rejects the 0.2-style SpireServer (trustDomain, persistence.type) under strict validation', async () => {
    const world = await World.create([spec('1.0')], { seed: 7, start: Date.UTC(2026, 0, 15, 9), crypto: globalThis.crypto });
    const r = await world.run('oc apply -f -', { stdin: SERVER_02 });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/unknown field "spec\.(trustDomain|persistence\.type)"/);
  });
});

describe('ZTWIM operator: end to end', () => {
  it('the SPIRE server pod runs from the operator\'s StatefulSet and answers healthcheck at /spire-server', async () => {
    const { world } = await setup();
    await world.advance(60_000);
    const pods = await world.run(`oc -n ${NS} get pods -l app.kubernetes.io/name=spire-server -o jsonpath='{.items[*].metadata.name}'`);
    expect(pods.stdout).toBe('spire-server-0');
    const ok = await world.run(`oc -n ${NS} exec spire-server-0 -c spire-server -- /spire-server healthcheck`);
    expect(ok.stdout).toBe('Server is healthy.\n');
    const wrong = await world.run(`oc -n ${NS} exec spire-server-0 -c spire-server -- /opt/spire/bin/spire-server healthcheck`);
    expect(wrong.stderr).toContain('no such file or directory');
  });
});
