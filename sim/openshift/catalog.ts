/**
 * The operator catalogue the lab's OLM installs from, without any download: for each package of the
 * default OpenShift catalog sources that a SPIRE/Istio lab meets, its channels, the CSV a channel head
 * resolves to, and the CSV's install strategy (the operator Deployment).
 *
 * Facts and where they come from:
 * - ZTWIM: CSV `zero-trust-workload-identity-manager.v1.0.0` (release-1.0.0, commit bb9b548e) and
 *   `.v1.0.1` (main, commit e3911586): displayName `Zero Trust Workload Identity Manager`, no `replaces`,
 *   install modes OwnNamespace/SingleNamespace/AllNamespaces (MultiNamespace unsupported), Deployment
 *   `zero-trust-workload-identity-manager-controller-manager` with container `manager` and env
 *   OPERATOR_NAMESPACE (fieldRef `metadata.annotations['olm.operatorNamespace']`), OPERATOR_NAME,
 *   OPERATOR_VERSION, RELATED_IMAGE_*, OPERATOR_LOG_LEVEL, METRICS_* (ztwim:bundle/manifests/
 *   zero-trust-workload-identity-manager.clusterserviceversion.yaml).
 * - Product catalogue names (package `openshift-zero-trust-workload-identity-manager`, channel
 *   `stable-v1`, source `redhat-operators`) are the guides' (seeds 001, ztwim-spec.md §1: not in the
 *   upstream repository, whose bundle says package `zero-trust-workload-identity-manager`, channel `alpha`).
 * - OSSM 3: package `servicemeshoperator3`, channel `stable`, CSV `servicemeshoperator3.v3.2.x`
 *   (ztwim-spec.md §9.3), operator Deployment `servicemesh-operator3`.
 * Unverified (no product bundle at hand): the product image paths, and the OSSM Deployment's labels and
 * container (taken from the upstream sail-operator layout).
 * Simplified: one version per channel (no upgrade graph, no `replaces` chains, no skipRange); the
 * Deployments carry only what the lab reads (names, labels, env, image, service account).
 */

export interface CatalogDeployment {
  readonly name: string;
  readonly serviceAccountName: string;
  /** The Deployment spec as the CSV's install strategy writes it. */
  readonly spec: Record<string, unknown>;
  readonly labels: Readonly<Record<string, string>>;
}

export interface CatalogBundle {
  /** The CSV's metadata.name, `<package>.v<version>`. */
  readonly csvName: string;
  readonly version: string;
  readonly displayName: string;
  readonly replaces?: string;
  readonly provider: string;
  /** installModes: which OperatorGroup target sets the operator supports. */
  readonly installModes: Readonly<Record<'OwnNamespace' | 'SingleNamespace' | 'MultiNamespace' | 'AllNamespaces', boolean>>;
  readonly deployments: readonly CatalogDeployment[];
}

export interface CatalogPackage {
  /** Subscription `spec.name`. */
  readonly name: string;
  /** Catalog source (`spec.source`) that carries the package. */
  readonly source: string;
  readonly defaultChannel: string;
  readonly channels: Readonly<Record<string, CatalogBundle>>;
}

/** The OpenShift default catalog sources, all in `openshift-marketplace`. */
export const DEFAULT_CATALOG_SOURCES = ['redhat-operators', 'certified-operators', 'community-operators', 'redhat-marketplace'] as const;
export const MARKETPLACE_NAMESPACE = 'openshift-marketplace';

const env = (name: string, value: string) => ({ name, value });

const RH_IMAGES = 'registry.redhat.io/zero-trust-workload-identity-manager';

function ztwimBundle(version: '1.0.0' | '1.0.1'): CatalogBundle {
  const name = 'zero-trust-workload-identity-manager-controller-manager';
  const minor = version.split('.').slice(0, 2).join('.');
  const labels = { name: 'zero-trust-workload-identity-manager' };
  return {
    csvName: `zero-trust-workload-identity-manager.v${version}`,
    version,
    displayName: 'Zero Trust Workload Identity Manager',
    provider: 'Red Hat',
    installModes: { OwnNamespace: true, SingleNamespace: true, MultiNamespace: false, AllNamespaces: true },
    deployments: [
      {
        name,
        serviceAccountName: name,
        labels: {
          'app.kubernetes.io/component': 'manager',
          'app.kubernetes.io/created-by': 'zero-trust-workload-identity-manager',
          'app.kubernetes.io/instance': 'controller-manager',
          'app.kubernetes.io/managed-by': 'kustomize',
          'app.kubernetes.io/name': 'deployment',
          'app.kubernetes.io/part-of': 'zero-trust-workload-identity-manager',
          name: 'zero-trust-workload-identity-manager',
        },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          strategy: {},
          template: {
            metadata: { annotations: { 'kubectl.kubernetes.io/default-container': 'zero-trust-workload-identity-manager' }, labels },
            spec: {
              containers: [
                {
                  name: 'manager',
                  image: `${RH_IMAGES}/zero-trust-workload-identity-manager-rhel9-operator:v${version}`,
                  command: ['/usr/bin/zero-trust-workload-identity-manager'],
                  args: ['--health-probe-bind-address=:8081', '--v=$(OPERATOR_LOG_LEVEL)', '--metrics-bind-address=$(METRICS_BIND_ADDRESS)', '--metrics-secure=$(METRICS_SECURE)', '--metrics-cert-dir=/etc/metrics-certs'],
                  env: [
                    { name: 'OPERATOR_NAMESPACE', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['olm.operatorNamespace']" } } },
                    env('OPERATOR_NAME', 'zero-trust-workload-identity-manager'),
                    env('OPERATOR_VERSION', version),
                    // The redhat-operators CSV points at the product's images (the community bundle in the
                    // repository uses ghcr.io ones): binaries at the image root, e.g. /spire-server (G16).
                    env('RELATED_IMAGE_SPIRE_SERVER', `${RH_IMAGES}/spiffe-spire-server-rhel9:v${minor}`),
                    env('RELATED_IMAGE_SPIRE_AGENT', `${RH_IMAGES}/spiffe-spire-agent-rhel9:v${minor}`),
                    env('RELATED_IMAGE_SPIFFE_CSI_DRIVER', `${RH_IMAGES}/spiffe-csi-driver-rhel9:v${minor}`),
                    env('RELATED_IMAGE_SPIRE_OIDC_DISCOVERY_PROVIDER', `${RH_IMAGES}/spiffe-spire-oidc-discovery-provider-rhel9:v${minor}`),
                    env('RELATED_IMAGE_SPIRE_CONTROLLER_MANAGER', `${RH_IMAGES}/spiffe-spire-controller-manager-rhel9:v${minor}`),
                    env('RELATED_IMAGE_NODE_DRIVER_REGISTRAR', 'registry.redhat.io/openshift4/ose-csi-node-driver-registrar-rhel9:latest'),
                    env('RELATED_IMAGE_SPIFFE_CSI_INIT_CONTAINER', 'registry.access.redhat.com/ubi9:latest'),
                    env('OPERATOR_LOG_LEVEL', '2'),
                    env('METRICS_BIND_ADDRESS', ':8443'),
                    env('METRICS_SECURE', 'true'),
                  ],
                  ports: [
                    { containerPort: 8443, name: 'https', protocol: 'TCP' },
                    { containerPort: 8080, name: 'http', protocol: 'TCP' },
                  ],
                },
              ],
              serviceAccountName: name,
              terminationGracePeriodSeconds: 10,
            },
          },
        },
      },
    ],
  };
}

function ossmBundle(version: string): CatalogBundle {
  const name = 'servicemesh-operator3';
  const labels = { 'app.kubernetes.io/name': 'sail-operator', 'app.kubernetes.io/part-of': 'sail-operator', 'control-plane': 'servicemesh-operator3' };
  return {
    csvName: `servicemeshoperator3.v${version}`,
    version,
    displayName: 'Red Hat OpenShift Service Mesh 3',
    provider: 'Red Hat, Inc.',
    installModes: { OwnNamespace: false, SingleNamespace: false, MultiNamespace: false, AllNamespaces: true },
    deployments: [
      {
        name,
        serviceAccountName: 'servicemesh-operator3',
        labels,
        spec: {
          replicas: 1,
          selector: { matchLabels: { 'app.kubernetes.io/name': 'sail-operator', 'control-plane': 'servicemesh-operator3' } },
          template: {
            metadata: { labels },
            spec: {
              containers: [
                {
                  name: 'sail-operator',
                  image: `registry.redhat.io/openshift-service-mesh/istio-rhel9-operator:${version}`,
                  args: ['--health-probe-bind-address=:8081', '--metrics-bind-address=:8443', '--zap-log-level=info'],
                  env: [{ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
                },
              ],
              serviceAccountName: 'servicemesh-operator3',
            },
          },
        },
      },
    ],
  };
}

/** The packages of the lab's catalogue. `ztwimVersion` picks the ZTWIM CSV (the cluster's `versions.ztwim`). */
export function defaultCatalog(opts: { ztwimVersion?: string; ossmVersion?: string } = {}): CatalogPackage[] {
  const ztwim = ztwimBundle(opts.ztwimVersion === '1.0.1' ? '1.0.1' : '1.0.0');
  return [
    { name: 'openshift-zero-trust-workload-identity-manager', source: 'redhat-operators', defaultChannel: 'stable-v1', channels: { 'stable-v1': ztwim, stable: ztwim } },
    { name: 'servicemeshoperator3', source: 'redhat-operators', defaultChannel: 'stable', channels: { stable: ossmBundle(opts.ossmVersion ?? '3.2.5'), 'stable-3.2': ossmBundle(opts.ossmVersion ?? '3.2.5') } },
  ];
}
