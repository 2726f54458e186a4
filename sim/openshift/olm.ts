/**
 * Operator Lifecycle Manager on an OpenShift cluster: a Subscription installs its operator from the
 * lab's catalogue (no catalogue download, no bundle unpack job) through an InstallPlan and a
 * ClusterServiceVersion, whose phases move on the virtual clock; the CSV's Deployment gets the
 * Subscription's `spec.config` (env first: how CREATE_ONLY_MODE reaches the ZTWIM operator).
 *
 * Rules and where they come from (operator-framework/operator-lifecycle-manager at 992bb097):
 * - Resolution (pkg/controller/registry/resolver/resolver.go, catalog/operator.go): an unknown source,
 *   package, channel or startingCSV → Subscription condition `ResolutionFailed=True`
 *   `ConstraintsNotSatisfiable` `constraints not satisfiable: no operators found … , subscription X exists`
 *   (solver.NotSatisfiable). Resolution does not need an OperatorGroup.
 * - InstallPlan `install-xxxxx` (generateName) owned by the Subscription; `Automatic` approval → approved
 *   and executed (phase Installing → Complete); `Manual` → `RequiresApproval` until `spec.approved: true`.
 *   Subscription states (api pkg/operators/v1alpha1/subscription_types.go): UpgradePending while the
 *   plan runs or waits, AtLatestKnown once the CSV is installed.
 * - CSV phases (pkg/controller/operators/olm/operator.go transitionCSVState, SetPhase keeps a condition
 *   per phase/reason change): Pending/RequirementsUnknown `requirements not yet checked` →
 *   InstallReady/AllRequirementsMet `all requirements found, attempting install` → Installing/
 *   InstallSucceeded `waiting for install components to report healthy` (InstallWaiting while the
 *   Deployment is not available) → Succeeded/InstallSucceeded `install strategy completed with no errors`.
 * - OperatorGroups (operatorGroupForCSV): none in the namespace → Failed/NoOperatorGroup `csv in namespace
 *   with no operatorgroups`; several → Failed/TooManyOperatorGroups; a target set the CSV's installModes do
 *   not support → Failed/UnsupportedOperatorGroup (api InstallModeSet.Supports wording). A later
 *   OperatorGroup re-queues the CSV, which then installs.
 * - spec.config (pkg/controller/operators/olm/overrides/inject/inject.go): env merged into every container,
 *   same names overridden in place, new ones appended in Subscription order; envFrom likewise;
 *   nodeSelector/tolerations/resources replaced. A changed Subscription config rolls the Deployment.
 * - The Deployment: owned by the CSV (controller=false), labels `olm.managed`, `olm.owner*`,
 *   `operators.coreos.com/<package>.<namespace>`; pod template annotations `olm.operatorGroup`,
 *   `olm.operatorNamespace`, `olm.targetNamespaces` (the ZTWIM CSV reads OPERATOR_NAMESPACE from the second).
 * Simplified: no CatalogSource objects or health, no bundle unpack Jobs, no upgrades or `replaces`
 * chains, no copied CSVs in watched namespaces, no RBAC from the CSV's permissions (only its
 * ServiceAccount), no OperatorCondition objects, no `install timeout` after 5 minutes. Delays are short
 * fixed values, not measured ones.
 */
import type { Clock } from '../core/clock.ts';
import type { EventLog } from '../core/events.ts';
import type { Rng } from '../core/rng.ts';
import { deepEqual, isPlainObject, rfc3339, type KubeObject } from '../kube/object.ts';
import type { ClusterStore, WatchEvent } from '../kube/store.ts';
import { DEFAULT_CATALOG_SOURCES, MARKETPLACE_NAMESPACE, defaultCatalog, type CatalogBundle, type CatalogPackage } from './catalog.ts';

export const OLM_GROUP = 'operators.coreos.com';

export const CSV_KIND = { group: OLM_GROUP, version: 'v1alpha1', kind: 'ClusterServiceVersion', plural: 'clusterserviceversions', singular: 'clusterserviceversion', shortNames: ['csv', 'csvs'], namespaced: true, hasStatus: true } as const;
export const INSTALL_PLAN_KIND = { group: OLM_GROUP, version: 'v1alpha1', kind: 'InstallPlan', plural: 'installplans', singular: 'installplan', shortNames: ['ip'], namespaced: true, hasStatus: true } as const;
export const OPERATOR_GROUP_KIND = { group: OLM_GROUP, version: 'v1', kind: 'OperatorGroup', plural: 'operatorgroups', singular: 'operatorgroup', shortNames: ['og'], namespaced: true, hasStatus: true } as const;

/**
 * `oc get csv` columns: the additionalPrinterColumns of operator-framework/api
 * crds/operators.coreos.com_clusterserviceversions.yaml (v1alpha1), in the crdPrinterColumns.json shape.
 */
export const OLM_PRINTER_COLUMNS = {
  'operators.coreos.com/ClusterServiceVersion': {
    v1alpha1: [
      { name: 'Display', type: 'string', jsonPath: '.spec.displayName' },
      { name: 'Version', type: 'string', jsonPath: '.spec.version' },
      { name: 'Replaces', type: 'string', jsonPath: '.spec.replaces' },
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    ],
  },
} as const;

/** Delays on the virtual clock (ms). Short, realistic orders of magnitude for a cluster with the catalogue cached. */
export const OLM_DELAYS = {
  /** Subscription seen → resolved and InstallPlan created. */
  resolve: 3_000,
  /** InstallPlan approved → executed (CSV created). */
  execute: 2_000,
  /** Each CSV phase step (Pending → InstallReady → Installing). */
  phase: 1_000,
  /** Installing: earliest Succeeded (the pod start the Deployment reports). */
  minInstalling: 5_000,
} as const;

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: unknown;
}

/** Called when a CSV reaches Succeeded, and again whenever the operator's env changes (rolled out). */
export type OperatorInstalledCallback = (pkg: string, namespace: string, env: readonly EnvVar[]) => void;

export interface OlmOptions {
  readonly clock: Pick<Clock, 'now' | 'setTimeout'>;
  readonly rng: Rng;
  readonly events?: EventLog;
  /** Cluster name, for event sources (`<name>/olm-operator`). */
  readonly name?: string;
  readonly catalog?: readonly CatalogPackage[];
}

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (isPlainObject(v) ? v : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

interface SubscriptionView {
  readonly name: string;
  readonly namespace: string;
  readonly pkg: string;
  readonly source: string;
  readonly sourceNamespace: string;
  readonly channel: string;
  readonly startingCSV: string;
  readonly approval: 'Automatic' | 'Manual';
  readonly config: Rec;
}

function viewOf(sub: KubeObject): SubscriptionView {
  const s = rec(sub.spec);
  return {
    name: sub.metadata.name,
    namespace: sub.metadata.namespace ?? 'default',
    pkg: str(s.name),
    source: str(s.source),
    sourceNamespace: str(s.sourceNamespace),
    channel: str(s.channel),
    startingCSV: str(s.startingCSV),
    approval: s.installPlanApproval === 'Manual' ? 'Manual' : 'Automatic',
    config: rec(s.config),
  };
}

/**
 * `operators.coreos.com/<package>.<namespace>` with the name part cut to 63 characters
 * (pkg/controller/operators/decorators/operator.go ComponentLabelKey).
 */
export function componentLabelKey(pkg: string, namespace: string): string {
  let name = `${pkg}.${namespace}`;
  if (name.length > 63) name = name.slice(0, 63).replace(/[-_.]+$/, '');
  return `operators.coreos.com/${name}`;
}

/** inject.go mergeEnvVars: existing names keep their place (new value), new names appended in order. */
export function mergeEnv(existing: readonly EnvVar[], extra: readonly EnvVar[]): EnvVar[] {
  const merged = new Map<string, EnvVar>();
  for (const e of existing) merged.set(e.name, e);
  for (const e of extra) merged.set(e.name, e);
  const out: EnvVar[] = [];
  for (const e of existing) {
    const v = merged.get(e.name);
    if (v) {
      out.push(v);
      merged.delete(e.name);
    }
  }
  for (const e of extra) {
    const v = merged.get(e.name);
    if (v) {
      out.push(v);
      merged.delete(e.name);
    }
  }
  return out;
}

export class Olm {
  private readonly catalog: readonly CatalogPackage[];
  private readonly listeners = new Set<OperatorInstalledCallback>();
  /** Last env reported per CSV (`ns/csv`), so that only changes re-notify. */
  private readonly reported = new Map<string, string>();
  private readonly timers = new Set<string>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly source: string;

  constructor(
    private readonly store: ClusterStore,
    private readonly opts: OlmOptions,
  ) {
    this.catalog = opts.catalog ?? defaultCatalog();
    this.source = `${opts.name ?? 'cluster'}/olm-operator`;
    store.registerKind({ ...CSV_KIND, shortNames: [...CSV_KIND.shortNames] });
    store.registerKind({ ...INSTALL_PLAN_KIND, shortNames: [...INSTALL_PLAN_KIND.shortNames] });
    store.registerKind({ ...OPERATOR_GROUP_KIND, shortNames: [...OPERATOR_GROUP_KIND.shortNames] });
    this.unsubscribe.push(
      store.watch({ kind: { group: OLM_GROUP, kind: 'Subscription' } }, (e) => this.onSubscription(e)),
      store.watch({ kind: { group: OLM_GROUP, kind: 'InstallPlan' } }, (e) => this.onInstallPlan(e)),
      store.watch({ kind: { group: OLM_GROUP, kind: 'OperatorGroup' } }, (e) => this.onOperatorGroup(e)),
      store.watch({ kind: { group: OLM_GROUP, kind: 'ClusterServiceVersion' } }, (e) => this.onCsv(e)),
      store.watch({ kind: 'Deployment' }, (e) => this.onDeployment(e)),
    );
    // Subscriptions that exist already (applied before OLM started).
    for (const sub of store.scan({ group: OLM_GROUP, kind: 'Subscription' })) this.schedule(`resolve/${sub.metadata.namespace}/${sub.metadata.name}`, OLM_DELAYS.resolve, () => this.resolve(sub.metadata.namespace ?? 'default', sub.metadata.name));
    store.settle();
  }

  /** Registers the hook the world uses to start operator models; returns the unsubscribe function. */
  onOperatorInstalled(cb: OperatorInstalledCallback): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  stop(): void {
    for (const u of this.unsubscribe) u();
    this.unsubscribe.length = 0;
  }

  // ------------------------------------------------------------ catalog operator: resolution

  private schedule(key: string, ms: number, fn: () => void): void {
    if (this.timers.has(key)) return;
    this.timers.add(key);
    this.opts.clock.setTimeout(
      () => {
        this.timers.delete(key);
        fn();
        this.store.settle();
      },
      ms,
      `${this.source}/${key}`,
    );
  }

  private emit(type: string, data: Record<string, unknown>): void {
    this.opts.events?.emit(type, this.source, data);
  }

  private onSubscription(e: WatchEvent): void {
    const sub = e.object;
    const ns = sub.metadata.namespace ?? 'default';
    if (e.type === 'DELETED') return;
    if (e.type === 'ADDED' || !deepEqual(rec(e.oldObject?.spec).name, rec(sub.spec).name) || !deepEqual(rec(e.oldObject?.spec).channel, rec(sub.spec).channel) || !deepEqual(rec(e.oldObject?.spec).source, rec(sub.spec).source)) {
      this.schedule(`resolve/${ns}/${sub.metadata.name}`, OLM_DELAYS.resolve, () => this.resolve(ns, sub.metadata.name));
      return;
    }
    if (!deepEqual(rec(e.oldObject?.spec).config, rec(sub.spec).config)) {
      const installed = str(rec(sub.status).installedCSV);
      if (installed) this.syncDeployments(ns, installed);
    }
  }

  private lookup(v: SubscriptionView): { bundle: CatalogBundle } | { error: string } {
    const sources = new Set<string>(DEFAULT_CATALOG_SOURCES);
    if (!sources.has(v.source) || v.sourceNamespace !== MARKETPLACE_NAMESPACE)
      return { error: `no operators found from catalog ${v.source} in namespace ${v.sourceNamespace} referenced by subscription ${v.name}` };
    const pkg = this.catalog.find((p) => p.name === v.pkg && p.source === v.source);
    if (!pkg) return { error: `no operators found in package ${v.pkg} in the catalog referenced by subscription ${v.name}` };
    const bundle = pkg.channels[v.channel || pkg.defaultChannel];
    if (!bundle) return { error: `no operators found in channel ${v.channel} of package ${v.pkg} in the catalog referenced by subscription ${v.name}` };
    if (v.startingCSV && v.startingCSV !== bundle.csvName)
      return { error: `no operators found with name ${v.startingCSV} in channel ${v.channel} of package ${v.pkg} in the catalog referenced by subscription ${v.name}` };
    return { bundle };
  }

  private resolve(ns: string, name: string): void {
    const sub = this.store.find({ group: OLM_GROUP, kind: 'Subscription' }, ns, name);
    if (!sub) return;
    const v = viewOf(sub);
    const found = this.lookup(v);
    const status = rec(sub.status);
    const now = rfc3339(this.opts.clock.now());
    if ('error' in found) {
      const message = `constraints not satisfiable: ${found.error}, subscription ${v.name} exists`;
      this.writeSubStatus(sub, { ...status, conditions: setCondition(status.conditions, { type: 'ResolutionFailed', status: 'True', reason: 'ConstraintsNotSatisfiable', message }, now), lastUpdated: now });
      this.emit('olm.subscription.resolution-failed', { namespace: ns, name, message });
      return;
    }
    const bundle = found.bundle;
    // Already installed at this CSV: nothing to resolve.
    if (status.installedCSV === bundle.csvName || status.currentCSV === bundle.csvName) return;
    const approved = v.approval === 'Automatic';
    const plan = this.store.create({
      apiVersion: `${OLM_GROUP}/v1alpha1`,
      kind: 'InstallPlan',
      metadata: {
        generateName: 'install-',
        namespace: ns,
        ownerReferences: [{ apiVersion: `${OLM_GROUP}/v1alpha1`, kind: 'Subscription', name, uid: sub.metadata.uid, blockOwnerDeletion: false, controller: false }],
        labels: { [componentLabelKey(v.pkg, ns)]: '' },
      },
      spec: { approval: v.approval, approved, clusterServiceVersionNames: [bundle.csvName], generation: 1 },
    });
    if (!plan.ok) throw new Error(`olm: InstallPlan: ${plan.error.message}`);
    const p = plan.value;
    const phase = approved ? 'Installing' : 'RequiresApproval';
    this.store.updateStatus({ ...p, status: { phase, catalogSources: [v.source], bundleLookups: [], conditions: approved ? [] : [{ type: 'Installed', status: 'False', reason: 'RequiresApproval', lastTransitionTime: now, lastUpdateTime: now }] } });
    const conditions = setCondition(removeCondition(status.conditions, 'ResolutionFailed'), { type: 'CatalogSourcesUnhealthy', status: 'False', reason: 'AllCatalogSourcesHealthy', message: 'all available catalogsources are healthy' }, now);
    this.writeSubStatus(sub, {
      ...status,
      catalogHealth: DEFAULT_CATALOG_SOURCES.map((s) => ({ catalogSourceRef: { apiVersion: `${OLM_GROUP}/v1alpha1`, kind: 'CatalogSource', name: s, namespace: MARKETPLACE_NAMESPACE }, healthy: true, lastUpdated: now })),
      conditions: approved ? conditions : setCondition(conditions, { type: 'InstallPlanPending', status: 'True', reason: 'RequiresApproval' }, now),
      currentCSV: bundle.csvName,
      installPlanGeneration: 1,
      installPlanRef: { apiVersion: `${OLM_GROUP}/v1alpha1`, kind: 'InstallPlan', name: p.metadata.name, namespace: ns, resourceVersion: p.metadata.resourceVersion, uid: p.metadata.uid },
      installplan: { apiVersion: `${OLM_GROUP}/v1alpha1`, kind: 'InstallPlan', name: p.metadata.name, uuid: p.metadata.uid },
      lastUpdated: now,
      state: 'UpgradePending',
    });
    this.emit('olm.installplan.created', { namespace: ns, name: p.metadata.name, csv: bundle.csvName, approval: v.approval });
    if (approved) this.schedule(`execute/${ns}/${p.metadata.name}`, OLM_DELAYS.execute, () => this.execute(ns, p.metadata.name));
  }

  private writeSubStatus(sub: KubeObject, status: Rec): void {
    const cur = this.store.find({ group: OLM_GROUP, kind: 'Subscription' }, sub.metadata.namespace, sub.metadata.name);
    if (cur) this.store.updateStatus({ ...cur, status });
  }

  private onInstallPlan(e: WatchEvent): void {
    if (e.type !== 'MODIFIED') return;
    const was = rec(e.oldObject?.spec).approved === true;
    const is = rec(e.object.spec).approved === true;
    if (!was && is && rec(e.object.status).phase === 'RequiresApproval') {
      const ns = e.object.metadata.namespace ?? 'default';
      const name = e.object.metadata.name;
      this.store.updateStatus({ ...e.object, status: { ...rec(e.object.status), phase: 'Installing', conditions: [] } });
      this.schedule(`execute/${ns}/${name}`, OLM_DELAYS.execute, () => this.execute(ns, name));
    }
  }

  /** The InstallPlan's steps: the CSV (and, through the OLM operator, everything it installs). */
  private execute(ns: string, planName: string): void {
    const plan = this.store.find({ group: OLM_GROUP, kind: 'InstallPlan' }, ns, planName);
    if (!plan) return;
    const owner = plan.metadata.ownerReferences?.find((r) => r.kind === 'Subscription');
    const sub = owner ? this.store.find({ group: OLM_GROUP, kind: 'Subscription' }, ns, owner.name) : undefined;
    if (!sub) return;
    const v = viewOf(sub);
    const found = this.lookup(v);
    if ('error' in found) return;
    const b = found.bundle;
    const now = rfc3339(this.opts.clock.now());
    if (!this.store.find({ group: OLM_GROUP, kind: 'ClusterServiceVersion' }, ns, b.csvName)) {
      const csv = this.store.create({
        apiVersion: `${OLM_GROUP}/v1alpha1`,
        kind: 'ClusterServiceVersion',
        metadata: { name: b.csvName, namespace: ns, labels: { [componentLabelKey(v.pkg, ns)]: '' }, annotations: { capabilities: 'Basic Install' } },
        spec: {
          displayName: b.displayName,
          version: b.version,
          ...(b.replaces ? { replaces: b.replaces } : {}),
          provider: { name: b.provider },
          installModes: (['OwnNamespace', 'SingleNamespace', 'MultiNamespace', 'AllNamespaces'] as const).map((type) => ({ type, supported: b.installModes[type] })),
          install: { strategy: 'deployment', spec: { deployments: b.deployments.map((d) => ({ name: d.name, label: d.labels, spec: d.spec })) } },
        },
      });
      if (!csv.ok) throw new Error(`olm: CSV: ${csv.error.message}`);
    }
    const stepStatus = { resolving: b.csvName, resource: { group: OLM_GROUP, kind: 'ClusterServiceVersion', name: b.csvName, sourceName: v.source, sourceNamespace: v.sourceNamespace, version: 'v1alpha1' }, status: 'Created' };
    this.store.updateStatus({ ...plan, status: { ...rec(plan.status), phase: 'Complete', plan: [stepStatus], conditions: [{ type: 'Installed', status: 'True', lastTransitionTime: now, lastUpdateTime: now }] } });
    const cur = this.store.find({ group: OLM_GROUP, kind: 'Subscription' }, ns, sub.metadata.name)!;
    const st = rec(cur.status);
    this.writeSubStatus(cur, { ...st, conditions: removeCondition(st.conditions, 'InstallPlanPending'), installedCSV: b.csvName, currentCSV: b.csvName, state: 'AtLatestKnown', lastUpdated: now });
  }

  // ------------------------------------------------------------ olm operator: the CSV

  private onOperatorGroup(e: WatchEvent): void {
    const ns = e.object.metadata.namespace ?? 'default';
    for (const csv of this.store.scan({ group: OLM_GROUP, kind: 'ClusterServiceVersion' }, ns)) {
      const reason = str(rec(csv.status).reason);
      if (reason === 'NoOperatorGroup' || reason === 'TooManyOperatorGroups' || reason === 'UnsupportedOperatorGroup') this.syncCsv(ns, csv.metadata.name);
    }
  }

  private onCsv(e: WatchEvent): void {
    if (e.type === 'ADDED') this.syncCsv(e.object.metadata.namespace ?? 'default', e.object.metadata.name);
  }

  private setPhase(csv: KubeObject, phase: string, reason: string, message: string): KubeObject {
    const now = rfc3339(this.opts.clock.now());
    const s = rec(csv.status);
    const next: Rec = { ...s, lastUpdateTime: now, message, reason };
    if (s.phase !== phase) {
      next.phase = phase;
      next.lastTransitionTime = now;
    }
    const conditions = Array.isArray(s.conditions) ? [...(s.conditions as Rec[])] : [];
    const last = conditions[conditions.length - 1];
    if (!last || last.phase !== next.phase || last.reason !== reason) conditions.push({ phase: next.phase, reason, message, lastTransitionTime: next.lastTransitionTime, lastUpdateTime: now });
    next.conditions = conditions;
    next.requirementStatus ??= [];
    const r = this.store.updateStatus({ ...csv, status: next });
    if (s.phase !== phase) this.emit('olm.csv.phase', { namespace: csv.metadata.namespace, name: csv.metadata.name, phase, reason });
    return r.ok ? r.value : csv;
  }

  /** operatorGroupForCSV + the install mode check; undefined when the CSV was failed. */
  private operatorGroupFor(csv: KubeObject): { og: KubeObject; targets: string[] } | undefined {
    const ns = csv.metadata.namespace ?? 'default';
    const groups = this.store.scan({ group: OLM_GROUP, kind: 'OperatorGroup' }, ns);
    if (groups.length === 0) {
      this.setPhase(csv, 'Failed', 'NoOperatorGroup', 'csv in namespace with no operatorgroups');
      return undefined;
    }
    if (groups.length > 1) {
      this.setPhase(csv, 'Failed', 'TooManyOperatorGroups', "csv created in namespace with multiple operatorgroups, can't pick one automatically");
      return undefined;
    }
    const og = groups[0]!;
    const spec = rec(og.spec);
    const targets = Array.isArray(spec.targetNamespaces) && spec.targetNamespaces.length > 0 ? (spec.targetNamespaces as string[]) : [''];
    const modes = Object.fromEntries(((rec(csv.spec).installModes as { type: string; supported: boolean }[] | undefined) ?? []).map((m) => [m.type, m.supported]));
    const problem = installModeProblem(modes, ns, targets);
    if (problem) {
      this.setPhase(csv, 'Failed', 'UnsupportedOperatorGroup', problem);
      return undefined;
    }
    return { og, targets };
  }

  private syncCsv(ns: string, name: string): void {
    let csv = this.store.find({ group: OLM_GROUP, kind: 'ClusterServiceVersion' }, ns, name);
    if (!csv) return;
    const group = this.operatorGroupFor(csv);
    if (!group) return;
    const annotations = { ...(csv.metadata.annotations ?? {}), 'olm.operatorGroup': group.og.metadata.name, 'olm.operatorNamespace': ns, 'olm.targetNamespaces': group.targets.join(',') };
    if (!deepEqual(annotations, csv.metadata.annotations)) {
      const r = this.store.update({ ...csv, metadata: { ...csv.metadata, annotations } });
      if (r.ok) csv = r.value;
    }
    this.setPhase(csv, 'Pending', 'RequirementsUnknown', 'requirements not yet checked');
    this.schedule(`csv/${ns}/${name}/ready`, OLM_DELAYS.phase, () => {
      const c = this.store.find({ group: OLM_GROUP, kind: 'ClusterServiceVersion' }, ns, name);
      if (!c || rec(c.status).phase !== 'Pending') return;
      this.setPhase(c, 'InstallReady', 'AllRequirementsMet', 'all requirements found, attempting install');
      this.schedule(`csv/${ns}/${name}/install`, OLM_DELAYS.phase, () => this.install(ns, name));
    });
  }

  private subscriptionFor(ns: string, csvName: string): KubeObject | undefined {
    return this.store.scan({ group: OLM_GROUP, kind: 'Subscription' }, ns).find((s) => rec(s.status).installedCSV === csvName);
  }

  /** The Deployments of the CSV's install strategy, with the Subscription's config applied. */
  private desiredDeployments(csv: KubeObject): KubeObject[] {
    const ns = csv.metadata.namespace ?? 'default';
    const sub = this.subscriptionFor(ns, csv.metadata.name);
    const config = sub ? viewOf(sub).config : {};
    const pkg = sub ? viewOf(sub).pkg : csv.metadata.name.replace(/\.v[^.]+.*$/, '');
    const ann = csv.metadata.annotations ?? {};
    const deployments = (rec(rec(rec(csv.spec).install).spec).deployments as { name: string; label?: Record<string, string>; spec: Rec }[] | undefined) ?? [];
    return deployments.map((d) => {
      const spec = clone(d.spec);
      const template = rec(spec.template);
      const meta = rec(template.metadata);
      meta.annotations = { ...rec(meta.annotations), 'olm.operatorGroup': ann['olm.operatorGroup'] ?? '', 'olm.operatorNamespace': ns, 'olm.targetNamespaces': ann['olm.targetNamespaces'] ?? '' };
      template.metadata = meta;
      const podSpec = rec(template.spec);
      applyConfig(podSpec, config);
      template.spec = podSpec;
      spec.template = template;
      return {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          name: d.name,
          namespace: ns,
          labels: { ...(d.label ?? {}), 'olm.managed': 'true', 'olm.owner': csv.metadata.name, 'olm.owner.kind': 'ClusterServiceVersion', 'olm.owner.namespace': ns, [componentLabelKey(pkg, ns)]: '' },
          ownerReferences: [{ apiVersion: `${OLM_GROUP}/v1alpha1`, kind: 'ClusterServiceVersion', name: csv.metadata.name, uid: csv.metadata.uid, controller: false, blockOwnerDeletion: false }],
        },
        spec,
      } as unknown as KubeObject;
    });
  }

  private install(ns: string, name: string): void {
    const csv = this.store.find({ group: OLM_GROUP, kind: 'ClusterServiceVersion' }, ns, name);
    if (!csv || rec(csv.status).phase !== 'InstallReady') return;
    for (const d of this.desiredDeployments(csv)) {
      const sa = rec(rec(rec(d.spec).template).spec).serviceAccountName;
      if (typeof sa === 'string' && !this.store.find('ServiceAccount', ns, sa))
        this.store.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: ns, ownerReferences: d.metadata.ownerReferences } });
      const existing = this.store.find('Deployment', ns, d.metadata.name);
      const r = existing ? this.store.update({ ...existing, metadata: { ...existing.metadata, labels: d.metadata.labels }, spec: d.spec }) : this.store.create(d);
      if (!r.ok) {
        this.setPhase(csv, 'Failed', 'InstallComponentFailed', `install strategy failed: ${r.error.message}`);
        return;
      }
    }
    this.setPhase(csv, 'Installing', 'InstallSucceeded', 'waiting for install components to report healthy');
    const since = this.opts.clock.now();
    this.schedule(`csv/${ns}/${name}/check`, OLM_DELAYS.minInstalling, () => this.checkInstalled(ns, name, since));
  }

  private deploymentAvailable(d: KubeObject | undefined): boolean {
    if (!d) return false;
    const s = rec(d.status);
    const replicas = typeof rec(d.spec).replicas === 'number' ? (rec(d.spec).replicas as number) : 1;
    const available = ((s.conditions as Rec[] | undefined) ?? []).some((c) => c.type === 'Available' && c.status === 'True');
    const n = (v: unknown): number => (typeof v === 'number' ? v : 0);
    return available && n(s.observedGeneration) === d.metadata.generation && n(s.updatedReplicas) === replicas && n(s.availableReplicas) >= replicas;
  }

  private checkInstalled(ns: string, name: string, since: number): void {
    const csv = this.store.find({ group: OLM_GROUP, kind: 'ClusterServiceVersion' }, ns, name);
    if (!csv || rec(csv.status).phase !== 'Installing' || this.opts.clock.now() - since < OLM_DELAYS.minInstalling) return;
    const names = this.desiredDeployments(csv).map((d) => d.metadata.name);
    const waiting = names.find((n) => !this.deploymentAvailable(this.store.find('Deployment', ns, n)));
    if (waiting) {
      this.setPhase(csv, 'Installing', 'InstallWaiting', `installing: waiting for deployment ${waiting} to become ready: deployment "${waiting}" not available: Deployment does not have minimum availability.`);
      return; // the Deployment watch re-checks
    }
    this.setPhase(csv, 'Succeeded', 'InstallSucceeded', 'install strategy completed with no errors');
    this.notify(csv);
  }

  /** A Subscription's config changed: OLM rewrites the CSV's Deployments (the operator pod rolls). */
  private syncDeployments(ns: string, csvName: string): void {
    const csv = this.store.find({ group: OLM_GROUP, kind: 'ClusterServiceVersion' }, ns, csvName);
    const phase = str(rec(csv?.status).phase);
    if (!csv || (phase !== 'Succeeded' && phase !== 'Installing')) return;
    for (const d of this.desiredDeployments(csv)) {
      const existing = this.store.find('Deployment', ns, d.metadata.name);
      if (existing && !deepEqual(existing.spec, d.spec)) this.store.update({ ...existing, spec: d.spec });
    }
  }

  private onDeployment(e: WatchEvent): void {
    if (e.type === 'DELETED') return;
    const owner = e.object.metadata.ownerReferences?.find((r) => r.kind === 'ClusterServiceVersion');
    if (!owner) return;
    const ns = e.object.metadata.namespace ?? 'default';
    const csv = this.store.find({ group: OLM_GROUP, kind: 'ClusterServiceVersion' }, ns, owner.name);
    if (!csv) return;
    const phase = rec(csv.status).phase;
    if (phase === 'Installing' && rec(csv.status).reason === 'InstallWaiting') this.checkInstalled(ns, owner.name, Number.NEGATIVE_INFINITY);
    else if (phase === 'Succeeded' && this.deploymentAvailable(e.object)) this.notify(csv);
  }

  private notify(csv: KubeObject): void {
    const ns = csv.metadata.namespace ?? 'default';
    const sub = this.subscriptionFor(ns, csv.metadata.name);
    const pkg = sub ? viewOf(sub).pkg : csv.metadata.name;
    const first = this.desiredDeployments(csv)[0];
    const deployed = first ? this.store.find('Deployment', ns, first.metadata.name) : undefined;
    const container = (rec(rec(rec(deployed?.spec).template).spec).containers as { env?: EnvVar[] }[] | undefined)?.[0];
    const env = clone(container?.env ?? []);
    const key = `${ns}/${csv.metadata.name}`;
    const text = JSON.stringify(env);
    if (this.reported.get(key) === text) return;
    this.reported.set(key, text);
    this.emit('olm.operator.installed', { namespace: ns, package: pkg, csv: csv.metadata.name });
    for (const cb of [...this.listeners]) cb(pkg, ns, env);
  }
}

/** api pkg/operators/v1alpha1 InstallModeSet.Supports (targets `['']` = all namespaces). */
export function installModeProblem(modes: Readonly<Record<string, boolean>>, operatorNamespace: string, targets: readonly string[]): string | undefined {
  if (targets.length === 0) return 'operatorgroup has invalid selected namespaces, cannot configure to watch zero namespaces';
  if (targets.length === 1) {
    const t = targets[0]!;
    if (t === operatorNamespace) return modes.OwnNamespace ? undefined : 'OwnNamespace InstallModeType not supported, cannot configure to watch own namespace';
    if (t === '') return modes.AllNamespaces ? undefined : 'AllNamespaces InstallModeType not supported, cannot configure to watch all namespaces';
    return modes.SingleNamespace ? undefined : 'SingleNamespace InstallModeType not supported, cannot configure to watch one namespace';
  }
  if (!modes.MultiNamespace) return `MultiNamespace InstallModeType not supported, cannot configure to watch ${targets.length} namespaces`;
  for (const t of targets) {
    if (t === operatorNamespace && !modes.OwnNamespace) return 'OwnNamespace InstallModeType not supported, cannot configure to watch own namespace';
    if (t === '') return 'operatorgroup has invalid selected namespaces, NamespaceAll found when |selected namespaces| > 1';
  }
  return undefined;
}

/** Subscription spec.config onto a pod spec (overrides/inject). */
function applyConfig(podSpec: Rec, config: Rec): void {
  const containers = (podSpec.containers as Rec[] | undefined) ?? [];
  const env = Array.isArray(config.env) ? (config.env as EnvVar[]) : [];
  const envFrom = Array.isArray(config.envFrom) ? (config.envFrom as Rec[]) : [];
  for (const c of containers) {
    if (env.length > 0) c.env = mergeEnv((c.env as EnvVar[] | undefined) ?? [], env);
    if (envFrom.length > 0) {
      const existing = (c.envFrom as Rec[] | undefined) ?? [];
      c.envFrom = [...existing, ...envFrom.filter((f) => !existing.some((x) => deepEqual(x, f)))];
    }
    if (isPlainObject(config.resources)) c.resources = clone(config.resources);
    if (Array.isArray(config.volumeMounts)) c.volumeMounts = [...((c.volumeMounts as Rec[] | undefined) ?? []), ...clone(config.volumeMounts as Rec[])];
  }
  if (isPlainObject(config.nodeSelector)) podSpec.nodeSelector = clone(config.nodeSelector);
  if (Array.isArray(config.tolerations)) podSpec.tolerations = clone(config.tolerations);
  if (Array.isArray(config.volumes)) podSpec.volumes = [...((podSpec.volumes as Rec[] | undefined) ?? []), ...clone(config.volumes as Rec[])];
}

function setCondition(list: unknown, c: { type: string; status: string; reason?: string; message?: string }, now: string): Rec[] {
  const conditions = Array.isArray(list) ? (list as Rec[]).filter((x) => x.type !== c.type) : [];
  const old = Array.isArray(list) ? (list as Rec[]).find((x) => x.type === c.type) : undefined;
  const same = old && old.status === c.status;
  conditions.push({ ...c, lastTransitionTime: same ? old.lastTransitionTime : now });
  return conditions;
}

function removeCondition(list: unknown, type: string): Rec[] {
  return Array.isArray(list) ? (list as Rec[]).filter((x) => x.type !== type) : [];
}

/** Starts OLM on an OpenShift cluster's store. */
export function startOlm(store: ClusterStore, opts: OlmOptions): Olm {
  return new Olm(store, opts);
}
