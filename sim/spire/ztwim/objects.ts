/**
 * The Kubernetes objects the ZTWIM operator creates in its namespace, as the generators of
 * ztwim:pkg/controller/<operand>/{statefulset,daemonset,deployments,service,routes,clusterspiffeid,
 * csi_driver,service_account}.go and ztwim:bindata/* build them (research/ztwim-spec.md §6.1).
 *
 * Images: the operator reads them from its `RELATED_IMAGE_*` environment (ztwim:pkg/controller/utils/
 * relatedImages.go); the product's CSV sets them to the Red Hat builds, whose Containerfiles put each
 * binary at the image root (`/spire-server`, `/spire-agent`, `/oidc-discovery-provider`,
 * `/spiffe-csi-driver`; openshift/spiffe-spire Containerfile.*.art, openshift/spiffe-spiffe-csi
 * Containerfile.art). Unverified: the product's tags (the catalog pins digests); the lab uses `v<version>`.
 * Simplified: no RBAC objects, SCCs, ValidatingWebhookConfiguration or proxy environment (OpenShift
 * cluster-wide proxy) — none of them changes what SPIRE does in the lab.
 */
import { COMPONENT_VERSIONS, type ZtwimVersion } from './configs.ts';

type Obj = Record<string, unknown>;
export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } } & Obj;

export const CLASS_NAME = 'zero-trust-workload-identity-manager-spire';
export const MANAGED_BY = 'zero-trust-workload-identity-manager';
export const INSTANCE = 'cluster-zero-trust-workload-identity-manager';

export type Component = 'control-plane' | 'node-agent' | 'csi' | 'discovery';

/** ztwim:pkg/controller/utils/labels.go StandardizedLabels: custom labels first, standard ones win. */
export function standardLabels(name: string, component: Component, version: string, custom: Record<string, string> = {}): Record<string, string> {
  return {
    ...custom,
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': INSTANCE,
    'app.kubernetes.io/part-of': MANAGED_BY,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/managed-by': MANAGED_BY,
    'app.kubernetes.io/version': version,
  };
}

const selectorOf = (labels: Record<string, string>) => ({
  'app.kubernetes.io/name': labels['app.kubernetes.io/name']!,
  'app.kubernetes.io/instance': labels['app.kubernetes.io/instance']!,
  'app.kubernetes.io/component': labels['app.kubernetes.io/component']!,
});

export interface Images {
  readonly spireServer: string;
  readonly spireAgent: string;
  readonly spiffeCsiDriver: string;
  readonly spireOidcDiscoveryProvider: string;
  readonly spireControllerManager: string;
  readonly nodeDriverRegistrar: string;
  readonly spiffeCsiInitContainer: string;
}

const RH = 'registry.redhat.io/zero-trust-workload-identity-manager';

/** The images the product's CSV sets (`RELATED_IMAGE_*`), overridable through the operator's env. */
export function imagesFor(version: ZtwimVersion, env: Readonly<Record<string, string>>): Images {
  const tag = version === '1.0' ? 'v1.0' : 'v0.2';
  return {
    spireServer: env.RELATED_IMAGE_SPIRE_SERVER || `${RH}/spiffe-spire-server-rhel9:${tag}`,
    spireAgent: env.RELATED_IMAGE_SPIRE_AGENT || `${RH}/spiffe-spire-agent-rhel9:${tag}`,
    spiffeCsiDriver: env.RELATED_IMAGE_SPIFFE_CSI_DRIVER || `${RH}/spiffe-csi-driver-rhel9:${tag}`,
    spireOidcDiscoveryProvider: env.RELATED_IMAGE_SPIRE_OIDC_DISCOVERY_PROVIDER || `${RH}/spiffe-spire-oidc-discovery-provider-rhel9:${tag}`,
    spireControllerManager: env.RELATED_IMAGE_SPIRE_CONTROLLER_MANAGER || `${RH}/spiffe-spire-controller-manager-rhel9:${tag}`,
    nodeDriverRegistrar: env.RELATED_IMAGE_NODE_DRIVER_REGISTRAR || 'registry.redhat.io/openshift4/ose-csi-node-driver-registrar-rhel9:latest',
    // utils.GetSpiffeCsiInitContainerImage default.
    spiffeCsiInitContainer: env.RELATED_IMAGE_SPIFFE_CSI_INIT_CONTAINER || 'registry.access.redhat.com/ubi9:latest',
  };
}

export const labelsFor = (version: ZtwimVersion) => {
  const v = COMPONENT_VERSIONS[version];
  return {
    server: (custom?: Record<string, string>) => standardLabels('spire-server', 'control-plane', v.server, custom),
    controllerManager: (custom?: Record<string, string>) => standardLabels('spire-controller-manager', 'control-plane', v.controllerManager, custom),
    agent: (custom?: Record<string, string>) => standardLabels('spire-agent', 'node-agent', v.agent, custom),
    csi: (custom?: Record<string, string>) => standardLabels('spiffe-csi-driver', 'csi', v.csi, custom),
    oidc: (custom?: Record<string, string>) => standardLabels('spiffe-oidc-discovery-provider', 'discovery', v.oidc, custom),
  };
};

const o = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const s = (v: unknown): string => (typeof v === 'string' ? v : '');
/** Common config: nil-safe copies (utils.DerefNodeSelector etc.). */
const scheduling = (spec: Obj): Obj => ({
  ...(spec.affinity !== undefined ? { affinity: spec.affinity } : {}),
  ...(spec.nodeSelector !== undefined ? { nodeSelector: spec.nodeSelector } : {}),
  ...(spec.tolerations !== undefined ? { tolerations: spec.tolerations } : {}),
});
const resources = (spec: Obj): Obj => (spec.resources !== undefined ? { resources: spec.resources } : {});

export function configMap(name: string, namespace: string, labels: Record<string, string>, data: Record<string, string> | undefined, annotations?: Record<string, string>): Manifest {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels, ...(annotations ? { annotations } : {}) }, ...(data ? { data } : {}) };
}

export const serviceAccount = (name: string, namespace: string, labels: Record<string, string>): Manifest => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, labels } });

/** spire-server/statefulset.go GenerateSpireServerStatefulSet. */
export function spireServerStatefulSet(spec: Obj, namespace: string, images: Images, labels: Record<string, string>, serverHash: string, cmHash: string): Manifest {
  const p = o(spec.persistence);
  const ds = o(spec.datastore);
  const fed = spec.federation === undefined ? undefined : o(spec.federation);
  const servingCert = fed !== undefined && o(o(fed.bundleEndpoint).httpsWeb).servingCert !== undefined;
  const serverMounts: Obj[] = [
    { name: 'spire-server-socket', mountPath: '/tmp/spire-server/private' },
    { name: 'spire-config', mountPath: '/run/spire/config', readOnly: true },
    { name: 'spire-data', mountPath: '/run/spire/data' },
    { name: 'server-tmp', mountPath: '/tmp' },
  ];
  const volumes: Obj[] = [
    { name: 'server-tmp', emptyDir: {} },
    { name: 'spire-config', configMap: { name: 'spire-server' } },
    { name: 'spire-server-socket', emptyDir: {} },
    { name: 'spire-controller-manager-tmp', emptyDir: {} },
    { name: 'controller-manager-config', configMap: { name: 'spire-controller-manager' } },
  ];
  if (s(ds.tlsSecretName) !== '') {
    serverMounts.push({ name: 'db-certs', mountPath: '/run/spire/db/certs' });
    volumes.push({ name: 'db-certs', secret: { secretName: s(ds.tlsSecretName) } });
  }
  const ports: Obj[] = [
    { name: 'grpc', containerPort: 8081, protocol: 'TCP' },
    { name: 'server-healthz', containerPort: 8080, protocol: 'TCP' },
  ];
  if (fed) ports.push({ name: 'federation', containerPort: 8443, protocol: 'TCP' });
  if (servingCert) {
    serverMounts.push({ name: 'spire-server-tls', mountPath: '/run/spire/server-tls', readOnly: true });
    volumes.push({ name: 'spire-server-tls', secret: { secretName: 'spire-server-serving-cert' } });
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'spire-server', namespace, labels },
    spec: {
      replicas: 1,
      serviceName: 'spire-server',
      selector: { matchLabels: selectorOf(labels) },
      template: {
        metadata: {
          annotations: {
            'kubectl.kubernetes.io/default-container': 'spire-server',
            'ztwim.openshift.io/spire-server-config-hash': serverHash,
            'ztwim.openshift.io/spire-controller-manager-config-hash': cmHash,
          },
          labels,
        },
        spec: {
          serviceAccountName: 'spire-server',
          containers: [
            {
              name: 'spire-server',
              image: images.spireServer,
              imagePullPolicy: 'IfNotPresent',
              args: ['-expandEnv', '-config', '/run/spire/config/server.conf'],
              env: [{ name: 'PATH', value: '/opt/spire/bin:/bin' }],
              ports,
              livenessProbe: { httpGet: { path: '/live', port: 'server-healthz' }, initialDelaySeconds: 15, periodSeconds: 60, timeoutSeconds: 3, failureThreshold: 2 },
              readinessProbe: { httpGet: { path: '/ready', port: 'server-healthz' }, initialDelaySeconds: 5, periodSeconds: 5 },
              securityContext: { readOnlyRootFilesystem: true },
              ...resources(spec),
              volumeMounts: serverMounts,
            },
            {
              name: 'spire-controller-manager',
              image: images.spireControllerManager,
              imagePullPolicy: 'IfNotPresent',
              args: ['--config=controller-manager-config.yaml'],
              env: [{ name: 'ENABLE_WEBHOOKS', value: 'true' }],
              ports: [
                { name: 'https', containerPort: 9443 },
                { name: 'ctrlmgr-healthz', containerPort: 8083 },
              ],
              livenessProbe: { httpGet: { path: '/healthz', port: 'ctrlmgr-healthz' } },
              readinessProbe: { httpGet: { path: '/readyz', port: 'ctrlmgr-healthz' } },
              securityContext: { readOnlyRootFilesystem: true },
              ...resources(spec),
              volumeMounts: [
                { name: 'spire-server-socket', mountPath: '/tmp/spire-server/private', readOnly: true },
                { name: 'controller-manager-config', mountPath: '/controller-manager-config.yaml', subPath: 'controller-manager-config.yaml', readOnly: true },
                { name: 'spire-controller-manager-tmp', mountPath: '/tmp', subPath: 'spire-controller-manager' },
              ],
            },
          ],
          volumes,
          ...scheduling(spec),
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'spire-data' },
          spec: {
            accessModes: [s(p.accessMode) || 'ReadWriteOnce'],
            ...(s(p.storageClass) !== '' ? { storageClassName: s(p.storageClass) } : {}),
            resources: { requests: { storage: s(p.size) || '1Gi' } },
          },
        },
      ],
    },
  };
}

/** spire-server/service.go getSpireServerService: federation adds port 8443 and the serving-cert annotation. */
export function spireServerService(namespace: string, labels: Record<string, string>, federation: boolean): Manifest {
  const ports: Obj[] = [
    { name: 'grpc', port: 443, targetPort: 'grpc', protocol: 'TCP' },
    { name: 'metrics', port: 9402, targetPort: 9402, protocol: 'TCP' },
  ];
  if (federation) ports.push({ name: 'federation', port: 8443, targetPort: 8443, protocol: 'TCP' });
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'spire-server', namespace, labels, ...(federation ? { annotations: { 'service.beta.openshift.io/serving-cert-secret-name': 'spire-server-serving-cert' } } : {}) },
    spec: { type: 'ClusterIP', ports, selector: { 'app.kubernetes.io/name': 'spire-server', 'app.kubernetes.io/instance': INSTANCE } },
  };
}

/** bindata/spire-controller-manager/…-webhook-service.yaml with the controller's selector (selects no pod: ztwim-spec §6.1). */
export const webhookService = (namespace: string, labels: Record<string, string>): Manifest => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'spire-controller-manager-webhook', namespace, labels },
  spec: { type: 'ClusterIP', ports: [{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }], selector: { 'app.kubernetes.io/name': 'spire-controller-manager', 'app.kubernetes.io/instance': INSTANCE } },
});

/** spire-server/routes.go generateFederationRoute. */
export function federationRoute(fed: Obj, trustDomain: string, labels: Record<string, string>): Manifest {
  const be = o(fed.bundleEndpoint);
  const web = o(be.httpsWeb);
  let tls: Obj | undefined;
  if (be.profile === 'https_spiffe' || (be.profile === 'https_web' && web.acme !== undefined)) tls = { termination: 'passthrough', insecureEdgeTerminationPolicy: 'Redirect' };
  else if (be.profile === 'https_web') {
    tls = { termination: 'reencrypt', insecureEdgeTerminationPolicy: 'Redirect' };
    const ref = s(o(web.servingCert).externalSecretRef);
    if (ref !== '') tls.externalCertificate = { name: ref };
  }
  return {
    apiVersion: 'route.openshift.io/v1',
    kind: 'Route',
    // The hard-coded namespace constant (utils.OperatorNamespace), not OPERATOR_NAMESPACE.
    metadata: { name: 'spire-server-federation', namespace: MANAGED_BY, labels },
    spec: { host: `federation.${trustDomain}`, to: { kind: 'Service', name: 'spire-server', weight: 100 }, port: { targetPort: 'federation' }, ...(tls ? { tls } : {}), wildcardPolicy: 'None' },
  };
}

/** spire-agent/daemonset.go generateSpireAgentDaemonSet (hostNetwork false: main/1.0.1; 1.0.0 had true). */
export function spireAgentDaemonSet(spec: Obj, bundleConfigMap: string, namespace: string, images: Images, labels: Record<string, string>, hash: string): Manifest {
  const v = o(o(spec.workloadAttestors).workloadAttestorsVerification);
  const hostCertDir = v.type === 'hostCert' ? s(v.hostCertBasePath) : v.type === 'auto' ? (s(v.hostCertBasePath) !== '' && s(v.hostCertFileName) !== '' ? s(v.hostCertBasePath) : '/etc/kubernetes') : '';
  const mounts: Obj[] = [
    { name: 'spire-config', mountPath: '/opt/spire/conf/agent', readOnly: true },
    { name: 'spire-agent-persistence', mountPath: '/var/lib/spire' },
    { name: 'spire-bundle', mountPath: '/run/spire/bundle', readOnly: true },
    { name: 'spire-agent-socket-dir', mountPath: '/tmp/spire-agent/public' },
    { name: 'spire-token', mountPath: '/var/run/secrets/tokens' },
  ];
  const volumes: Obj[] = [
    { name: 'spire-config', configMap: { name: 'spire-agent' } },
    { name: 'spire-agent-admin-socket-dir', emptyDir: {} },
    { name: 'spire-agent-persistence', emptyDir: {} },
    { name: 'spire-bundle', configMap: { name: bundleConfigMap } },
    { name: 'spire-token', projected: { sources: [{ serviceAccountToken: { path: 'spire-agent', expirationSeconds: 7200, audience: 'spire-server' } }] } },
    { name: 'spire-agent-socket-dir', hostPath: { path: s(spec.socketPath) || '/run/spire/agent-sockets', type: 'DirectoryOrCreate' } },
  ];
  if (hostCertDir !== '') {
    volumes.push({ name: 'kubelet-ca', hostPath: { path: hostCertDir, type: 'Directory' } });
    mounts.push({ name: 'kubelet-ca', mountPath: hostCertDir, readOnly: true });
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'spire-agent', namespace, labels },
    spec: {
      selector: { matchLabels: selectorOf(labels) },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { annotations: { 'kubectl.kubernetes.io/default-container': 'spire-agent', 'ztwim.openshift.io/spire-agent-config-hash': hash }, labels },
        spec: {
          hostPID: true,
          hostNetwork: false,
          dnsPolicy: 'ClusterFirst',
          serviceAccountName: 'spire-agent',
          containers: [
            {
              name: 'spire-agent',
              image: images.spireAgent,
              imagePullPolicy: 'IfNotPresent',
              args: ['-config', '/opt/spire/conf/agent/agent.conf'],
              env: [
                { name: 'PATH', value: '/opt/spire/bin:/bin' },
                { name: 'MY_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
              ],
              ports: [{ name: 'healthz', containerPort: 9982 }],
              livenessProbe: { httpGet: { path: '/live', port: 'healthz' }, initialDelaySeconds: 15, periodSeconds: 60 },
              readinessProbe: { httpGet: { path: '/ready', port: 'healthz' }, initialDelaySeconds: 10, periodSeconds: 30 },
              volumeMounts: mounts,
              ...resources(spec),
              securityContext: { allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
            },
          ],
          ...scheduling(spec),
          volumes,
        },
      },
    },
  };
}

export const agentService = (namespace: string, labels: Record<string, string>): Manifest => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'spire-agent', namespace, labels },
  spec: { type: 'ClusterIP', ports: [{ name: 'metrics', port: 9402, targetPort: 9402, protocol: 'TCP' }], selector: { 'app.kubernetes.io/name': 'spire-agent', 'app.kubernetes.io/instance': INSTANCE } },
});

/** spiffe-csi-driver/daemonset.go generateSpiffeCsiDriverDaemonSet. */
export function csiDriverDaemonSet(spec: Obj, namespace: string, images: Images, labels: Record<string, string>, version: ZtwimVersion): Manifest {
  const plugin = s(spec.pluginName) || 'csi.spiffe.io';
  // 0.2's default agentSocketPath is the socket *file*; the hostPath is that path either way.
  const socketDir = s(spec.agentSocketPath) || (version === '0.2' ? '/run/spire/agent-sockets/spire-agent.sock' : '/run/spire/agent-sockets');
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'spire-spiffe-csi-driver', namespace, labels },
    spec: {
      selector: { matchLabels: selectorOf(labels) },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: 'spire-spiffe-csi-driver',
          ...scheduling(spec),
          initContainers: [
            {
              name: 'set-context',
              image: images.spiffeCsiInitContainer,
              command: ['chcon', '-Rvt', 'container_file_t', 'spire-agent-socket/'],
              imagePullPolicy: 'Always',
              securityContext: { privileged: true, capabilities: { drop: ['all'] } },
              volumeMounts: [{ name: 'spire-agent-socket-dir', mountPath: '/spire-agent-socket' }],
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
            },
          ],
          containers: [
            {
              name: 'spiffe-csi-driver',
              image: images.spiffeCsiDriver,
              args: ['-workload-api-socket-dir', '/spire-agent-socket', '-plugin-name', plugin, '-csi-socket-path', '/spiffe-csi/csi.sock'],
              imagePullPolicy: 'IfNotPresent',
              env: [{ name: 'MY_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
              securityContext: { readOnlyRootFilesystem: true, privileged: true, capabilities: { drop: ['all'] } },
              ...resources(spec),
              volumeMounts: [
                { name: 'spire-agent-socket-dir', mountPath: '/spire-agent-socket', readOnly: true },
                { name: 'spiffe-csi-socket-dir', mountPath: '/spiffe-csi' },
                { name: 'mountpoint-dir', mountPath: '/var/lib/kubelet/pods', mountPropagation: 'Bidirectional' },
              ],
            },
            {
              name: 'node-driver-registrar',
              image: images.nodeDriverRegistrar,
              args: ['-csi-address', '/spiffe-csi/csi.sock', '-kubelet-registration-path', `/var/lib/kubelet/plugins/${plugin}/csi.sock`, '-health-port', '9809'],
              imagePullPolicy: 'IfNotPresent',
              volumeMounts: [
                { name: 'spiffe-csi-socket-dir', mountPath: '/spiffe-csi' },
                { name: 'kubelet-plugin-registration-dir', mountPath: '/registration' },
              ],
              ports: [{ containerPort: 9809, name: 'healthz' }],
              ...resources(spec),
              livenessProbe: { httpGet: { path: '/healthz', port: 'healthz' }, initialDelaySeconds: 5, timeoutSeconds: 5 },
              securityContext: { privileged: true, capabilities: { drop: ['all'] } },
            },
          ],
          volumes: [
            { name: 'spire-agent-socket-dir', hostPath: { path: socketDir, type: 'DirectoryOrCreate' } },
            { name: 'spiffe-csi-socket-dir', hostPath: { path: `/var/lib/kubelet/plugins/${plugin}`, type: 'DirectoryOrCreate' } },
            { name: 'mountpoint-dir', hostPath: { path: '/var/lib/kubelet/pods', type: 'Directory' } },
            { name: 'kubelet-plugin-registration-dir', hostPath: { path: '/var/lib/kubelet/plugins_registry', type: 'Directory' } },
          ],
        },
      },
    },
  };
}

/** bindata/spiffe-csi/spiffe-csi-csi-driver.yaml with the plugin name. */
export const csiDriverObject = (plugin: string, labels: Record<string, string>): Manifest => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'CSIDriver',
  metadata: { name: plugin, labels: { ...labels, 'security.openshift.io/csi-ephemeral-volume-profile': 'restricted' } },
  spec: { attachRequired: false, podInfoOnMount: true, fsGroupPolicy: 'None', volumeLifecycleModes: ['Ephemeral'] },
});

/** spire-oidc-discovery-provider/deployments.go generateDeployment. */
export function oidcDeployment(spec: Obj, namespace: string, images: Images, labels: Record<string, string>, hash: string): Manifest {
  const replicas = typeof spec.replicaCount === 'number' && spec.replicaCount > 0 ? spec.replicaCount : 1;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'spire-spiffe-oidc-discovery-provider', namespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: selectorOf(labels) },
      template: {
        metadata: { labels, annotations: { 'ztwim.openshift.io/spire-oidc-discovery-provider-config-hash': hash } },
        spec: {
          serviceAccountName: 'spire-spiffe-oidc-discovery-provider',
          volumes: [
            { name: 'spiffe-workload-api', csi: { driver: s(spec.csiDriverName) || 'csi.spiffe.io', readOnly: true } },
            { name: 'spire-oidc-sockets', emptyDir: {} },
            { name: 'spire-oidc-config', configMap: { name: 'spire-spiffe-oidc-discovery-provider' } },
            { name: 'tls-certs', secret: { secretName: 'oidc-serving-cert' } },
          ],
          containers: [
            {
              name: 'spiffe-oidc-discovery-provider',
              image: images.spireOidcDiscoveryProvider,
              imagePullPolicy: 'IfNotPresent',
              args: ['-config', '/run/spire/oidc/config/oidc-discovery-provider.conf'],
              ports: [
                { name: 'healthz', containerPort: 8008, protocol: 'TCP' },
                { name: 'https', containerPort: 8443, protocol: 'TCP' },
              ],
              volumeMounts: [
                { name: 'spiffe-workload-api', mountPath: '/spiffe-workload-api', readOnly: true },
                { name: 'spire-oidc-sockets', mountPath: '/run/spire/oidc-sockets' },
                { name: 'spire-oidc-config', mountPath: '/run/spire/oidc/config/oidc-discovery-provider.conf', subPath: 'oidc-discovery-provider.conf', readOnly: true },
                { name: 'tls-certs', mountPath: '/etc/oidc/tls', readOnly: true },
              ],
              readinessProbe: { httpGet: { path: '/ready', port: 'healthz', scheme: 'HTTP' }, initialDelaySeconds: 5, periodSeconds: 5 },
              livenessProbe: { httpGet: { path: '/live', port: 'healthz', scheme: 'HTTP' }, initialDelaySeconds: 5, periodSeconds: 5 },
              securityContext: { readOnlyRootFilesystem: true },
              ...resources(spec),
            },
          ],
          ...scheduling(spec),
        },
      },
    },
  };
}

export const oidcService = (namespace: string, labels: Record<string, string>): Manifest => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'spire-spiffe-oidc-discovery-provider', namespace, labels, annotations: { 'service.beta.openshift.io/serving-cert-secret-name': 'oidc-serving-cert' } },
  spec: { type: 'ClusterIP', ports: [{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }], selector: { 'app.kubernetes.io/name': 'spiffe-oidc-discovery-provider', 'app.kubernetes.io/instance': INSTANCE } },
});

/** spire-oidc-discovery-provider/routes.go: host = jwtIssuer without scheme, reencrypt + Redirect. */
export function oidcRoute(spec: Obj, namespace: string, labels: Record<string, string>, host: string): Manifest {
  const ref = s(spec.externalSecretRef);
  return {
    apiVersion: 'route.openshift.io/v1',
    kind: 'Route',
    metadata: { name: 'spire-oidc-discovery-provider', namespace, labels },
    spec: {
      host,
      to: { kind: 'Service', name: 'spire-spiffe-oidc-discovery-provider', weight: 100 },
      port: { targetPort: 'https' },
      tls: { termination: 'reencrypt', insecureEdgeTerminationPolicy: 'Redirect', ...(ref !== '' ? { externalCertificate: { name: ref } } : {}) },
      wildcardPolicy: 'None',
    },
  };
}

const SPIFFE_ID_TEMPLATE = 'spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}';

/** clusterspiffeid.go generateSpireIODCDiscoveryProviderSpiffeID and generateDefaultFallbackClusterSPIFFEID. */
export function operatorClusterSpiffeIds(namespace: string, labels: Record<string, string>): Manifest[] {
  return [
    {
      apiVersion: 'spire.spiffe.io/v1alpha1',
      kind: 'ClusterSPIFFEID',
      metadata: { name: 'zero-trust-workload-identity-manager-spire-oidc-discovery-provider', labels },
      spec: {
        className: CLASS_NAME,
        hint: 'oidc-discovery-provider',
        spiffeIDTemplate: SPIFFE_ID_TEMPLATE,
        dnsNameTemplates: ['oidc-discovery.{{ .TrustDomain }}'],
        autoPopulateDNSNames: true,
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'spiffe-oidc-discovery-provider', 'app.kubernetes.io/instance': INSTANCE, 'app.kubernetes.io/component': 'discovery' } },
        namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [namespace] }] },
      },
    },
    {
      apiVersion: 'spire.spiffe.io/v1alpha1',
      kind: 'ClusterSPIFFEID',
      metadata: { name: 'zero-trust-workload-identity-manager-spire-default', labels },
      spec: {
        className: CLASS_NAME,
        hint: 'default',
        spiffeIDTemplate: SPIFFE_ID_TEMPLATE,
        fallback: true,
        namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [namespace] }] },
      },
    },
  ];
}
