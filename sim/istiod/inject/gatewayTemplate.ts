/**
 * The `gateway` injection template, rendered (istio: manifests/charts/istio-control/istio-discovery/files/
 * gateway-injection-template.yaml). istio-proxy always goes in `containers`: a gateway is never a native
 * sidecar. `workload-socket` is `emptyDir: {}` before 1.27 and `emptyDir:` (null) from 1.27.0
 * (commit e5907438192, istio#56217), which decides whether a custom template's `csi:` can replace it.
 * No `security.istio.io/tlsMode` label and no init container.
 * Not modelled: bootstrapOverride, GKE workload certificates, ClusterTrustBundle, mountMtlsCerts, sts port,
 * COMPLIANCE_POLICY.
 */
import { canonicalLabels, gomemlimitEnv, proxyBaseEnv, proxyMetaEnv } from './sidecarTemplate.ts';
import { annotationOr, interceptionMode, proxyVolumes, v, vs, type TemplateData } from './templateData.ts';
import { isPlainObject } from '../../kube/object.ts';

type Obj = Record<string, unknown>;

export function renderGatewayTemplate(d: TemplateData): Obj {
  const a = d.annotations;
  const canon = canonicalLabels(d, 'none');
  const labels: Obj = { 'service.istio.io/canonical-name': canon.name, 'service.istio.io/canonical-revision': canon.revision };
  const annotations: Obj = { 'istio.io/rev': d.revision || 'default' };
  if (d.features.gatewayDefaultContainerGe1) {
    if (d.appContainers.length >= 1) {
      if (a['kubectl.kubernetes.io/default-logs-container'] === undefined) annotations['kubectl.kubernetes.io/default-logs-container'] = d.appContainers[0];
      if (a['kubectl.kubernetes.io/default-container'] === undefined) annotations['kubectl.kubernetes.io/default-container'] = d.appContainers[0];
    }
  } else if (d.appContainers.length === 1) {
    // 1.24.x: `eq (len $containers) 1`, set unconditionally.
    annotations['kubectl.kubernetes.io/default-logs-container'] = d.appContainers[0];
    annotations['kubectl.kubernetes.io/default-container'] = d.appContainers[0];
  }

  const gwSecurity = v(d, 'gateways.securityContext');
  const podSecurityContext = isPlainObject(gwSecurity) && Object.keys(gwSecurity).length > 0 ? gwSecurity : { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] };

  const imageValue = annotationOr(d, 'sidecar.istio.io/proxyImage', v(d, 'global.proxy.image'));
  const proxy: Obj = { name: 'istio-proxy', image: imageValue.includes('/') ? imageValue : d.proxyImage };
  proxy.ports = [{ containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' }];
  const args = [
    'proxy', 'router', '--domain', `$(POD_NAMESPACE).svc.${vs(d, 'global.proxy.clusterDomain')}`,
    `--proxyLogLevel=${annotationOr(d, 'sidecar.istio.io/logLevel', v(d, 'global.proxy.logLevel'))}`,
    `--proxyComponentLogLevel=${annotationOr(d, 'sidecar.istio.io/componentLogLevel', v(d, 'global.proxy.componentLogLevel'))}`,
    `--log_output_level=${annotationOr(d, 'sidecar.istio.io/agentLogLevel', v(d, 'global.logging.level'))}`,
  ];
  if (vs(d, 'global.sts.servicePort') !== '' && vs(d, 'global.sts.servicePort') !== '0') args.push(`--stsPort=${vs(d, 'global.sts.servicePort')}`);
  if (v(d, 'global.logAsJson') === true) args.push('--log_as_json');
  proxy.args = args;
  const lifecycle = v(d, 'global.proxy.lifecycle');
  if (isPlainObject(lifecycle) && Object.keys(lifecycle).length > 0) proxy.lifecycle = lifecycle;
  proxy.securityContext = { runAsUser: d.proxyUID, runAsGroup: d.proxyGID };
  proxy.env = [
    ...proxyBaseEnv(d),
    ...gomemlimitEnv(d),
    { name: 'ISTIO_META_APP_CONTAINERS', value: d.appContainers.join(',') },
    // The gateway template prints `.ProxyConfig.InterceptionMode.String` (no annotation override).
    ...proxyMetaEnv(d, interceptionMode(d), d.owner.name),
  ];
  if (vs(d, 'global.imagePullPolicy') !== '') proxy.imagePullPolicy = vs(d, 'global.imagePullPolicy');
  proxy.readinessProbe = {
    httpGet: { path: '/healthz/ready', port: 15021 },
    initialDelaySeconds: Number(v(d, 'global.proxy.readinessInitialDelaySeconds')),
    periodSeconds: Number(v(d, 'global.proxy.readinessPeriodSeconds')),
    timeoutSeconds: 3,
    failureThreshold: Number(v(d, 'global.proxy.readinessFailureThreshold')),
  };
  const istiodCerts = vs(d, 'global.pilotCertProvider') === 'istiod';
  proxy.volumeMounts = [
    { name: 'workload-socket', mountPath: '/var/run/secrets/workload-spiffe-uds' },
    { name: 'credential-socket', mountPath: '/var/run/secrets/credential-uds' },
    { name: 'workload-certs', mountPath: '/var/run/secrets/workload-spiffe-credentials' },
    ...(istiodCerts ? [{ mountPath: '/var/run/secrets/istio', name: 'istiod-ca-cert' }] : []),
    { mountPath: '/var/lib/istio/data', name: 'istio-data' },
    { mountPath: '/etc/istio/proxy', name: 'istio-envoy' },
    { mountPath: '/var/run/secrets/tokens', name: 'istio-token' },
    { name: 'istio-podinfo', mountPath: '/etc/istio/pod' },
  ];

  const volumes: Obj[] = [
    { emptyDir: d.features.gatewayWorkloadSocketNull ? null : {}, name: 'workload-socket' },
    { emptyDir: {}, name: 'credential-socket' },
    { emptyDir: {}, name: 'workload-certs' },
    ...proxyVolumes(d, istiodCerts),
  ];
  const spec: Obj = { securityContext: podSecurityContext, containers: [proxy], volumes };
  const pullSecrets = v(d, 'global.imagePullSecrets');
  if (Array.isArray(pullSecrets) && pullSecrets.length > 0) spec.imagePullSecrets = pullSecrets.map((name) => ({ name }));
  return { metadata: { labels, annotations }, spec };
}
