/**
 * The `sidecar` injection template, rendered: the object that the YAML output of
 * istio: manifests/charts/istio-control/istio-discovery/files/injection-template.yaml parses to
 * (`emptyDir:` with no value is kept as null, as the strategic merge sees it).
 * Version differences come from `TemplateFeatures` (values.ts).
 * Not modelled (template branches): multus CNI annotation, HBONE tunnel label, TPROXY/capNetBindService
 * capability variants beyond the defaults, IPTABLES_TRACE_LOGGING, lightstep/datadog tracer env and mounts,
 * OTEL_RESOURCE_ATTRIBUTES, COMPLIANCE_POLICY, bootstrapOverride, GKE workload certificates,
 * ClusterTrustBundle, mountMtlsCerts, seccompProfile, sts port, outlier log path.
 */
import { goContainerPortJson } from './goRoundTrip.ts';
import {
  annotationOr,
  interceptionMode,
  podPortsJson,
  proxyConfigJson,
  proxyMetadata,
  proxyResources,
  trustDomain,
  v,
  proxyVolumes,
  vs,
  type TemplateData,
} from './templateData.ts';
import { truthy } from './values.ts';
import { userVolumeEntries } from './userVolume.ts';
import { err, ok, type Result, type SimError } from '../../core/result.ts';

type Obj = Record<string, unknown>;

/** `$nativeSidecar` of the template: the annotation (anything but "false" enables) else `.NativeSidecars`. */
export function templateNative(d: TemplateData): boolean {
  const a = d.annotations['sidecar.istio.io/nativeSidecar'];
  // ≥1.27: `ne (annotation | default (printf "%t" .NativeSidecars)) "false"`; ≤1.26: annotation "true", or unset and ENABLE_NATIVE_SIDECARS=true.
  if (d.features.nativeAuto) return (a === undefined || a === '' ? String(d.nativeSidecars) : a) !== 'false';
  return a === 'true' || (a === undefined && d.nativeSidecars);
}

/** The template's `canonical-name` / `canonical-revision` label values. */
export function canonicalLabels(d: TemplateData, trim: 'trimAll' | 'trimSuffix' | 'none'): { name: string; revision: string } {
  const l = d.labels;
  let name = l['service.istio.io/canonical-name'] || l['app.kubernetes.io/name'] || l.app || d.owner.name;
  if (trim !== 'none') {
    name = name.slice(0, 63);
    name = trim === 'trimAll' ? name.replace(/^[-_.]+|[-_.]+$/g, '') : name.replace(/-$/, '');
  }
  const revision = l['service.istio.io/canonical-revision'] || l['app.kubernetes.io/version'] || l.version || 'latest';
  return { name, revision };
}

/** `excludeInboundPort`: the status port joined to the configured exclusions (istio: pkg/kube/inject/template.go). */
function excludeInboundPort(port: string, excluded: string): string {
  if (port === '' || port === '0') return excluded;
  const parts = excluded.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.includes(port)) return excluded;
  return [...parts, port].join(',');
}

function resourceFieldRef(d: TemplateData, resource: string): Obj {
  return { resourceFieldRef: d.features.resourceDivisor ? { resource, divisor: '1' } : { resource } };
}
const fieldRef = (fieldPath: string): Obj => ({ fieldRef: { fieldPath } });

/** Env vars shared by the sidecar and gateway proxies, in template order (up to GOMEMLIMIT/GOMAXPROCS). */
export function proxyBaseEnv(d: TemplateData): Obj[] {
  const caAddr = vs(d, 'global.caAddress') || `istiod${vs(d, 'revision') !== '' ? `-${vs(d, 'revision')}` : ''}.${vs(d, 'global.istioNamespace')}.svc:15012`;
  return [
    { name: 'PILOT_CERT_PROVIDER', value: vs(d, 'global.pilotCertProvider') },
    { name: 'CA_ADDR', value: caAddr },
    { name: 'POD_NAME', valueFrom: fieldRef('metadata.name') },
    { name: 'POD_NAMESPACE', valueFrom: fieldRef('metadata.namespace') },
    { name: 'INSTANCE_IP', valueFrom: fieldRef('status.podIP') },
    { name: 'SERVICE_ACCOUNT', valueFrom: fieldRef('spec.serviceAccountName') },
    { name: 'HOST_IP', valueFrom: fieldRef('status.hostIP') },
    { name: 'ISTIO_CPU_LIMIT', valueFrom: resourceFieldRef(d, 'limits.cpu') },
    // `value: |` + protoToJSON: a block scalar keeps one trailing newline.
    { name: 'PROXY_CONFIG', value: `${proxyConfigJson(d)}\n` },
    { name: 'ISTIO_META_POD_PORTS', value: podPortsJson(d, goContainerPortJson) },
  ];
}

export const gomemlimitEnv = (d: TemplateData): Obj[] => [
  { name: 'GOMEMLIMIT', valueFrom: resourceFieldRef(d, 'limits.memory') },
  ...(d.features.gomaxprocs ? [{ name: 'GOMAXPROCS', valueFrom: resourceFieldRef(d, 'limits.cpu') }] : []),
];

/** ISTIO_META_CLUSTER_ID … TRUST_DOMAIN, then proxyMetadata (both templates). */
export function proxyMetaEnv(d: TemplateData, interception: string, workloadName: string): Obj[] {
  const env: Obj[] = [
    { name: 'ISTIO_META_CLUSTER_ID', value: vs(d, 'global.multiCluster.clusterName') || 'Kubernetes' },
    { name: 'ISTIO_META_NODE_NAME', valueFrom: fieldRef('spec.nodeName') },
    { name: 'ISTIO_META_INTERCEPTION_MODE', value: interception },
  ];
  if (vs(d, 'global.network') !== '') env.push({ name: 'ISTIO_META_NETWORK', value: vs(d, 'global.network') });
  if (workloadName !== '') env.push({ name: 'ISTIO_META_WORKLOAD_NAME', value: workloadName });
  if (d.owner.apiVersion !== '' && d.owner.name !== '')
    env.push({ name: 'ISTIO_META_OWNER', value: `kubernetes://apis/${d.owner.apiVersion}/namespaces/${d.owner.namespace || 'default'}/${d.owner.kind.toLowerCase()}s/${d.owner.name}` });
  const td = trustDomain(d);
  const meshId = vs(d, 'global.meshID') || td;
  if (meshId !== '') env.push({ name: 'ISTIO_META_MESH_ID', value: meshId });
  if (td !== '') env.push({ name: 'TRUST_DOMAIN', value: td });
  for (const [k, val] of proxyMetadata(d)) env.push({ name: k, value: val });
  return env;
}

export type TemplateError = SimError<'istiod/inject-invalid-annotation'>;

export function renderSidecarTemplate(d: TemplateData): Result<Obj, TemplateError> {
  const a = d.annotations;
  const native = templateNative(d);
  const interception = annotationOr(d, 'sidecar.istio.io/interceptionMode', interceptionMode(d));
  const tproxy = interception === 'TPROXY';
  const capNetBind = annotationOr(d, 'sidecar.istio.io/capNetBindService', v(d, 'global.proxy.capNetBindService')) === 'true';
  const cni = truthy(v(d, 'pilot.cni.enabled')) || truthy(v(d, 'istio_cni.enabled'));
  const statusPort = annotationOr(d, 'status.sidecar.istio.io/port', v(d, 'global.proxy.statusPort'));
  const excluded = excludeInboundPort(statusPort, annotationOr(d, 'traffic.sidecar.istio.io/excludeInboundPorts', v(d, 'global.proxy.excludeInboundPorts')));
  const privileged = truthy(v(d, 'global.proxy.privileged'));
  const uid = String(d.proxyUID);
  const resources = proxyResources(d);
  const canon = canonicalLabels(d, d.features.canonicalNameTrimAll ? 'trimAll' : 'trimSuffix');

  // ---- metadata
  const labels: Obj = {
    'security.istio.io/tlsMode': d.labels['security.istio.io/tlsMode'] || 'istio',
    'service.istio.io/canonical-name': canon.name,
    'service.istio.io/canonical-revision': canon.revision,
  };
  const annotations: Obj = { 'istio.io/rev': d.revision || 'default' };
  if (d.appContainers.length >= 1) {
    if (a['kubectl.kubernetes.io/default-logs-container'] === undefined) annotations['kubectl.kubernetes.io/default-logs-container'] = d.appContainers[0];
    if (a['kubectl.kubernetes.io/default-container'] === undefined) annotations['kubectl.kubernetes.io/default-container'] = d.appContainers[0];
  }
  if (cni) {
    annotations['sidecar.istio.io/interceptionMode'] = interception;
    const inc = annotationOr(d, 'traffic.sidecar.istio.io/includeOutboundIPRanges', v(d, 'global.proxy.includeIPRanges'));
    if (inc !== '') annotations['traffic.sidecar.istio.io/includeOutboundIPRanges'] = inc;
    const exc = annotationOr(d, 'traffic.sidecar.istio.io/excludeOutboundIPRanges', v(d, 'global.proxy.excludeIPRanges'));
    if (exc !== '') annotations['traffic.sidecar.istio.io/excludeOutboundIPRanges'] = exc;
    annotations['traffic.sidecar.istio.io/includeInboundPorts'] = annotationOr(d, 'traffic.sidecar.istio.io/includeInboundPorts', v(d, 'global.proxy.includeInboundPorts'));
    annotations['traffic.sidecar.istio.io/excludeInboundPorts'] = excluded;
  }

  // ---- init container (istio-init, or istio-validation with CNI)
  const spec: Obj = {};
  const noInit = interception === 'NONE' && !native;
  const initContainers: Obj[] = [];
  if (!noInit && interception !== 'NONE') {
    const args = [
      'istio-iptables',
      '-p', String(d.meshConfig.proxyListenPort ?? '') || '15001',
      '-z', String(d.meshConfig.proxyInboundListenPort ?? '') || '15006',
      '-u', tproxy ? '1337' : uid,
      '-m', interception,
      '-i', annotationOr(d, 'traffic.sidecar.istio.io/includeOutboundIPRanges', v(d, 'global.proxy.includeIPRanges')),
      '-x', annotationOr(d, 'traffic.sidecar.istio.io/excludeOutboundIPRanges', v(d, 'global.proxy.excludeIPRanges')),
      '-b', annotationOr(d, 'traffic.sidecar.istio.io/includeInboundPorts', v(d, 'global.proxy.includeInboundPorts')),
      '-d', excluded !== '' ? `15090,15021,${excluded}` : '15090,15021',
    ];
    const incOut = annotationOr(d, 'traffic.sidecar.istio.io/includeOutboundPorts', v(d, 'global.proxy.includeOutboundPorts'));
    if (incOut !== '') args.push('-q', incOut);
    const excOut = annotationOr(d, 'traffic.sidecar.istio.io/excludeOutboundPorts', v(d, 'global.proxy.excludeOutboundPorts'));
    if (excOut !== '') args.push('-o', excOut);
    const reroute = a['istio.io/reroute-virtual-interfaces'] ?? a['traffic.sidecar.istio.io/kubevirtInterfaces'];
    if (reroute !== undefined) args.push('-k', reroute);
    if (a['traffic.sidecar.istio.io/excludeInterfaces'] !== undefined) args.push('-c', a['traffic.sidecar.istio.io/excludeInterfaces']);
    args.push(`--log_output_level=${annotationOr(d, 'sidecar.istio.io/agentLogLevel', v(d, 'global.logging.level'))}`);
    if (truthy(v(d, 'global.logAsJson'))) args.push('--log_as_json');
    if (cni) args.push('--run-validation', '--skip-rule-apply');
    else if (truthy(v(d, 'global.proxy_init.forceApplyIptables'))) args.push('--force-apply');
    if (truthy(v(d, 'global.nativeNftables'))) args.push('--native-nftables');
    const initImageValue = d.features.proxyInitImage ? vs(d, 'global.proxy_init.image') : vs(d, 'global.proxy.image');
    const override = annotationOr(d, 'sidecar.istio.io/proxyImage', initImageValue);
    const init: Obj = {
      name: cni ? 'istio-validation' : 'istio-init',
      image: override.includes('/') ? override : d.features.proxyInitImage ? d.proxyInitImage : d.proxyImage,
      args,
    };
    if (vs(d, 'global.imagePullPolicy') !== '') init.imagePullPolicy = vs(d, 'global.imagePullPolicy');
    const pm = proxyMetadata(d);
    if (pm.length > 0) init.env = pm.map(([name, value]) => ({ name, value }));
    init.resources = resources ?? null;
    init.securityContext = cni
      ? { allowPrivilegeEscalation: privileged, privileged, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsGroup: tproxy ? 1337 : d.proxyGID, runAsUser: tproxy ? 1337 : d.proxyUID, runAsNonRoot: true }
      : { allowPrivilegeEscalation: privileged, privileged, capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] }, readOnlyRootFilesystem: false, runAsGroup: 0, runAsNonRoot: false, runAsUser: 0 };
    initContainers.push(init);
  }
  spec.initContainers = initContainers;

  // ---- istio-proxy
  const proxyImageValue = annotationOr(d, 'sidecar.istio.io/proxyImage', v(d, 'global.proxy.image'));
  const proxy: Obj = { name: 'istio-proxy', image: proxyImageValue.includes('/') ? proxyImageValue : d.proxyImage };
  if (native) proxy.restartPolicy = 'Always';
  proxy.ports = [{ containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' }];
  const args = [
    'proxy', 'sidecar', '--domain', `$(POD_NAMESPACE).svc.${vs(d, 'global.proxy.clusterDomain')}`,
    `--proxyLogLevel=${annotationOr(d, 'sidecar.istio.io/logLevel', v(d, 'global.proxy.logLevel'))}`,
    `--proxyComponentLogLevel=${annotationOr(d, 'sidecar.istio.io/componentLogLevel', v(d, 'global.proxy.componentLogLevel'))}`,
    `--log_output_level=${annotationOr(d, 'sidecar.istio.io/agentLogLevel', v(d, 'global.logging.level'))}`,
  ];
  if (truthy(v(d, 'global.sts.servicePort'))) args.push(`--stsPort=${vs(d, 'global.sts.servicePort')}`);
  if (truthy(v(d, 'global.logAsJson'))) args.push('--log_as_json');
  if (truthy(v(d, 'global.proxy.outlierLogPath'))) args.push(`--outlierLogPath=${vs(d, 'global.proxy.outlierLogPath')}`);
  proxy.args = args;
  const holdProxy = (d.proxyConfig.holdApplicationUntilProxyStarts === true || truthy(v(d, 'global.proxy.holdApplicationUntilProxyStarts'))) && !native;
  const lifecycle = v(d, 'global.proxy.lifecycle');
  if (truthy(lifecycle)) proxy.lifecycle = lifecycle;
  else if (holdProxy) proxy.lifecycle = { postStart: { exec: { command: ['pilot-agent', 'wait'] } } };
  else if (native) proxy.lifecycle = { preStop: { exec: { command: ['pilot-agent', 'request', `--debug-port=${statusPort}`, 'POST', 'drain'] } } };

  const env: Obj[] = [];
  if (d.meshConfig.inboundTrafficPolicy !== undefined && JSON.stringify(d.meshConfig.inboundTrafficPolicy).includes('LOCALHOST'))
    env.push({ name: 'REWRITE_PROBE_LEGACY_LOCALHOST_DESTINATION', value: 'true' });
  env.push(...proxyBaseEnv(d));
  env.push({ name: 'ISTIO_META_APP_CONTAINERS', value: d.appContainers.join(',') });
  env.push(...gomemlimitEnv(d));
  const workloadName = d.labels['service.istio.io/workload-name'] || d.owner.name;
  env.push(...proxyMetaEnv(d, a['sidecar.istio.io/interceptionMode'] || interceptionMode(d), workloadName));
  proxy.env = env;
  if (vs(d, 'global.imagePullPolicy') !== '') proxy.imagePullPolicy = vs(d, 'global.imagePullPolicy');
  if (statusPort !== '0') {
    if (truthy(v(d, 'global.proxy.startupProbe.enabled')))
      proxy.startupProbe = { httpGet: { path: '/healthz/ready', port: 15021 }, initialDelaySeconds: 0, periodSeconds: 1, timeoutSeconds: 3, failureThreshold: Number(v(d, 'global.proxy.startupProbe.failureThreshold')) };
    proxy.readinessProbe = {
      httpGet: { path: '/healthz/ready', port: 15021 },
      initialDelaySeconds: Number(annotationOr(d, 'readiness.status.sidecar.istio.io/initialDelaySeconds', v(d, 'global.proxy.readinessInitialDelaySeconds'))),
      periodSeconds: Number(annotationOr(d, 'readiness.status.sidecar.istio.io/periodSeconds', v(d, 'global.proxy.readinessPeriodSeconds'))),
      timeoutSeconds: 3,
      failureThreshold: Number(annotationOr(d, 'readiness.status.sidecar.istio.io/failureThreshold', v(d, 'global.proxy.readinessFailureThreshold'))),
    };
  }
  const tracing = proxyMetadata(d).some(([k, x]) => k === 'IPTABLES_TRACE_LOGGING' && x === 'true');
  if (tracing) {
    proxy.securityContext = { allowPrivilegeEscalation: true, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] }, privileged: true, readOnlyRootFilesystem: true, runAsGroup: d.proxyGID, runAsNonRoot: false, runAsUser: 0 };
  } else {
    const caps: Obj = { drop: ['ALL'] };
    if (tproxy || capNetBind) caps.add = [...(tproxy ? ['NET_ADMIN'] : []), ...(capNetBind ? ['NET_BIND_SERVICE'] : [])];
    proxy.securityContext = {
      allowPrivilegeEscalation: privileged,
      capabilities: caps,
      privileged,
      readOnlyRootFilesystem: true,
      ...(tproxy || capNetBind ? { runAsNonRoot: false, runAsUser: 0, runAsGroup: 1337 } : { runAsNonRoot: true, runAsUser: d.proxyUID, runAsGroup: d.proxyGID }),
    };
  }
  proxy.resources = resources ?? null;
  const istiodCerts = vs(d, 'global.pilotCertProvider') === 'istiod';
  const mounts: Obj[] = [
    { name: 'workload-socket', mountPath: '/var/run/secrets/workload-spiffe-uds' },
    { name: 'credential-socket', mountPath: '/var/run/secrets/credential-uds' },
    { name: 'workload-certs', mountPath: '/var/run/secrets/workload-spiffe-credentials' },
  ];
  if (istiodCerts) {
    mounts.push({ mountPath: '/var/run/secrets/istio', name: 'istiod-ca-cert' });
    if (d.features.caCrlVolume) mounts.push({ mountPath: '/var/run/secrets/istio/crl', name: 'istio-ca-crl' });
  }
  mounts.push(
    { mountPath: '/var/lib/istio/data', name: 'istio-data' },
    { mountPath: '/etc/istio/proxy', name: 'istio-envoy' },
    { mountPath: '/var/run/secrets/tokens', name: 'istio-token' },
    { name: 'istio-podinfo', mountPath: '/etc/istio/pod' },
  );
  const userMounts = userVolumeEntries(a, 'sidecar.istio.io/userVolumeMount');
  if (!userMounts.ok) return err(userMounts.error);
  mounts.push(...userMounts.value);
  proxy.volumeMounts = mounts;

  if (native) initContainers.push(proxy);
  else spec.containers = [proxy];

  // ---- volumes
  const volumes: Obj[] = [
    { emptyDir: null, name: 'workload-socket' },
    { emptyDir: null, name: 'credential-socket' },
    { emptyDir: null, name: 'workload-certs' },
    ...proxyVolumes(d, istiodCerts),
  ];
  if (d.features.caCrlVolume) volumes.push({ name: 'istio-ca-crl', configMap: { name: vs(d, 'pilot.crlConfigMapName') || 'istio-ca-crl', optional: true } });
  const userVolumes = userVolumeEntries(a, 'sidecar.istio.io/userVolume');
  if (!userVolumes.ok) return err(userVolumes.error);
  volumes.push(...userVolumes.value);
  spec.volumes = volumes;
  const pullSecrets = v(d, 'global.imagePullSecrets');
  if (Array.isArray(pullSecrets) && pullSecrets.length > 0) spec.imagePullSecrets = pullSecrets.map((name) => ({ name }));

  return ok({ metadata: { labels, annotations }, spec });
}
