/**
 * The ZTWIM operator's five controllers (ztwim:pkg/controller/{spire-server,spire-agent,
 * spiffe-csi-driver,spire-oidc-discovery-provider,zero-trust-workload-identity-manager}/controller.go)
 * as synchronous reactions to store writes: a watch marks a controller dirty (its CR changed in
 * generation or owner references; a managed object with its component label was added, changed or
 * deleted; the ZTWIM CR was created), and the store's idle hook runs the dirty reconciles in order.
 *
 * Each reconcile: get ZTWIM `cluster` (absent → Ready=False `Failed`), set the owner reference,
 * create-only mode, validation, then create / compare / update each object (§6.2), and write the
 * conditions (§7) through updateStatus. CREATE_ONLY_MODE (1.0: operator env, read per reconcile;
 * 0.2: the `ztwim.openshift.io/create-only` annotation, sticky until restart) turns every update into
 * a skip, creations still happen (§6.3).
 *
 * Simplified: the transient `Ready=False Reconciling <Kind>` written at the start of each upstream
 * reconcile is not written (a reconcile here is atomic, nobody could observe it); no RBAC/SCC/webhook
 * objects (see objects.ts); events (`TTLConfigurationWarning`) go to the event log, not to Event objects;
 * proxy and affinity/toleration validation are not modelled (the CRD schema already checks shapes).
 */
import type { Clock } from '../../core/clock.ts';
import type { EventLog } from '../../core/events.ts';
import type { Rng } from '../../core/rng.ts';
import { deepEqual, type KubeObject } from '../../kube/object.ts';
import type { ClusterStore } from '../../kube/store.ts';
import { renderAgentConf, renderControllerManagerConfig, renderOidcConf, renderServerConf, serverConfDocument, stripScheme, type Identity, type ZtwimVersion } from './configs.ts';
import { configHash, goMarshalIndent } from './goEncoding.ts';
import {
  agentService,
  configMap,
  csiDriverDaemonSet,
  csiDriverObject,
  federationRoute,
  imagesFor,
  labelsFor,
  MANAGED_BY,
  oidcDeployment,
  oidcRoute,
  oidcService,
  operatorClusterSpiffeIds,
  serviceAccount,
  spireAgentDaemonSet,
  spireServerService,
  spireServerStatefulSet,
  webhookService,
  type Manifest,
} from './objects.ts';
import { validateFederation, validateJwtIssuer, validateTtls } from './validation.ts';

export const GROUP_VERSION = 'operator.openshift.io/v1alpha1';
export const OPERAND_KINDS = ['SpireServer', 'SpireAgent', 'SpiffeCSIDriver', 'SpireOIDCDiscoveryProvider'] as const;
export type OperandKind = (typeof OPERAND_KINDS)[number];
type ControllerName = OperandKind | 'ZeroTrustWorkloadIdentityManager';

export interface ZtwimOperatorOptions {
  readonly store: ClusterStore;
  /** OPERATOR_NAMESPACE (`zero-trust-workload-identity-manager`). */
  readonly namespace: string;
  readonly version: ZtwimVersion;
  /** The operator container's environment (Subscription `spec.config.env`): CREATE_ONLY_MODE, RELATED_IMAGE_*. */
  readonly env: Readonly<Record<string, string>>;
  readonly clock: Pick<Clock, 'now'>;
  readonly rng?: Rng;
  readonly events?: EventLog;
  /** The operator pod's log lines (controller-runtime's JSON-less text form). */
  readonly log?: (line: string) => void;
}

export interface ZtwimOperator {
  stop(): void;
  /** Marks every controller dirty and settles (an operator restart's initial list). */
  reconcileNow(): void;
  /** A new operator pod with this environment (OLM rolled the Deployment after a Subscription env change). */
  setEnv(env: Readonly<Record<string, string>>): void;
}

interface Condition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

const COMPONENT_OF: Record<string, OperandKind> = { 'control-plane': 'SpireServer', 'node-agent': 'SpireAgent', csi: 'SpiffeCSIDriver', discovery: 'SpireOIDCDiscoveryProvider' };
const ORDER: readonly ControllerName[] = [...OPERAND_KINDS, 'ZeroTrustWorkloadIdentityManager'];
const PROGRESSING_REASONS = new Set(['StatefulSetNotReady', 'DaemonSetNotReady', 'DeploymentNotReady']);

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const s = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Does `have` contain everything `want` says (extra fields, API defaults tolerated)? Arrays must match in length. */
function contains(have: unknown, want: unknown): boolean {
  if (Array.isArray(want)) return Array.isArray(have) && have.length === want.length && want.every((w, i) => contains(have[i], w));
  if (want !== null && typeof want === 'object') {
    if (have === null || typeof have !== 'object' || Array.isArray(have)) return false;
    return Object.entries(want as Obj).every(([k, w]) => w === undefined || contains((have as Obj)[k], w));
  }
  return deepEqual(have, want);
}

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** ztwim main (1.0.1) utils.IsInCreateOnlyMode: trimmed, case-insensitive "true". */
function envCreateOnly(env: Readonly<Record<string, string>>, log: (l: string) => void, warned: { done: boolean }): boolean {
  const value = (env.CREATE_ONLY_MODE ?? '').trim();
  const v = value.toUpperCase();
  if (v === 'TRUE') return true;
  if (v !== 'FALSE' && v !== '' && !warned.done) {
    warned.done = true;
    log(`INFO\tcreate-only-mode\tInvalid CREATE_ONLY_MODE value, using default (disabled)\t{"value": ${JSON.stringify(value)}, "validValues": "true, false (case-insensitive)"}`);
  }
  return false;
}

export function startZtwimOperator(opts: ZtwimOperatorOptions): ZtwimOperator {
  const { store, namespace, version } = opts;
  let env = { ...opts.env };
  const log = opts.log ?? (() => undefined);
  const dirty = new Set<ControllerName>();
  const warned = { done: false };
  /** 0.2's sticky in-memory create-only flags, per controller. */
  const sticky = new Set<OperandKind>();
  const labels = labelsFor(version);

  const emit = (type: string, data: Record<string, unknown>) => opts.events?.emit(type, `${namespace}/zero-trust-workload-identity-manager`, data);

  const stopWatch = store.watch({}, (e) => {
    const obj = e.object;
    if (obj.apiVersion === GROUP_VERSION) {
      const kind = obj.kind as ControllerName;
      if (kind === 'ZeroTrustWorkloadIdentityManager') {
        // ZTWIMSpecChangedPredicate: create (and delete) reach the operands, updates do not.
        if (e.type !== 'MODIFIED') for (const k of OPERAND_KINDS) dirty.add(k);
        if (e.type === 'MODIFIED' && e.oldObject?.metadata.generation === obj.metadata.generation) return;
        dirty.add('ZeroTrustWorkloadIdentityManager');
        return;
      }
      if (!(OPERAND_KINDS as readonly string[]).includes(kind)) return;
      // The ZTWIM controller watches the operand CRs' status too.
      dirty.add('ZeroTrustWorkloadIdentityManager');
      // GenerationOrOwnerReferenceChangedPredicate.
      if (e.type === 'MODIFIED' && e.oldObject?.metadata.generation === obj.metadata.generation && deepEqual(e.oldObject?.metadata.ownerReferences, obj.metadata.ownerReferences)) return;
      dirty.add(kind);
      return;
    }
    // ControllerManagedResourcesForComponent: managed-by + component on the new object (the old one on delete).
    const l = obj.metadata.labels ?? {};
    if (l['app.kubernetes.io/managed-by'] !== MANAGED_BY) return;
    const owner = COMPONENT_OF[l['app.kubernetes.io/component'] ?? ''];
    if (owner) dirty.add(owner);
  });

  const ownerRef = (cr: KubeObject) => [{ apiVersion: cr.apiVersion, kind: cr.kind, name: cr.metadata.name, uid: cr.metadata.uid, controller: true, blockOwnerDeletion: true }];

  type Outcome = { ok: true; action: 'created' | 'updated' | 'unchanged' | 'skipped' } | { ok: false; message: string };

  /** Get → create, or compare → update (skipped in create-only mode). */
  function ensure(desired: Manifest, owner: KubeObject, needsUpdate: (existing: KubeObject, desired: Manifest) => boolean, createOnly: boolean, preserve?: (existing: KubeObject, desired: Manifest) => void): Outcome {
    const d = { ...desired, metadata: { ...desired.metadata, ownerReferences: ownerRef(owner) } } as unknown as KubeObject;
    const existing = store.get({ apiVersion: d.apiVersion, kind: d.kind }, d.metadata.namespace, d.metadata.name);
    if (!existing.ok) {
      if (existing.error.code !== 'kube/not-found') return { ok: false, message: existing.error.message };
      const c = store.create(d);
      if (!c.ok) return { ok: false, message: c.error.message };
      log(`INFO\t${owner.kind}\tCreated ${d.kind}\t{"name": "${d.metadata.name}"}`);
      return { ok: true, action: 'created' };
    }
    if (!needsUpdate(existing.value, desired)) return { ok: true, action: 'unchanged' };
    if (createOnly) {
      log(`INFO\t${owner.kind}\tSkipping ${d.kind} update due to create-only mode\t{"name": "${d.metadata.name}"}`);
      return { ok: true, action: 'skipped' };
    }
    preserve?.(existing.value, d as unknown as Manifest);
    d.metadata.resourceVersion = existing.value.metadata.resourceVersion;
    const u = store.update(d);
    if (!u.ok) return { ok: false, message: u.error.message };
    log(`INFO\t${owner.kind}\tUpdated ${d.kind}\t{"name": "${d.metadata.name}"}`);
    emit('ztwim.object.reverted', { kind: d.kind, name: d.metadata.name });
    return { ok: true, action: 'updated' };
  }

  const configMapDrift = (key: string) => (ex: KubeObject, de: Manifest) => s(o(ex.data)[key]) !== s(o(de.data)[key]) || !deepEqual(ex.metadata.labels ?? {}, de.metadata.labels ?? {});
  /** ResourceNeedsUpdate: desired labels/annotations present, the typed spec fields equal (as a containment check). */
  const workloadDrift = (ex: KubeObject, de: Manifest) => !contains(ex.metadata.labels ?? {}, de.metadata.labels ?? {}) || !contains(ex.metadata.annotations ?? {}, de.metadata.annotations ?? {}) || !contains(ex.spec, de.spec);
  const serviceDrift = (ex: KubeObject, de: Manifest) => {
    const es = o(ex.spec);
    const ds = o(de.spec);
    return !contains(ex.metadata.labels ?? {}, de.metadata.labels ?? {}) || !contains(ex.metadata.annotations ?? {}, de.metadata.annotations ?? {}) || es.type !== ds.type || !contains(es.ports, ds.ports) || !deepEqual(es.selector, ds.selector);
  };
  const preserveService = (ex: KubeObject, de: Manifest) => {
    const es = o(ex.spec);
    const ds = de.spec as Obj;
    for (const k of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy', 'internalTrafficPolicy', 'sessionAffinity', 'healthCheckNodePort']) if (es[k] !== undefined) ds[k] = es[k];
  };
  const routeDrift = (ex: KubeObject, de: Manifest) => !deepEqual(ex.spec, de.spec) || !deepEqual(ex.metadata.labels ?? {}, de.metadata.labels ?? {});
  /** ClusterSPIFFEIDNeedsUpdate: not federatesWith, not ttl. */
  const cspiffeDrift = (ex: KubeObject, de: Manifest) => {
    const es = o(ex.spec);
    const ds = o(de.spec);
    const fields = ['className', 'hint', 'spiffeIDTemplate', 'fallback', 'autoPopulateDNSNames', 'dnsNameTemplates', 'podSelector', 'namespaceSelector', 'workloadSelectorTemplates'];
    return fields.some((f) => !deepEqual(es[f] ?? (f === 'fallback' || f === 'autoPopulateDNSNames' ? false : undefined), ds[f] ?? (f === 'fallback' || f === 'autoPopulateDNSNames' ? false : undefined))) || !contains(ex.metadata.labels ?? {}, de.metadata.labels ?? {});
  };

  // ---------------------------------------------------------------- status

  /** Merges conditions by type (meta.SetStatusCondition: lastTransitionTime moves only when status changes), computes Ready, writes. */
  function applyStatus(cr: KubeObject, conds: Condition[], explicitReady = false): void {
    const fresh = store.find({ apiVersion: cr.apiVersion, kind: cr.kind }, undefined, cr.metadata.name);
    if (!fresh) return;
    const status = o(fresh.status);
    const existing = (Array.isArray(status.conditions) ? status.conditions : []) as Condition[];
    const byType = new Map(existing.map((c) => [c.type, c]));
    const list = [...conds];
    if (!explicitReady && !list.some((c) => c.type === 'Ready')) {
      // status.go SetReadyCondition.
      const failures: string[] = [];
      const progressing: string[] = [];
      for (const c of list) {
        if (c.status !== 'False' || c.type === 'Degraded' || c.type === 'CreateOnlyMode' || c.type === 'Ready') continue;
        (PROGRESSING_REASONS.has(c.reason) ? progressing : failures).push(`${c.type}: ${c.message}`);
      }
      if (failures.length > 0) list.push({ type: 'Ready', status: 'False', reason: 'Failed', message: failures[0]! });
      else if (progressing.length > 0) list.push({ type: 'Ready', status: 'False', reason: 'Progressing', message: progressing[0]! });
      else list.push({ type: 'Ready', status: 'True', reason: 'Ready', message: 'All components are ready' });
    }
    const now = rfc3339(store.now());
    for (const c of list) {
      const old = byType.get(c.type);
      byType.set(c.type, { type: c.type, status: c.status, reason: c.reason, message: c.message, lastTransitionTime: old && old.status === c.status ? old.lastTransitionTime! : now, observedGeneration: fresh.metadata.generation });
    }
    const next = { ...status, conditions: [...byType.values()] };
    if (deepEqual(next, status)) return;
    store.updateStatus({ ...fresh, status: next });
  }

  const cond = (type: string, ok: boolean, reason: string, message: string): Condition => ({ type, status: ok ? 'True' : 'False', reason, message });

  function getCr(kind: ControllerName): KubeObject | undefined {
    return store.find({ apiVersion: GROUP_VERSION, kind }, undefined, 'cluster');
  }

  /** The ZTWIM CR and the identity the operands render with (0.2: from the operand's own spec). */
  function prologue(cr: KubeObject, conds: Condition[]): { ztwim: KubeObject; createOnly: boolean } | undefined {
    const ztwim = getCr('ZeroTrustWorkloadIdentityManager');
    if (!ztwim) {
      log(`ERROR\t${cr.kind}\tfailed to get ZeroTrustWorkloadIdentityManager`);
      conds.push(cond('Ready', false, 'Failed', 'Failed to retrieve ZeroTrustWorkloadIdentityManager from cluster'));
      return undefined;
    }
    const refs = cr.metadata.ownerReferences ?? [];
    if (!refs.some((r) => r.uid === ztwim.metadata.uid && r.controller === true)) {
      const u = store.update({ ...cr, metadata: { ...cr.metadata, ownerReferences: [...refs.filter((r) => r.controller !== true), ...ownerRef(ztwim)] } });
      if (!u.ok) {
        conds.push(cond('Ready', false, 'Failed', `Failed to update ${cr.kind} with owner reference: ${u.error.message}`));
        return undefined;
      }
    }
    const kind = cr.kind as OperandKind;
    let createOnly: boolean;
    if (version === '0.2') {
      // ztwim-0.2:pkg/controller/utils/annotations.go: sticky once seen.
      if (cr.metadata.annotations?.['ztwim.openshift.io/create-only'] === 'true') sticky.add(kind);
      createOnly = sticky.has(kind);
    } else createOnly = envCreateOnly(env, log, warned);
    if (createOnly) conds.push(cond('CreateOnlyMode', true, 'CreateOnlyModeEnabled', 'Create-Only Mode is active: Updates are not reconciled to existing resources'));
    else if ((o(cr.status).conditions as Condition[] | undefined)?.some((c) => c.type === 'CreateOnlyMode' && c.status === 'True')) conds.push(cond('CreateOnlyMode', false, 'CreateOnlyModeDisabled', 'Create-only mode is disabled'));
    return { ztwim, createOnly };
  }

  function identity(ztwim: KubeObject, operandSpec: Obj): Identity {
    const src = version === '0.2' ? operandSpec : o(ztwim.spec);
    return { trustDomain: s(src.trustDomain), clusterName: s(src.clusterName), bundleConfigMap: s(src.bundleConfigMap) || 'spire-bundle' };
  }

  /** Adds `<type>` False with the failure, or True with `okReason`; returns whether it succeeded. */
  function record(conds: Condition[], type: string, r: Outcome, okReason: string, okMessage: string, failReason: string): boolean {
    if (!r.ok) {
      conds.push(cond(type, false, failReason, r.message));
      return false;
    }
    conds.push(cond(type, true, okReason, okMessage));
    return true;
  }

  // ---------------------------------------------------------------- health (status.go)

  function workloadHealth(kind: 'StatefulSet' | 'DaemonSet' | 'Deployment', name: string): Condition {
    const type = kind === 'StatefulSet' ? 'StatefulSetAvailable' : kind === 'DaemonSet' ? 'DaemonSetAvailable' : 'DeploymentAvailable';
    const w = store.find({ apiVersion: 'apps/v1', kind }, namespace, name);
    if (!w) return cond(type, false, `${kind}NotFound`, `Failed to get ${kind} ${namespace}/${name}: ${kind.toLowerCase()}s.apps "${name}" not found`);
    const st = o(w.status);
    const num = (k: string) => (typeof st[k] === 'number' ? (st[k] as number) : 0);
    const observed = num('observedGeneration');
    if (kind === 'DaemonSet') {
      const desired = num('desiredNumberScheduled');
      if (desired === 0) return cond(type, false, 'DaemonSetNotReady', 'DaemonSet has no pods scheduled');
      if (observed < (w.metadata.generation ?? 0)) return cond(type, false, 'DaemonSetNotReady', `DaemonSet update in progress (generation ${w.metadata.generation}, observed ${observed})`);
      if (num('numberReady') < desired) return cond(type, false, 'DaemonSetNotReady', `DaemonSet has ${num('numberReady')}/${desired} pods ready`);
      return cond(type, true, 'DaemonSetReady', `DaemonSet ${name} is healthy with ${num('numberReady')}/${desired} pods ready`);
    }
    const replicas = typeof o(w.spec).replicas === 'number' ? (o(w.spec).replicas as number) : 1;
    if (observed < (w.metadata.generation ?? 0)) return cond(type, false, `${kind}NotReady`, `${kind} update in progress (generation ${w.metadata.generation}, observed ${observed})`);
    if (num('readyReplicas') < replicas) return cond(type, false, `${kind}NotReady`, `${kind} has ${num('readyReplicas')}/${replicas} replicas ready`);
    return cond(type, true, `${kind}Ready`, `${kind} ${name} is healthy with ${num('readyReplicas')}/${replicas} replicas ready`);
  }

  // ---------------------------------------------------------------- controllers

  function reconcileServer(cr: KubeObject): void {
    const conds: Condition[] = [];
    const pre = prologue(cr, conds);
    if (!pre) return applyStatus(cr, conds, true);
    const { ztwim, createOnly } = pre;
    const spec = o(cr.spec);
    const id = identity(ztwim, spec);
    const custom = spec.labels as Record<string, string> | undefined;
    const done = () => applyStatus(cr, conds);
    // validateConfiguration
    const jwt = validateJwtIssuer(s(spec.jwtIssuer));
    if (jwt) {
      conds.push(cond('ConfigurationValid', false, 'InvalidJWTIssuerURL', `JWT issuer URL validation failed: ${jwt}`));
      return done();
    }
    if (version === '1.0' && spec.federation !== undefined) {
      const fed = validateFederation(o(spec.federation), id.trustDomain);
      if (fed) {
        conds.push(cond('ConfigurationValid', false, 'InvalidFederationConfiguration', `Federation configuration validation failed: ${fed}`));
        return done();
      }
    }
    if ((o(cr.status).conditions as Condition[] | undefined)?.some((c) => c.type === 'ConfigurationValid' && c.status === 'False')) conds.push(cond('ConfigurationValid', true, 'Ready', 'Configuration validation passed'));
    const ttl = validateTtls(spec);
    if (ttl.error) {
      conds.push(cond('TTLConfigurationValid', false, 'TTLValidationFailed', ttl.error));
      return done();
    }
    if (ttl.warnings.length > 0) {
      for (const w of ttl.warnings) emit('ztwim.ttl.warning', { reason: 'TTLConfigurationWarning', message: w });
      conds.push(cond('TTLConfigurationValid', true, 'TTLValidationWarning', `TTL configuration warnings: ${ttl.warnings.length} issues found`));
    } else conds.push(cond('TTLConfigurationValid', true, 'TTLValidationSucceeded', 'TTL configuration is valid'));

    const images = imagesFor(version, env);
    const serverLabels = labels.server(custom);
    const federation = version === '1.0' && spec.federation !== undefined;
    if (!record(conds, 'ServiceAccountAvailable', ensure(serviceAccount('spire-server', namespace, serverLabels), cr, workloadDrift, createOnly), 'Ready', 'Spire Server ServiceAccount resources applied', 'SpireServerServiceAccountGenerationFailed')) return done();
    const svc = ensure(spireServerService(namespace, serverLabels, federation), cr, serviceDrift, createOnly, preserveService);
    const wh = svc.ok ? ensure(webhookService(namespace, labels.controllerManager(custom)), cr, serviceDrift, createOnly, preserveService) : svc;
    if (!record(conds, 'ServiceAvailable', wh, 'Ready', 'Spire Server Service resources applied', 'SpireServerServiceGenerationFailed')) return done();
    const serverConf = renderServerConf(spec, id, namespace, version);
    if (!record(conds, 'ServerConfigMapAvailable', ensure(configMap('spire-server', namespace, serverLabels, { 'server.conf': serverConf }), cr, configMapDrift('server.conf'), createOnly), 'SpireConfigMapResourceCreated', 'SpireServer config map resources applied', 'SpireServerConfigMapGenerationFailed')) return done();
    const cmConf = renderControllerManagerConfig(id, namespace, labels.controllerManager(custom));
    // generateControllerManagerConfigMap: the ConfigMap itself carries the labels without custom ones.
    if (!record(conds, 'ControllerManagerConfigAvailable', ensure(configMap('spire-controller-manager', namespace, labels.controllerManager(), { 'controller-manager-config.yaml': cmConf }), cr, configMapDrift('controller-manager-config.yaml'), createOnly), 'SpireControllerManagerConfigMapCreated', 'spire controller manager config map resources applied', 'SpireControllerManagerConfigMapGenerationFailed')) return done();
    // The bundle ConfigMap: Create, AlreadyExists ignored, never updated.
    const bundle = ensure(configMap(id.bundleConfigMap, namespace, serverLabels, undefined), cr, () => false, true);
    if (!record(conds, 'BundleConfigAvailable', bundle, 'SpireBundleConfigMapCreated', 'spire bundle config map resources applied', 'SpireBundleConfigMapGenerationFailed')) return done();
    const sts = ensure(spireServerStatefulSet(spec, namespace, images, serverLabels, configHash(goMarshalIndent(serverConfDocument(spec, id, namespace, version))), configHash(cmConf)), cr, workloadDrift, createOnly);
    if (!sts.ok) {
      conds.push(cond('StatefulSetAvailable', false, 'SpireServerStatefulSetCreationFailed', sts.message));
      return done();
    }
    conds.push(workloadHealth('StatefulSet', 'spire-server'));
    if (federation) {
      const fed = o(spec.federation);
      if (fed.managedRoute === 'true') {
        const r = ensure(federationRoute(fed, id.trustDomain, serverLabels), cr, routeDrift, createOnly);
        if (!r.ok) conds.push(cond('RouteAvailable', false, 'FederationRouteCreationFailed', r.message));
        else if (r.action === 'created') conds.push(cond('RouteAvailable', true, 'FederationRouteCreated', 'Federation route created'));
        else if (r.action === 'updated') conds.push(cond('RouteAvailable', true, 'FederationRouteUpdated', 'Federation route updated'));
        else if (!(o(cr.status).conditions as Condition[] | undefined)?.some((c) => c.type === 'RouteAvailable' && c.status === 'True')) conds.push(cond('RouteAvailable', true, 'RouteAvailable', 'Federation route is ready'));
      } else conds.push(cond('RouteAvailable', false, 'FederationRouteDisabled', 'Federation managed route disabled'));
    }
    done();
  }

  function reconcileAgent(cr: KubeObject): void {
    const conds: Condition[] = [];
    const pre = prologue(cr, conds);
    if (!pre) return applyStatus(cr, conds, true);
    const { ztwim, createOnly } = pre;
    const spec = o(cr.spec);
    const id = identity(ztwim, spec);
    const l = labels.agent(spec.labels as Record<string, string> | undefined);
    const done = () => applyStatus(cr, conds);
    if (!record(conds, 'ServiceAccountAvailable', ensure(serviceAccount('spire-agent', namespace, l), cr, workloadDrift, createOnly), 'Ready', 'Spire Agent ServiceAccount resources applied', 'SpireAgentServiceAccountGenerationFailed')) return done();
    if (!record(conds, 'ServiceAvailable', ensure(agentService(namespace, l), cr, serviceDrift, createOnly, preserveService), 'Ready', 'Spire Agent Service resources applied', 'SpireAgentServiceGenerationFailed')) return done();
    const conf = renderAgentConf(spec, id, namespace, version);
    const cm = configMap('spire-agent', namespace, l, { 'agent.conf': conf }, { 'app.kubernetes.io/managed-by': MANAGED_BY });
    if (!record(conds, 'ConfigMapAvailable', ensure(cm, cr, configMapDrift('agent.conf'), createOnly), 'SpireAgentConfigMapResourceCreated', 'Spire Agent ConfigMap resources applied', 'SpireAgentConfigMapGenerationFailed')) return done();
    const ds = ensure(spireAgentDaemonSet(spec, id.bundleConfigMap, namespace, imagesFor(version, env), l, configHash(conf)), cr, workloadDrift, createOnly);
    if (!ds.ok) conds.push(cond('DaemonSetAvailable', false, 'SpireAgentDaemonSetCreationFailed', ds.message));
    else conds.push(workloadHealth('DaemonSet', 'spire-agent'));
    done();
  }

  function reconcileCsi(cr: KubeObject): void {
    const conds: Condition[] = [];
    const pre = prologue(cr, conds);
    if (!pre) return applyStatus(cr, conds, true);
    const { createOnly } = pre;
    const spec = o(cr.spec);
    const l = labels.csi(spec.labels as Record<string, string> | undefined);
    const done = () => applyStatus(cr, conds);
    if (!record(conds, 'ServiceAccountAvailable', ensure(serviceAccount('spire-spiffe-csi-driver', namespace, l), cr, workloadDrift, createOnly), 'Ready', 'SPIFFE CSI Driver ServiceAccount resources applied', 'SpiffeCSIServiceAccountGenerationFailed')) return done();
    const plugin = s(spec.pluginName) || 'csi.spiffe.io';
    if (!record(conds, 'CSIDriverAvailable', ensure(csiDriverObject(plugin, l), cr, workloadDrift, createOnly), 'Ready', 'SPIFFE CSI Driver resources applied', 'SpiffeCSIDriverGenerationFailed')) return done();
    const ds = ensure(csiDriverDaemonSet(spec, namespace, imagesFor(version, env), l, version), cr, workloadDrift, createOnly);
    if (!ds.ok) conds.push(cond('DaemonSetAvailable', false, 'SpiffeCSIDaemonSetCreationFailed', ds.message));
    else conds.push(workloadHealth('DaemonSet', 'spire-spiffe-csi-driver'));
    done();
  }

  function reconcileOidc(cr: KubeObject): void {
    const conds: Condition[] = [];
    const pre = prologue(cr, conds);
    if (!pre) return applyStatus(cr, conds, true);
    const { ztwim, createOnly } = pre;
    const spec = o(cr.spec);
    const id = identity(ztwim, spec);
    const l = labels.oidc(spec.labels as Record<string, string> | undefined);
    const done = () => applyStatus(cr, conds);
    const jwt = validateJwtIssuer(s(spec.jwtIssuer));
    if (jwt) {
      conds.push(cond('ConfigurationValid', false, 'InvalidJWTIssuerURL', `JWT issuer URL validation failed: ${jwt}`));
      return done();
    }
    if (!record(conds, 'ServiceAccountAvailable', ensure(serviceAccount('spire-spiffe-oidc-discovery-provider', namespace, l), cr, workloadDrift, createOnly), 'Ready', 'OIDC ServiceAccount resources applied', 'SpireOIDCServiceAccountGenerationFailed')) return done();
    if (!record(conds, 'ServiceAvailable', ensure(oidcService(namespace, l), cr, serviceDrift, createOnly, preserveService), 'Ready', 'OIDC Service resources applied', 'SpireOIDCServiceGenerationFailed')) return done();
    let csids: Outcome = { ok: true, action: 'unchanged' };
    for (const m of operatorClusterSpiffeIds(namespace, l)) {
      csids = ensure(m, cr, cspiffeDrift, createOnly);
      if (!csids.ok) break;
    }
    if (!record(conds, 'ClusterSPIFFEIDAvailable', csids, 'SpireClusterSpiffeIDResourcesReady', 'Spire OIDC and default ClusterSpiffeID resources are ready', 'SpireClusterSpiffeIDCreationFailed')) return done();
    const conf = renderOidcConf(spec, id.trustDomain, namespace);
    if (!record(conds, 'ConfigMapAvailable', ensure(configMap('spire-spiffe-oidc-discovery-provider', namespace, l, { 'oidc-discovery-provider.conf': conf }), cr, configMapDrift('oidc-discovery-provider.conf'), createOnly), 'SpireOIDCConfigMapResourceCreated', 'Spire OIDC ConfigMap resources applied', 'SpireOIDCConfigMapGenerationFailed')) return done();
    const dep = ensure(oidcDeployment(spec, namespace, imagesFor(version, env), l, configHash(conf)), cr, workloadDrift, createOnly);
    if (!dep.ok) conds.push(cond('DeploymentAvailable', false, 'SpireOIDCDeploymentCreationFailed', dep.message));
    else conds.push(workloadHealth('Deployment', 'spire-spiffe-oidc-discovery-provider'));
    if ((spec.managedRoute ?? 'true') === 'true') {
      const r = ensure(oidcRoute(spec, namespace, l, stripScheme(s(spec.jwtIssuer))), cr, routeDrift, createOnly);
      record(conds, 'RouteAvailable', r, 'Ready', 'OIDC Route resources applied', 'SpireOIDCRouteCreationFailed');
    } else conds.push(cond('RouteAvailable', false, 'ManagedRouteDisabled', 'Managed route is disabled'));
    done();
  }

  /** zero-trust-workload-identity-manager/controller.go: aggregates the operands. */
  function reconcileZtwim(cr: KubeObject): void {
    const conds: Condition[] = [];
    const createOnly = version === '0.2' ? sticky.size > 0 : envCreateOnly(env, log, warned);
    if (createOnly) conds.push(cond('CreateOnlyMode', true, 'CreateOnlyModeEnabled', 'Create-only mode is enabled: Updates are not reconciled to existing resources'));
    else if ((o(cr.status).conditions as Condition[] | undefined)?.some((c) => c.type === 'CreateOnlyMode' && c.status === 'True')) conds.push(cond('CreateOnlyMode', false, 'CreateOnlyModeDisabled', 'Create-only mode is disabled'));
    const operands = OPERAND_KINDS.map((kind) => {
      const op = getCr(kind);
      if (!op) return { name: 'cluster', kind, ready: 'false', message: 'CR not found' };
      const ready = ((o(op.status).conditions ?? []) as Condition[]).find((c) => c.type === 'Ready');
      if (!ready) return { name: 'cluster', kind, ready: 'false', message: 'Waiting for initial reconciliation' };
      if (ready.status === 'True') return { name: 'cluster', kind, ready: 'true', message: 'Ready' };
      return { name: 'cluster', kind, ready: 'false', message: ready.reason === 'Progressing' ? 'Reconciling' : ready.message };
    });
    const pending = operands.filter((x) => x.ready !== 'true' && ['CR not found', 'Waiting for initial reconciliation', 'Reconciling'].includes(x.message));
    const failed = operands.filter((x) => x.ready !== 'true' && !pending.includes(x));
    if (failed.length === 0 && pending.length === 0) {
      conds.push(cond('OperandsAvailable', true, 'Ready', 'All operand CRs are ready'), cond('Ready', true, 'Ready', 'All operand CRs are ready'));
    } else if (failed.length === 0) {
      const m = `Waiting for operands: [${pending.map((x) => `${x.kind}(${x.message === 'CR not found' ? 'not created' : 'reconciling'})`).join(' ')}]`;
      conds.push(cond('OperandsAvailable', false, 'Progressing', m), cond('Ready', false, 'Progressing', m));
    } else {
      const m = `Some operands not ready: [${failed.map((x) => `${x.kind}/${x.name}`).join(' ')}]`;
      conds.push(cond('OperandsAvailable', false, 'Failed', m), cond('Ready', false, 'Failed', m));
    }
    applyStatus(cr, conds, true);
    const fresh = store.find({ apiVersion: GROUP_VERSION, kind: 'ZeroTrustWorkloadIdentityManager' }, undefined, 'cluster');
    if (fresh && !deepEqual(o(fresh.status).operands, operands)) store.updateStatus({ ...fresh, status: { ...o(fresh.status), operands } });
  }

  const RECONCILERS: Record<ControllerName, (cr: KubeObject) => void> = {
    SpireServer: reconcileServer,
    SpireAgent: reconcileAgent,
    SpiffeCSIDriver: reconcileCsi,
    SpireOIDCDiscoveryProvider: reconcileOidc,
    ZeroTrustWorkloadIdentityManager: reconcileZtwim,
  };

  const stopIdle = store.onIdle(() => {
    const next = ORDER.find((k) => dirty.has(k));
    if (!next) return false;
    dirty.delete(next);
    const cr = getCr(next);
    // A missing CR: "resource not found. Ignoring since object must be deleted or not been created."
    if (cr) RECONCILERS[next](cr);
    return true;
  });

  const all = () => {
    for (const k of ORDER) dirty.add(k);
    store.settle();
  };
  all();

  return {
    stop() {
      stopWatch();
      stopIdle();
    },
    reconcileNow: all,
    setEnv(next) {
      env = { ...next };
      warned.done = false;
      sticky.clear();
      all();
    },
  };
}

export { renderServerConf, renderAgentConf, renderControllerManagerConfig, renderOidcConf };
