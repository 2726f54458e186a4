/**
 * spire-controller-manager running against one cluster's store and its SPIRE server
 * (scm:cmd/main.go run, scm:pkg/reconciler/reconciler.go, scm:internal/controller/*.go).
 *
 * Two reconcilers, each a loop "reconcile, then wait for a trigger or gcInterval (10 s)":
 * - entries: triggered by any change to a ClusterSPIFFEID, ClusterStaticEntry, Pod or Endpoints (pods
 *   and endpoints in ignored namespaces do not trigger); Namespace and Node changes do not trigger
 *   (a namespace relabel takes effect on the next periodic pass);
 * - federation relationships: triggered by ClusterFederatedTrustDomain changes.
 * Status writes are changes too, so a pass that wrote status is followed by one more pass (as upstream).
 * In the lab a triggered pass runs when the store's event queue drains (after the kube controllers),
 * synchronously and in a fixed order; the periodic pass is a timer on the injected clock, reset after
 * every pass. Nothing is read from ambient time or randomness. A periodic pass that would repeat a silent
 * one (nothing it reads changed, the last pass logged and wrote nothing) is skipped: `quietPass.ts`.
 * Simplified: leader election, metrics, the webhook's serving certificate and the static-manifest mode
 * are not modelled; the webhook is a separate admission hook (`webhook.ts`).
 */
import type { Clock } from '../../core/clock.ts';
import type { EventLog } from '../../core/events.ts';
import type { Rng } from '../../core/rng.ts';
import type { ClusterStore, WatchEvent } from '../../kube/store.ts';
import type { EntryApi, TrustDomainApi } from '../api.ts';
import { isNamespaceIgnored, type ControllerManagerConfig } from './config.ts';
import { reconcileFederation, type FederationPassReport } from './federation.ts';
import { QuietPassGate } from './quietPass.ts';
import { EntryReconciler, type EntryPassReport } from './reconciler.ts';
import { CLUSTER_FEDERATED_TRUST_DOMAIN, CLUSTER_SPIFFE_ID, CLUSTER_STATIC_ENTRY, zapLogger } from './resources.ts';

export interface ControllerManagerDeps {
  readonly clock: Clock;
  readonly rng: Rng;
  /** Log lines as `kubectl logs … -c spire-controller-manager` shows them. */
  readonly log?: (line: string) => void;
  readonly events?: EventLog;
  /** Event source, e.g. `west/spire-controller-manager`. */
  readonly name?: string;
}

export interface ControllerManagerOptions {
  readonly store: ClusterStore;
  readonly api: EntryApi & TrustDomainApi & { readonly trustDomain: string; readonly isServing?: () => boolean };
  readonly config: ControllerManagerConfig;
  readonly deps: ControllerManagerDeps;
}

export interface ControllerManager {
  readonly config: ControllerManagerConfig;
  /** Runs both reconcilers now (as a trigger would), then lets the store settle. */
  reconcileNow(): void;
  lastEntryPass(): EntryPassReport | undefined;
  lastFederationPass(): FederationPassReport | undefined;
  stop(): void;
}

export function startControllerManager(opts: ControllerManagerOptions): ControllerManager {
  const { store, api, config, deps } = opts;
  const source = deps.name ?? 'spire-controller-manager';
  const log = zapLogger(() => deps.clock.now(), deps.log ?? (() => {}));
  if (api.trustDomain !== config.trustDomain)
    log('INFO', 'setup', 'Controller trust domain differs from the SPIRE server', { controller: config.trustDomain, server: api.trustDomain });
  const stops: (() => void)[] = [];
  const entriesOn = config.reconcile.clusterSPIFFEIDs || config.reconcile.clusterStaticEntries;
  const federationOn = config.reconcile.clusterFederatedTrustDomains;
  // Lines logged by the passes: a pass that logged nothing (and reported nothing) was silent.
  let logged = 0;
  const passLog: typeof log = (...a) => {
    logged++;
    log(...a);
  };
  const entry = new EntryReconciler({ store, api, config, rng: deps.rng.fork('spire-controller-manager/entry-ids'), now: () => deps.clock.now(), log: passLog });
  // Periodic passes that would repeat a silent one are skipped (quietPass.ts).
  const entryGate = new QuietPassGate();
  const fedGate = new QuietPassGate();
  const entryInputs = () => [api.isServing?.() ?? true, entry.probeDue(), ...api.listEntries()];
  const fedInputs = () => [api.isServing?.() ?? true, ...api.listFederationRelationships()];
  let entryDirty = false;
  let fedDirty = false;
  let entryTimer: number | undefined;
  let fedTimer: number | undefined;
  let stopped = false;
  let lastEntry: EntryPassReport | undefined;
  let lastFed: FederationPassReport | undefined;

  const runEntries = () => {
    entryDirty = false;
    const pass = entryGate.canSkip(entryInputs()) ? undefined : fullEntryPass();
    if (deps.events && pass && (pass.created.length || pass.updated.length || pass.deleted.length || pass.failures.length))
      deps.events.emit('spire.controller-manager.entries', source, {
        created: pass.created.map((e) => e.spiffeId),
        updated: pass.updated.map((e) => e.spiffeId),
        deleted: pass.deleted,
        failures: pass.failures,
      });
    if (entryTimer !== undefined) deps.clock.clearTimeout(entryTimer);
    entryTimer = deps.clock.setTimeout(onEntryTimer, config.gcIntervalMs, `${source}/entry-gc`);
  };
  const fullEntryPass = (): EntryPassReport => {
    entryGate.begin();
    const before = logged;
    const pass = (lastEntry = entry.reconcile());
    entryGate.end(logged === before && !pass.created.length && !pass.updated.length && !pass.deleted.length && !pass.failures.length, entryInputs());
    return pass;
  };
  const runFederation = () => {
    fedDirty = false;
    const pass = fedGate.canSkip(fedInputs()) ? undefined : fullFederationPass();
    if (deps.events && pass && (pass.created.length || pass.updated.length || pass.deleted.length))
      deps.events.emit('spire.controller-manager.federation', source, { created: pass.created, updated: pass.updated, deleted: pass.deleted });
    if (fedTimer !== undefined) deps.clock.clearTimeout(fedTimer);
    fedTimer = deps.clock.setTimeout(onFedTimer, config.gcIntervalMs, `${source}/federation-gc`);
  };
  const fullFederationPass = (): FederationPassReport => {
    fedGate.begin();
    const before = logged;
    const pass = (lastFed = reconcileFederation({ store, api, config, log: passLog }));
    fedGate.end(logged === before && !pass.created.length && !pass.updated.length && !pass.deleted.length && !pass.ignored.length, fedInputs());
    return pass;
  };
  function onEntryTimer(): void {
    entryTimer = undefined;
    if (stopped) return;
    entryDirty = true;
    store.settle();
  }
  function onFedTimer(): void {
    fedTimer = undefined;
    if (stopped) return;
    fedDirty = true;
    store.settle();
  }

  const served = (k: { group: string; kind: string }) => store.kindOf(k).ok;
  const watch = (kind: { group: string; kind: string } | string, onEvent: (e: WatchEvent) => void) => {
    if (typeof kind !== 'string' && !served(kind)) {
      log('ERROR', 'setup', 'unable to create controller', { controller: kind.kind, error: `no matches for kind "${kind.kind}" in group "${kind.group}"` });
      entryGate.disable();
      fedGate.disable();
      return;
    }
    stops.push(store.watch({ kind }, onEvent));
  };
  const triggerEntries = () => {
    entryDirty = true;
    entryGate.touch();
  };
  const triggerUnlessIgnored = (e: WatchEvent) => {
    if (!isNamespaceIgnored(config, e.object.metadata.namespace ?? '')) triggerEntries();
  };
  if (config.reconcile.clusterSPIFFEIDs) {
    watch(CLUSTER_SPIFFE_ID, triggerEntries);
    watch('Pod', triggerUnlessIgnored);
    watch('Endpoints', triggerUnlessIgnored);
    // Read by the pass without triggering one: a change only makes the next periodic pass a full one.
    watch('Namespace', () => entryGate.touch());
    watch('Node', () => entryGate.touch());
  }
  if (config.reconcile.clusterStaticEntries) watch(CLUSTER_STATIC_ENTRY, triggerEntries);
  if (federationOn)
    watch(CLUSTER_FEDERATED_TRUST_DOMAIN, () => {
      fedDirty = true;
      fedGate.touch();
    });

  stops.push(
    store.onIdle(() => {
      if (stopped) return false;
      if (fedDirty && federationOn) {
        runFederation();
        return true;
      }
      if (entryDirty && entriesOn) {
        runEntries();
        return true;
      }
      entryDirty = entryDirty && entriesOn;
      fedDirty = fedDirty && federationOn;
      return false;
    }),
  );
  // Both loops start with a pass (reconciler.Run reconciles before waiting).
  entryDirty = entriesOn;
  fedDirty = federationOn;
  store.settle();

  return {
    config,
    reconcileNow() {
      entryDirty = entriesOn;
      fedDirty = federationOn;
      entryGate.touch();
      fedGate.touch();
      store.settle();
    },
    lastEntryPass: () => lastEntry,
    lastFederationPass: () => lastFed,
    stop() {
      stopped = true;
      for (const s of stops.splice(0)) s();
      if (entryTimer !== undefined) deps.clock.clearTimeout(entryTimer);
      if (fedTimer !== undefined) deps.clock.clearTimeout(fedTimer);
    },
  };
}
