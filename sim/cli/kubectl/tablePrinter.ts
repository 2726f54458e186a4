/**
 * The human-readable tables of `kubectl get`: the server-side table columns of the built-in kinds
 * (kubernetes:pkg/printers/internalversion/printers.go — printPod, printDeployment, printService,
 * printNode, …, in their current form), custom resources through their CRD's additionalPrinterColumns
 * (apiextensions-apiserver:pkg/registry/customresource/tableconvertor), and kubectl's decorations:
 * NAMESPACE first with -A, `kind/name` when several kinds are printed, LABELS with --show-labels
 * (cli-runtime/pkg/printers/tableprinter.go).
 * Simplified: a few rarely listed built-ins (ControllerRevision, CSIDriver, PVC…) print NAME and AGE.
 */
import { ROUTE_TABLE_HEADERS, routeTableCells } from '../../openshift/index.ts';
import type { KindInfo } from '../../kube/builtinKinds.ts';
import { isPlainObject, type KubeObject } from '../../kube/object.ts';
import { labelSelectorAsSelector, selectorFromSet, type LabelSelector } from '../../kube/selector.ts';
import { printerColumnsFor, type PrinterColumn } from './crdColumns.ts';
import { ageSince, humanDuration } from './humanDuration.ts';
import { parseJsonPath, printValue } from './jsonPath.ts';

export interface TableOptions {
  readonly now: number;
  readonly wide: boolean;
  readonly withNamespace: boolean;
  readonly withKind: boolean;
  readonly showLabels: boolean;
  readonly noHeaders?: boolean;
}

interface Column {
  readonly name: string;
  readonly wide?: boolean;
  readonly cell: (o: KubeObject, now: number) => string;
}

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (isPlainObject(v) ? v : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const none = (s: string): string => (s === '' ? '<none>' : s);

const nameCol: Column = { name: 'NAME', cell: (o) => o.metadata.name };
const ageCol: Column = { name: 'AGE', cell: (o, now) => ageSince(o.metadata.creationTimestamp, now) };
const createdAtCol: Column = { name: 'CREATED AT', cell: (o) => o.metadata.creationTimestamp };

/** `app=web,tier in (a,b)`: metav1.LabelSelectorAsSelector(...).String(). */
function selectorString(ls: unknown): string {
  if (!isPlainObject(ls)) return '<none>';
  const s = labelSelectorAsSelector(ls as LabelSelector);
  return s.ok ? none(s.value.toString()) : '<none>';
}

/** labels.FormatLabels: `k=v,k2=v2` sorted, `<none>` when empty. */
export function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length === 0 ? '<none>' : keys.map((k) => `${k}=${labels![k]}`).join(',');
}

const templateContainers = (o: KubeObject): Rec[] => arr(rec(rec(rec(o.spec).template).spec).containers).map(rec);
const containersCol: Column = { name: 'CONTAINERS', wide: true, cell: (o) => templateContainers(o).map((c) => str(c.name)).join(',') };
const imagesCol: Column = { name: 'IMAGES', wide: true, cell: (o) => templateContainers(o).map((c) => str(c.image)).join(',') };
const selectorCol: Column = { name: 'SELECTOR', wide: true, cell: (o) => selectorString(rec(o.spec).selector) };

// printers.go printEvent / eventColumnDefinitions: LAST SEEN is series.lastObservedTime, else
// lastTimestamp, else FIRST SEEN (firstTimestamp, else eventTime); a zero time is `<unknown>`. COUNT
// is series.count, else count, else 1 (singleton events of the events.k8s.io API carry no count).
const eventFirstSeen = (o: KubeObject): string => str(o.firstTimestamp) || str(o.eventTime);
const eventLastSeen = (o: KubeObject): string => str(rec(o.series).lastObservedTime) || str(o.lastTimestamp) || eventFirstSeen(o);
const eventColumns: Column[] = [
  { name: 'LAST SEEN', cell: (o, now) => ageSince(eventLastSeen(o), now) },
  { name: 'TYPE', cell: (o) => str(o.type) },
  { name: 'REASON', cell: (o) => str(o.reason) },
  {
    name: 'OBJECT',
    cell: (o) => {
      const io = rec(o.involvedObject);
      const kind = str(io.kind).toLowerCase();
      return str(io.name) ? `${kind}/${str(io.name)}` : kind;
    },
  },
  { name: 'SUBOBJECT', wide: true, cell: (o) => str(rec(o.involvedObject).fieldPath) },
  {
    // formatEventSource: component (or reportingController), `, host` (or reportingInstance) when set.
    name: 'SOURCE',
    wide: true,
    cell: (o) => {
      const component = str(rec(o.source).component) || str(o.reportingComponent);
      const instance = str(rec(o.source).host) || str(o.reportingInstance);
      return instance ? `${component}, ${instance}` : component;
    },
  },
  { name: 'MESSAGE', cell: (o) => str(o.message).trim() },
  { name: 'FIRST SEEN', wide: true, cell: (o, now) => ageSince(eventFirstSeen(o), now) },
  { name: 'COUNT', wide: true, cell: (o) => String(o.series !== undefined ? num(rec(o.series).count) : num(o.count) || 1) },
  { ...nameCol, wide: true },
];

// printers.go printPod
export function podCells(o: KubeObject): { ready: string; status: string; restarts: string; lastRestart?: number } {
  const spec = rec(o.spec);
  const status = rec(o.status);
  const initSpecs = arr(spec.initContainers).map(rec);
  const sidecars = new Set(initSpecs.filter((c) => c.restartPolicy === 'Always').map((c) => str(c.name)));
  let total = arr(spec.containers).length + sidecars.size;
  let ready = 0;
  let restarts = 0;
  let lastRestart: number | undefined;
  const noteRestart = (cs: Rec) => {
    const fin = str(rec(rec(cs.lastState).terminated).finishedAt);
    if (fin) lastRestart = Math.max(lastRestart ?? 0, Date.parse(fin));
  };
  let reason = str(status.phase);
  if (str(status.reason)) reason = str(status.reason);
  for (const c of arr(status.conditions).map(rec)) if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  let initializing = false;
  let sidecarRestarts = 0;
  let sidecarLast: number | undefined;
  const initStatuses = arr(status.initContainerStatuses).map(rec);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]!;
    const state = rec(cs.state);
    restarts += num(cs.restartCount);
    noteRestart(cs);
    if (sidecars.has(str(cs.name))) {
      sidecarRestarts += num(cs.restartCount);
      sidecarLast = lastRestart;
      if (cs.started === true) {
        if (cs.ready === true) ready++;
        continue;
      }
    }
    const term = isPlainObject(state.terminated) ? state.terminated : undefined;
    const wait = isPlainObject(state.waiting) ? state.waiting : undefined;
    if (term && num(term.exitCode) === 0) continue;
    if (term) {
      reason = str(term.reason) ? `Init:${str(term.reason)}` : num(term.signal) !== 0 ? `Init:Signal:${num(term.signal)}` : `Init:ExitCode:${num(term.exitCode)}`;
    } else if (wait && str(wait.reason) && wait.reason !== 'PodInitializing') reason = `Init:${str(wait.reason)}`;
    else reason = `Init:${i}/${initSpecs.length}`;
    initializing = true;
    break;
  }
  const initialized = arr(status.conditions).some((c) => rec(c).type === 'Initialized' && rec(c).status === 'True');
  if (!initializing || initialized) {
    restarts = sidecarRestarts;
    lastRestart = sidecarLast;
    let hasRunning = false;
    const statuses = arr(status.containerStatuses).map(rec);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]!;
      const state = rec(cs.state);
      restarts += num(cs.restartCount);
      noteRestart(cs);
      const term = isPlainObject(state.terminated) ? state.terminated : undefined;
      const wait = isPlainObject(state.waiting) ? state.waiting : undefined;
      if (wait && str(wait.reason)) reason = str(wait.reason);
      else if (term && str(term.reason)) reason = str(term.reason);
      else if (term) reason = num(term.signal) !== 0 ? `Signal:${num(term.signal)}` : `ExitCode:${num(term.exitCode)}`;
      else if (cs.ready === true && isPlainObject(state.running)) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const podReady = arr(status.conditions).some((c) => rec(c).type === 'Ready' && rec(c).status === 'True');
      reason = podReady ? 'Running' : 'NotReady';
    }
  }
  if (o.metadata.deletionTimestamp !== undefined) {
    if (status.reason === 'NodeLost') reason = 'Unknown';
    else if (status.phase !== 'Succeeded' && status.phase !== 'Failed') reason = 'Terminating';
  }
  total = Math.max(total, 0);
  return { ready: `${ready}/${total}`, status: reason, restarts: String(restarts), lastRestart };
}

const podColumns: Column[] = [
  nameCol,
  { name: 'READY', cell: (o) => podCells(o).ready },
  { name: 'STATUS', cell: (o) => podCells(o).status },
  {
    name: 'RESTARTS',
    cell: (o, now) => {
      const c = podCells(o);
      return c.restarts !== '0' && c.lastRestart !== undefined && c.lastRestart > 0 ? `${c.restarts} (${humanDuration(now - c.lastRestart)} ago)` : c.restarts;
    },
  },
  ageCol,
  { name: 'IP', wide: true, cell: (o) => none(str(rec(arr(rec(o.status).podIPs)[0]).ip) || str(rec(o.status).podIP)) },
  { name: 'NODE', wide: true, cell: (o) => none(str(rec(o.spec).nodeName)) },
  { name: 'NOMINATED NODE', wide: true, cell: (o) => none(str(rec(o.status).nominatedNodeName)) },
  {
    name: 'READINESS GATES',
    wide: true,
    cell: (o) => {
      const gates = arr(rec(o.spec).readinessGates).map((g) => str(rec(g).conditionType));
      if (gates.length === 0) return '<none>';
      const conds = arr(rec(o.status).conditions).map(rec);
      const t = gates.filter((g) => conds.some((c) => c.type === g && c.status === 'True')).length;
      return `${t}/${gates.length}`;
    },
  },
];

const deploymentColumns: Column[] = [
  nameCol,
  { name: 'READY', cell: (o) => `${num(rec(o.status).readyReplicas)}/${num(rec(o.spec).replicas)}` },
  { name: 'UP-TO-DATE', cell: (o) => String(num(rec(o.status).updatedReplicas)) },
  { name: 'AVAILABLE', cell: (o) => String(num(rec(o.status).availableReplicas)) },
  ageCol,
  containersCol,
  imagesCol,
  selectorCol,
];

const replicaSetColumns: Column[] = [
  nameCol,
  { name: 'DESIRED', cell: (o) => String(num(rec(o.spec).replicas)) },
  { name: 'CURRENT', cell: (o) => String(num(rec(o.status).replicas)) },
  { name: 'READY', cell: (o) => String(num(rec(o.status).readyReplicas)) },
  ageCol,
  containersCol,
  imagesCol,
  selectorCol,
];

const daemonSetColumns: Column[] = [
  nameCol,
  { name: 'DESIRED', cell: (o) => String(num(rec(o.status).desiredNumberScheduled)) },
  { name: 'CURRENT', cell: (o) => String(num(rec(o.status).currentNumberScheduled)) },
  { name: 'READY', cell: (o) => String(num(rec(o.status).numberReady)) },
  { name: 'UP-TO-DATE', cell: (o) => String(num(rec(o.status).updatedNumberScheduled)) },
  { name: 'AVAILABLE', cell: (o) => String(num(rec(o.status).numberAvailable)) },
  {
    name: 'NODE SELECTOR',
    cell: (o) => {
      const ns = rec(rec(rec(rec(o.spec).template).spec).nodeSelector) as Record<string, string>;
      return none(selectorFromSet(ns).toString());
    },
  },
  ageCol,
  containersCol,
  imagesCol,
  selectorCol,
];

const statefulSetColumns: Column[] = [
  nameCol,
  { name: 'READY', cell: (o) => `${num(rec(o.status).readyReplicas)}/${num(rec(o.spec).replicas)}` },
  ageCol,
  containersCol,
  imagesCol,
];

// printers.go makePortString / getServiceExternalIP / loadBalancerStatusStringer
function servicePorts(o: KubeObject): string {
  const ports = arr(rec(o.spec).ports).map(rec);
  return none(
    ports
      .map((p) => {
        const proto = str(p.protocol) || 'TCP';
        return num(p.nodePort) > 0 ? `${num(p.port)}:${num(p.nodePort)}/${proto}` : `${num(p.port)}/${proto}`;
      })
      .join(','),
  );
}

function lbStatus(o: KubeObject, wide: boolean): string {
  const ingress = arr(rec(rec(o.status).loadBalancer).ingress).map(rec);
  const s = ingress.map((i) => str(i.ip) || str(i.hostname)).filter((x) => x !== '').join(',');
  return !wide && s.length > 16 ? `${s.slice(0, 13)}...` : s;
}

function serviceExternalIp(o: KubeObject, wide: boolean): string {
  const spec = rec(o.spec);
  const external = arr(spec.externalIPs).map(str);
  switch (str(spec.type) || 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = lbStatus(o, wide);
      const all = [lb, ...external].filter((x) => x !== '').join(',');
      return all === '' ? '<pending>' : all;
    }
    case 'ExternalName':
      return str(spec.externalName);
  }
  return '<unknown>';
}

function serviceColumns(wide: boolean): Column[] {
  return [
    nameCol,
    { name: 'TYPE', cell: (o) => str(rec(o.spec).type) },
    { name: 'CLUSTER-IP', cell: (o) => none(str(arr(rec(o.spec).clusterIPs)[0]) || str(rec(o.spec).clusterIP)) },
    { name: 'EXTERNAL-IP', cell: (o) => serviceExternalIp(o, wide) },
    { name: 'PORT(S)', cell: servicePorts },
    ageCol,
    { name: 'SELECTOR', wide: true, cell: (o) => formatLabels(rec(o.spec).selector as Record<string, string> | undefined) },
  ];
}

// printers.go printNode
function nodeStatus(o: KubeObject): string {
  const conds = arr(rec(o.status).conditions).map(rec);
  const readyCond = conds.find((c) => c.type === 'Ready');
  const out: string[] = [];
  if (readyCond) out.push(readyCond.status === 'True' ? 'Ready' : 'NotReady');
  else out.push('Unknown');
  if (rec(o.spec).unschedulable === true) out.push('SchedulingDisabled');
  return out.join(',');
}

function nodeRoles(o: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(o.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role') roles.add(v);
  }
  return roles.size === 0 ? '<none>' : [...roles].filter((r) => r !== '').sort().join(',');
}

const nodeAddress = (o: KubeObject, type: string): string => none(str(arr(rec(o.status).addresses).map(rec).find((a) => a.type === type)?.address));
const nodeInfo = (o: KubeObject, k: string): string => str(rec(rec(o.status).nodeInfo)[k]) || '<unknown>';

const nodeColumns: Column[] = [
  nameCol,
  { name: 'STATUS', cell: nodeStatus },
  { name: 'ROLES', cell: nodeRoles },
  ageCol,
  { name: 'VERSION', cell: (o) => str(rec(rec(o.status).nodeInfo).kubeletVersion) },
  { name: 'INTERNAL-IP', wide: true, cell: (o) => nodeAddress(o, 'InternalIP') },
  { name: 'EXTERNAL-IP', wide: true, cell: (o) => nodeAddress(o, 'ExternalIP') },
  { name: 'OS-IMAGE', wide: true, cell: (o) => nodeInfo(o, 'osImage') },
  { name: 'KERNEL-VERSION', wide: true, cell: (o) => nodeInfo(o, 'kernelVersion') },
  { name: 'CONTAINER-RUNTIME', wide: true, cell: (o) => nodeInfo(o, 'containerRuntimeVersion') },
];

// printers.go formatEndpoints (at most 3, then "+ N more...")
function endpointsCell(o: KubeObject): string {
  const all: string[] = [];
  for (const ss of arr(o.subsets).map(rec)) {
    const ports = arr(ss.ports).map(rec);
    for (const a of arr(ss.addresses).map(rec)) {
      if (ports.length === 0) all.push(str(a.ip));
      else for (const p of ports) all.push(`${str(a.ip)}:${num(p.port)}`);
    }
  }
  if (all.length === 0) return '<none>';
  const shown = all.slice(0, 3).join(',');
  return all.length > 3 ? `${shown} + ${all.length - 3} more...` : shown;
}

const dataCount = (o: KubeObject): string => String(Object.keys(rec(o.data)).length + Object.keys(rec(o.binaryData)).length);

function bindingRole(o: KubeObject): string {
  const r = rec(o.roleRef);
  return `${str(r.kind)}/${str(r.name)}`;
}

const subjects = (o: KubeObject, kind: string): string =>
  arr(o.subjects)
    .map(rec)
    .filter((s) => s.kind === kind)
    .map((s) => (kind === 'ServiceAccount' ? `${str(s.namespace)}:${str(s.name)}` : str(s.name)))
    .join(', ');

/** `oc get route` comes from openshift-apiserver's printRoute, not from the CRD's printer columns. */
const routeColumns: Column[] = ROUTE_TABLE_HEADERS.map((name, i) => (i === 0 ? nameCol : { name, cell: (o: KubeObject) => routeTableCells(o)[i] ?? '' }));

function builtinColumns(info: KindInfo, wide: boolean): Column[] | undefined {
  const key = `${info.group}/${info.kind}`;
  switch (key) {
    case 'route.openshift.io/Route':
      return routeColumns;
    case '/Pod':
      return podColumns;
    case 'apps/Deployment':
      return deploymentColumns;
    case 'apps/ReplicaSet':
      return replicaSetColumns;
    case 'apps/DaemonSet':
      return daemonSetColumns;
    case 'apps/StatefulSet':
      return statefulSetColumns;
    case '/Service':
      return serviceColumns(wide);
    case '/Node':
      return nodeColumns;
    case '/Namespace':
      return [nameCol, { name: 'STATUS', cell: (o) => str(rec(o.status).phase) }, ageCol];
    case '/ConfigMap':
      return [nameCol, { name: 'DATA', cell: dataCount }, ageCol];
    case '/Secret':
      return [nameCol, { name: 'TYPE', cell: (o) => str(o.type) }, { name: 'DATA', cell: dataCount }, ageCol];
    case '/ServiceAccount':
      return [nameCol, { name: 'SECRETS', cell: (o) => String(arr(o.secrets).length) }, ageCol];
    case '/Endpoints':
      return [nameCol, { name: 'ENDPOINTS', cell: endpointsCell }, ageCol];
    case '/Event':
      return eventColumns;
    case 'apiextensions.k8s.io/CustomResourceDefinition':
    case 'rbac.authorization.k8s.io/ClusterRole':
    case 'rbac.authorization.k8s.io/Role':
      return [nameCol, createdAtCol];
    case 'rbac.authorization.k8s.io/ClusterRoleBinding':
    case 'rbac.authorization.k8s.io/RoleBinding':
      return [
        nameCol,
        { name: 'ROLE', cell: bindingRole },
        ageCol,
        { name: 'USERS', wide: true, cell: (o) => subjects(o, 'User') },
        { name: 'GROUPS', wide: true, cell: (o) => subjects(o, 'Group') },
        { name: 'SERVICEACCOUNTS', wide: true, cell: (o) => subjects(o, 'ServiceAccount') },
      ];
    case 'admissionregistration.k8s.io/MutatingWebhookConfiguration':
    case 'admissionregistration.k8s.io/ValidatingWebhookConfiguration':
      return [nameCol, { name: 'WEBHOOKS', cell: (o) => String(arr(o.webhooks).length) }, ageCol];
    case 'coordination.k8s.io/Lease':
      return [nameCol, { name: 'HOLDER', cell: (o) => str(rec(o.spec).holderIdentity) }, ageCol];
    case 'policy/PodDisruptionBudget':
      return [
        nameCol,
        { name: 'MIN AVAILABLE', cell: (o) => (rec(o.spec).minAvailable === undefined ? 'N/A' : String(rec(o.spec).minAvailable)) },
        { name: 'MAX UNAVAILABLE', cell: (o) => (rec(o.spec).maxUnavailable === undefined ? 'N/A' : String(rec(o.spec).maxUnavailable)) },
        { name: 'ALLOWED DISRUPTIONS', cell: (o) => String(num(rec(o.status).disruptionsAllowed)) },
        ageCol,
      ];
    case 'networking.k8s.io/NetworkPolicy':
      return [nameCol, { name: 'POD-SELECTOR', cell: (o) => selectorString(rec(o.spec).podSelector).replace('<none>', '<none>') }, ageCol];
    case 'batch/Job':
      return [
        nameCol,
        {
          name: 'STATUS',
          cell: (o) => {
            const conds = arr(rec(o.status).conditions).map(rec);
            if (conds.some((c) => c.type === 'Complete' && c.status === 'True')) return 'Complete';
            if (conds.some((c) => c.type === 'Failed' && c.status === 'True')) return 'Failed';
            return 'Running';
          },
        },
        { name: 'COMPLETIONS', cell: (o) => `${num(rec(o.status).succeeded)}/${rec(o.spec).completions === undefined ? 1 : num(rec(o.spec).completions)}` },
        { name: 'DURATION', cell: (o, now) => ageSince(str(rec(o.status).startTime), Date.parse(str(rec(o.status).completionTime)) || now) },
        ageCol,
        containersCol,
        imagesCol,
        selectorCol,
      ];
  }
  return undefined;
}

/**
 * Reads one printer column (apiextensions tableconvertor rowFn: first result, typed). A missing value is a
 * nil cell, which cli-runtime's printers/tableprinter.go prints as nothing (a blank, e.g. the REPLACES of
 * a first CSV), not `<none>`.
 */
function crColumn(c: PrinterColumn): Column {
  const path = parseJsonPath(`{${c.jsonPath}}`);
  return {
    name: c.name.toUpperCase(),
    wide: (c.priority ?? 0) > 0,
    cell: (o, now) => {
      if (!path.ok) return '';
      const found = path.value.find(o)[0] ?? [];
      if (found.length === 0) return '';
      const v = found[0];
      switch (c.type) {
        case 'string':
          return printValue(v);
        case 'integer':
          return typeof v === 'number' && Number.isInteger(v) ? String(v) : '<none>';
        case 'number':
          return typeof v === 'number' ? printValue(v) : '<none>';
        case 'boolean':
          return typeof v === 'boolean' ? String(v) : '<none>';
        case 'date':
          return typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? humanDuration(now - Date.parse(v)) : '<none>';
      }
      return printValue(v);
    },
  };
}

export function columnsFor(info: KindInfo, wide: boolean): Column[] {
  const builtin = builtinColumns(info, wide);
  if (builtin) return builtin;
  const cols = printerColumnsFor(info.group, info.kind, info.version);
  if (cols === undefined || cols.length === 0) return [nameCol, ageCol];
  return [nameCol, ...cols.map(crColumn)];
}

/** kubectl's name column with the kind prefix: `pod/web`, `deployment.apps/web`. */
export function kindPrefix(info: KindInfo): string {
  const k = info.kind.toLowerCase();
  return info.group === '' ? k : `${k}.${info.group}`;
}

/** The rows (headers first) of one kind's table. */
export function tableRows(info: KindInfo, objects: readonly KubeObject[], opts: TableOptions): string[][] {
  const cols = columnsFor(info, opts.wide).filter((c) => opts.wide || !c.wide);
  const rows: string[][] = [];
  const header = cols.map((c) => c.name);
  if (opts.withNamespace && info.namespaced) header.unshift('NAMESPACE');
  if (opts.showLabels) header.push('LABELS');
  if (!opts.noHeaders) rows.push(header);
  for (const o of objects) {
    const cells = cols.map((c) => c.cell(o, opts.now));
    if (opts.withKind) {
      const nameIdx = cols.findIndex((c) => c.cell === nameCol.cell);
      if (nameIdx >= 0) cells[nameIdx] = `${kindPrefix(info)}/${cells[nameIdx]}`;
    }
    if (opts.withNamespace && info.namespaced) cells.unshift(o.metadata.namespace ?? '');
    if (opts.showLabels) cells.push(formatLabels(o.metadata.labels));
    rows.push(cells);
  }
  return rows;
}
