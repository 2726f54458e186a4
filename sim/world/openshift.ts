/**
 * The OpenShift platform of a cluster: Route admission and the default router (with its ingress and
 * service CA certificates), OLM, the service CA operator, and the operators OLM installs — today the
 * Zero Trust Workload Identity Manager, started (or reconfigured) when its CSV succeeds, with the env the
 * Subscription set (how CREATE_ONLY_MODE reaches it).
 */
import type { Clock } from '../core/clock.ts';
import type { EventLog } from '../core/events.ts';
import type { Rng } from '../core/rng.ts';
import type { TaskTracker } from '../core/tasks.ts';
import { createGlobalOperators, createIngressCertificates, defaultCatalog, publishIngressCertificates, startOlm, startRouteAdmission, type EnvVar, type IngressCertificates, type Olm } from '../openshift/index.ts';
import { startZtwimOperator } from '../spire/ztwim/index.ts';
import type { ClusterRuntime } from './cluster.ts';
import { ServiceCa } from './serviceCa.ts';

export const ZTWIM_PACKAGE = 'openshift-zero-trust-workload-identity-manager';

export class OpenShiftPlatform {
  readonly olm: Olm;
  ingress?: IngressCertificates;
  private ztwim?: ReturnType<typeof startZtwimOperator>;

  private constructor(
    readonly cluster: ClusterRuntime,
    private readonly deps: { clock: Clock; rng: Rng; events: EventLog; crypto: Crypto; tasks: TaskTracker },
  ) {
    const { store, spec } = cluster;
    startRouteAdmission(store);
    this.olm = startOlm(store, { clock: deps.clock, rng: deps.rng.fork('olm'), events: deps.events, name: spec.name, catalog: defaultCatalog({ ...(spec.versions.ztwim ? { ztwimVersion: spec.versions.ztwim } : {}), ...(spec.versions.ossm ? { ossmVersion: spec.versions.ossm } : {}) }) });
    this.olm.onOperatorInstalled((pkg, namespace, env) => {
      if (pkg === ZTWIM_PACKAGE) this.ztwimInstalled(namespace, env);
    });
  }

  static async start(cluster: ClusterRuntime, deps: { clock: Clock; rng: Rng; events: EventLog; crypto: Crypto; tasks: TaskTracker }): Promise<OpenShiftPlatform> {
    const platform = new OpenShiftPlatform(cluster, deps);
    const baseDomain = cluster.spec.baseDomain ?? `${cluster.spec.name}.example.com`;
    platform.ingress = await createIngressCertificates(deps.crypto, { appsDomain: `apps.${baseDomain}`, now: deps.clock.now(), rng: deps.rng.fork('ingress') });
    await publishIngressCertificates(cluster.store, deps.crypto, platform.ingress);
    createGlobalOperators(cluster.store);
    new ServiceCa({ store: cluster.store, clock: deps.clock, rng: deps.rng.fork('service-ca'), crypto: deps.crypto, tasks: deps.tasks, signer: platform.ingress.serviceCa });
    cluster.store.settle();
    return platform;
  }

  /** The operator's pod runs (or rolled out with a new env): start it, or hand it the new env. */
  private ztwimInstalled(namespace: string, env: readonly EnvVar[]): void {
    // valueFrom entries (OPERATOR_NAMESPACE) stay unresolved; the operator reads only plain values.
    const plain = Object.fromEntries(env.filter((e) => typeof e.value === 'string').map((e) => [e.name, e.value!]));
    if (this.ztwim) {
      this.ztwim.setEnv(plain);
      return;
    }
    const { clock, rng, events } = this.deps;
    const version = this.cluster.spec.versions.ztwim?.startsWith('0.2') ? '0.2' : '1.0';
    this.ztwim = startZtwimOperator({
      store: this.cluster.store,
      namespace,
      version,
      env: plain,
      clock,
      rng: rng.fork('ztwim'),
      events,
      log: (line) => {
        const pod = this.cluster.store.scan('Pod', namespace).find((p) => p.metadata.name.startsWith('zero-trust-workload-identity-manager'));
        if (pod) this.cluster.appendLog(namespace, pod.metadata.name, 'manager', line);
      },
    });
  }
}
