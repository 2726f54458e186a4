/**
 * The configuration files the ZTWIM operator renders from its CRs, as the operator writes them:
 * server.conf (ztwim:pkg/controller/spire-server/configmap.go generateServerConfMap), agent.conf
 * (ztwim:pkg/controller/spire-agent/configmap.go generateAgentConfig), the spire-controller-manager
 * config (configmap.go generateControllerManagerConfig, marshalled by sigs.k8s.io/yaml) and the OIDC
 * discovery provider config (ztwim:pkg/controller/spire-oidc-discovery-provider/configmaps.go).
 * 0.2 renders differ (ztwim-0.2: same files): trust domain / cluster name / bundle ConfigMap from the
 * SpireServer/SpireAgent spec, `log_level "debug"` and `ca_key_type "rsa-2048"` hard-coded, every
 * datastore field always written, no `log_format`, no federation, kubelet verification always skipped.
 */
import { goMarshalIndent, goYamlMarshal, type GoJson } from './goEncoding.ts';

export type ZtwimVersion = '1.0' | '0.2';

export interface Identity {
  readonly trustDomain: string;
  readonly clusterName: string;
  readonly bundleConfigMap: string;
}

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const s = (v: unknown): string => (typeof v === 'string' ? v : '');
const n = (v: unknown): number => (typeof v === 'number' ? v : 0);
/** utils.StringToBool: only "true" (the CRDs' string enums). */
const sb = (v: unknown): boolean => v === 'true';
/** utils.GetLogLevelFromString / GetLogFormatFromString: empty → info / text. */
const logLevel = (v: unknown) => s(v) || 'info';
const logFormat = (v: unknown) => s(v) || 'text';

/** Component versions, for the `app.kubernetes.io/version` label (ztwim:pkg/version/version.go). */
export const COMPONENT_VERSIONS: Record<ZtwimVersion, { server: string; agent: string; csi: string; controllerManager: string; oidc: string }> = {
  '1.0': { server: '1.13.3', agent: '1.13.3', csi: '0.2.8', controllerManager: '0.6.3', oidc: '1.13.3' },
  '0.2': { server: '1.12.4', agent: '1.12.4', csi: '0.2.7', controllerManager: '0.6.2', oidc: '1.12.4' },
};

// ------------------------------------------------------------------ server.conf

function datastore(ds: Obj, version: ZtwimVersion): GoJson {
  if (version === '0.2')
    return {
      connection_string: s(ds.connectionString),
      database_type: s(ds.databaseType),
      disable_migration: sb(ds.disableMigration),
      max_idle_conns: n(ds.maxIdleConns),
      max_open_conns: n(ds.maxOpenConns),
    };
  // buildDataStorePluginData
  const out: Record<string, GoJson> = { connection_string: s(ds.connectionString), database_type: s(ds.databaseType) };
  if (n(ds.maxOpenConns) > 0) out.max_open_conns = n(ds.maxOpenConns);
  if (n(ds.maxIdleConns) > 0) out.max_idle_conns = n(ds.maxIdleConns);
  if (s(ds.disableMigration) !== '') out.disable_migration = sb(ds.disableMigration);
  if (n(ds.connMaxLifetime) > 0) out.conn_max_lifetime = `${n(ds.connMaxLifetime)}s`;
  return out;
}

/** generateBundleEndpointConfig. */
function bundleEndpoint(be: Obj): GoJson {
  const out: Record<string, GoJson> = { address: '0.0.0.0', port: 8443, refresh_hint: `${n(be.refreshHint) || 300}s` };
  if (be.profile === 'https_spiffe') out.profile = { https_spiffe: {} };
  else if (be.profile === 'https_web') {
    const web = o(be.httpsWeb);
    const profile: Record<string, GoJson> = {};
    if (be.httpsWeb !== undefined) {
      if (web.acme !== undefined) {
        const a = o(web.acme);
        profile.acme = { directory_url: s(a.directoryUrl), domain_name: s(a.domainName), email: s(a.email), tos_accepted: sb(a.tosAccepted) };
      } else if (web.servingCert !== undefined) {
        profile.serving_cert_file = {
          cert_file_path: '/run/spire/server-tls/tls.crt',
          key_file_path: '/run/spire/server-tls/tls.key',
          file_sync_interval: `${n(o(web.servingCert).fileSyncInterval) || 3600}s`,
        };
      }
    }
    out.profile = { https_web: profile };
  }
  return out;
}

/** generateFederationConfig: static `federates_with` keyed by trust domain. */
function federation(fed: Obj): GoJson {
  const out: Record<string, GoJson> = { bundle_endpoint: bundleEndpoint(o(fed.bundleEndpoint)) };
  const peers = Array.isArray(fed.federatesWith) ? (fed.federatesWith as Obj[]) : [];
  if (peers.length > 0) {
    const fw: Record<string, GoJson> = {};
    for (const p of peers) {
      const t: Record<string, GoJson> = { bundle_endpoint_url: s(p.bundleEndpointUrl) };
      if (p.bundleEndpointProfile === 'https_spiffe') t.bundle_endpoint_profile = { https_spiffe: { endpoint_spiffe_id: s(p.endpointSpiffeId) } };
      else if (p.bundleEndpointProfile === 'https_web') t.bundle_endpoint_profile = { https_web: {} };
      fw[s(p.trustDomain)] = t;
    }
    out.federates_with = fw;
  }
  return out;
}

/** The server.conf document (before marshalling); `spec` is SpireServer.spec with CRD defaults applied. */
export function serverConfDocument(spec: Obj, id: Identity, namespace: string, version: ZtwimVersion): Record<string, GoJson> {
  const ca = o(spec.caSubject);
  const server: Record<string, GoJson> = {
    audit_log_enabled: false,
    bind_address: '0.0.0.0',
    bind_port: '8081',
    ca_key_type: version === '0.2' ? 'rsa-2048' : s(spec.caKeyType) || 'rsa-2048',
    ca_subject: [{ common_name: s(ca.commonName), country: [s(ca.country)], organization: [s(ca.organization)] }],
    ca_ttl: s(spec.caValidity),
    data_dir: '/run/spire/data',
    default_jwt_svid_ttl: s(spec.defaultJWTValidity),
    default_x509_svid_ttl: s(spec.defaultX509Validity),
    jwt_issuer: s(spec.jwtIssuer),
    log_level: version === '0.2' ? 'debug' : logLevel(spec.logLevel),
    trust_domain: id.trustDomain,
  };
  if (version === '1.0') {
    server.log_format = logFormat(spec.logFormat);
    if (s(spec.jwtKeyType) !== '') server.jwt_key_type = s(spec.jwtKeyType);
    if (spec.federation !== undefined) server.federation = federation(o(spec.federation));
  }
  return {
    health_checks: { bind_address: '0.0.0.0', bind_port: '8080', listener_enabled: true, live_path: '/live', ready_path: '/ready' },
    plugins: {
      DataStore: [{ sql: { plugin_data: datastore(o(spec.datastore), version) } }],
      KeyManager: [{ disk: { plugin_data: { keys_path: '/run/spire/data/keys.json' } } }],
      NodeAttestor: [
        {
          k8s_psat: {
            plugin_data: {
              clusters: [{ [id.clusterName]: { allowed_node_label_keys: [], allowed_pod_label_keys: [], audience: ['spire-server'], service_account_allow_list: [`${namespace}:spire-agent`] } }],
            },
          },
        },
      ],
      Notifier: [{ k8sbundle: { plugin_data: { config_map: id.bundleConfigMap, namespace } } }],
    },
    server,
    telemetry: { Prometheus: { host: '0.0.0.0', port: '9402' } },
  };
}

export const renderServerConf = (spec: Obj, id: Identity, namespace: string, version: ZtwimVersion): string => goMarshalIndent(serverConfDocument(spec, id, namespace, version));

// ------------------------------------------------------------------ agent.conf

/** configureKubeletVerification (1.0): skip/unset → skip; auto → given path or the OpenShift default; hostCert → given path. */
function kubeletVerification(plugin: Record<string, GoJson>, v: Obj | undefined): void {
  const type = s(v?.type);
  const given = v && s(v.hostCertBasePath) !== '' && s(v.hostCertFileName) !== '' ? `${s(v.hostCertBasePath).replace(/\/$/, '')}/${s(v.hostCertFileName)}` : '';
  if (type === 'hostCert') {
    plugin.skip_kubelet_verification = false;
    plugin.kubelet_ca_path = given;
  } else if (type === 'auto') {
    plugin.skip_kubelet_verification = false;
    plugin.kubelet_ca_path = given || '/etc/kubernetes/kubelet-ca.crt';
  } else plugin.skip_kubelet_verification = true;
}

export function agentConfDocument(spec: Obj, id: Identity, namespace: string, version: ZtwimVersion): Record<string, GoJson> {
  const agent: Record<string, GoJson> = {
    data_dir: '/var/lib/spire',
    log_level: version === '0.2' ? 'debug' : logLevel(spec.logLevel),
    retry_bootstrap: true,
    server_address: `spire-server.${namespace}`,
    server_port: '443',
    socket_path: '/tmp/spire-agent/public/spire-agent.sock',
    trust_bundle_path: '/run/spire/bundle/bundle.crt',
    trust_domain: id.trustDomain,
  };
  if (version === '1.0') agent.log_format = logFormat(spec.logFormat);
  const plugins: Record<string, GoJson> = { KeyManager: [{ memory: { plugin_data: null } }] };
  // The trap of ztwim-spec §4: an omitted nodeAttestor / workloadAttestors block renders no plugin.
  if (spec.nodeAttestor !== undefined && o(spec.nodeAttestor).k8sPSATEnabled === 'true') plugins.NodeAttestor = [{ k8s_psat: { plugin_data: { cluster: id.clusterName } } }];
  const wa = spec.workloadAttestors === undefined ? undefined : o(spec.workloadAttestors);
  if (wa && wa.k8sEnabled === 'true') {
    const plugin: Record<string, GoJson> = {
      disable_container_selectors: sb(wa.disableContainerSelectors),
      node_name_env: 'MY_NODE_NAME',
      use_new_container_locator: sb(wa.useNewContainerLocator),
      verbose_container_locator_logs: false,
    };
    if (version === '0.2') plugin.skip_kubelet_verification = true;
    else kubeletVerification(plugin, wa.workloadAttestorsVerification === undefined ? undefined : o(wa.workloadAttestorsVerification));
    plugins.WorkloadAttestor = [{ k8s: { plugin_data: plugin } }];
  }
  return {
    agent,
    health_checks: { bind_address: '0.0.0.0', bind_port: 9982, listener_enabled: true, live_path: '/live', ready_path: '/ready' },
    plugins,
    telemetry: { Prometheus: { host: '0.0.0.0', port: '9402' } },
  };
}

export const renderAgentConf = (spec: Obj, id: Identity, namespace: string, version: ZtwimVersion): string => goMarshalIndent(agentConfDocument(spec, id, namespace, version));

// ------------------------------------------------------------------ controller-manager config

/** The YAML the operator writes (ControllerManagerConfigYAML through sigs.k8s.io/yaml: zero values of non-omitempty fields included). */
export function renderControllerManagerConfig(id: Identity, namespace: string, labels: Record<string, string>): string {
  return goYamlMarshal({
    kind: 'ControllerManagerConfig',
    apiVersion: 'spire.spiffe.io/v1alpha1',
    metadata: { name: 'spire-controller-manager', namespace, labels, creationTimestamp: null },
    metrics: { bindAddress: '0.0.0.0:8082' },
    health: { healthProbeBindAddress: '0.0.0.0:8083' },
    webhook: {},
    className: 'zero-trust-workload-identity-manager-spire',
    parentIDTemplate: 'spiffe://{{ .TrustDomain }}/spire/agent/k8s_psat/{{ .ClusterName }}/{{ .NodeMeta.UID }}',
    reconcile: { clusterSPIFFEIDs: true, clusterFederatedTrustDomains: true, clusterStaticEntries: true },
    entryIDPrefix: id.clusterName,
    expandEnvStaticManifests: false,
    clusterName: id.clusterName,
    clusterDomain: '',
    trustDomain: id.trustDomain,
    ignoreNamespaces: ['kube-system', 'kube-public', 'local-path-storage', 'openshift-*'],
    validatingWebhookConfigurationName: 'spire-controller-manager-webhook',
    gcInterval: 0,
    spireServerSocketPath: '/tmp/spire-server/private/api.sock',
    logLevel: '',
    logEncoding: '',
  });
}

// ------------------------------------------------------------------ OIDC discovery provider

/** utils.StripProtocolFromJWTIssuer: the issuer's host[:port][path] without the scheme. */
export const stripScheme = (issuer: string): string => issuer.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//, '');

export function renderOidcConf(spec: Obj, trustDomain: string, namespace: string): string {
  return goMarshalIndent({
    domains: ['spire-spiffe-oidc-discovery-provider', `spire-spiffe-oidc-discovery-provider.${namespace}`, `spire-spiffe-oidc-discovery-provider.${namespace}.svc.cluster.local`, stripScheme(s(spec.jwtIssuer))],
    health_checks: { bind_port: '8008', live_path: '/live', ready_path: '/ready' },
    log_level: logLevel(spec.logLevel),
    log_format: logFormat(spec.logFormat),
    serving_cert_file: { addr: ':8443', cert_file_path: '/etc/oidc/tls/tls.crt', key_file_path: '/etc/oidc/tls/tls.key' },
    workload_api: { socket_path: '/spiffe-workload-api/spire-agent.sock', trust_domain: trustDomain },
  });
}
