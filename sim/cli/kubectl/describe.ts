/**
 * `kubectl describe` (kubectl:pkg/describe/describe.go): Pod, Deployment and Service describers in
 * their usual layout, and the GenericDescriber every other kind (custom resources included) gets:
 * Name, Namespace, Labels, Annotations, then the whole object with smartLabelFor keys
 * (`trustDomain` → `Trust Domain`, `apiVersion` → `API Version`), then Events. Aligned with Go's
 * tabwriter as describe configures it (minwidth 0, padding 2).
 * Simplified: Events are always `<none>` (the lab records no Event objects); the Pod describer shows
 * the fields a lab user reads (no QoS computation beyond BestEffort/Burstable, no volumes detail).
 */
import type { KindInfo } from '../../kube/builtinKinds.ts';
import { isPlainObject, type KubeObject } from '../../kube/object.ts';
import { labelSelectorAsSelector, type LabelSelector } from '../../kube/selector.ts';
import type { ProgramResult } from '../shell/program.ts';
import { flagBool, flagString } from './flags.ts';
import { CommandError, errorsText, Output, resourceArgs, usageError, type Session } from './session.ts';
import { tabwrite } from './tabWriter.ts';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (isPlainObject(v) ? v : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

class PrefixWriter {
  text = '';
  write(level: number, s: string): void {
    this.text += '  '.repeat(level) + s;
  }
}

const ACRONYMS = ['API', 'URL', 'UID', 'OSB', 'GUID'];

/** describe.go smartLabelFor with fatih/camelcase splitting. */
export function smartLabelFor(field: string): string {
  if (/[^\p{L}-]/u.test(field)) return field;
  const parts = field.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|-/g) ?? [field];
  return parts
    .filter((p) => p !== '-')
    .map((p) => (ACRONYMS.includes(p.toUpperCase()) ? p.toUpperCase() : p.charAt(0).toUpperCase() + p.slice(1)))
    .join(' ');
}

function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  return String(v);
}

function printUnstructured(w: PrefixWriter, level: number, content: Rec, prefix: string): void {
  for (const field of Object.keys(content).sort()) {
    const value = content[field];
    const path = `${prefix}.${field}`;
    if (path === '.metadata.managedFields') continue;
    if (isPlainObject(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      printUnstructured(w, level + 1, value, path);
    } else if (Array.isArray(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      for (const child of value) {
        if (isPlainObject(child)) printUnstructured(w, level + 1, child, path);
        else w.write(level + 1, `${goValue(child)}\n`);
      }
    } else w.write(level, `${smartLabelFor(field)}:\t${goValue(value)}\n`);
  }
}

/** printLabelsMultiline / printAnnotationsMultiline. */
function multiline(w: PrefixWriter, level: number, title: string, m: Record<string, string> | undefined, sep: string): void {
  const keys = Object.keys(m ?? {}).sort();
  if (keys.length === 0) {
    w.write(level, `${title}:\t<none>\n`);
    return;
  }
  keys.forEach((k, i) => {
    const v = m![k]!;
    const shown = sep === ': ' && v.length > 200 ? `${v.slice(0, 200)}...` : v;
    w.write(i === 0 ? level : 0, i === 0 ? `${title}:\t${k}${sep}${shown}\n` : `${'  '.repeat(level)}\t${k}${sep}${shown}\n`);
  });
}

/** `Mon, 02 Jan 2006 15:04:05 -0700` (time.RFC1123Z), as describe prints timestamps. */
function rfc1123z(ts: unknown): string {
  const t = Date.parse(str(ts));
  if (Number.isNaN(t)) return '<unset>';
  const d = new Date(t);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

function generic(o: KubeObject): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${o.metadata.name}\n`);
  w.write(0, `Namespace:\t${o.metadata.namespace ?? ''}\n`);
  multiline(w, 0, 'Labels', o.metadata.labels, '=');
  multiline(w, 0, 'Annotations', o.metadata.annotations, ': ');
  printUnstructured(w, 0, o as unknown as Rec, '');
  w.write(0, 'Events:\t<none>\n');
  return w.text;
}

function controlledBy(w: PrefixWriter, o: KubeObject): void {
  const c = o.metadata.ownerReferences?.find((r) => r.controller === true);
  if (c) w.write(0, `Controlled By:\t${c.kind}/${c.name}\n`);
}

function containerState(w: PrefixWriter, level: number, title: string, state: Rec): void {
  if (isPlainObject(state.running)) {
    w.write(level, `${title}:\tRunning\n`);
    w.write(level + 1, `Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (isPlainObject(state.waiting)) {
    w.write(level, `${title}:\tWaiting\n`);
    w.write(level + 1, `Reason:\t${str(state.waiting.reason)}\n`);
  } else if (isPlainObject(state.terminated)) {
    const t = state.terminated;
    w.write(level, `${title}:\tTerminated\n`);
    w.write(level + 1, `Reason:\t${str(t.reason)}\n`);
    w.write(level + 1, `Exit Code:\t${str(t.exitCode ?? 0)}\n`);
    w.write(level + 1, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(level + 1, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else w.write(level, `${title}:\tWaiting\n`);
}

function describeContainers(w: PrefixWriter, title: string, containers: Rec[], statuses: Rec[], level = 0): void {
  w.write(level, `${title}:\n`);
  for (const c of containers) {
    const st = statuses.find((s) => s.name === c.name);
    w.write(level + 1, `${str(c.name)}:\n`);
    if (st) w.write(level + 2, `Container ID:\t${str(st.containerID)}\n`);
    w.write(level + 2, `Image:\t${str(c.image)}\n`);
    if (st) w.write(level + 2, `Image ID:\t${str(st.imageID)}\n`);
    const ports = arr(c.ports).map(rec);
    if (ports.length === 0) w.write(level + 2, 'Port:\t<none>\n');
    else if (ports.length === 1) w.write(level + 2, `Port:\t${str(ports[0]!.containerPort)}/${str(ports[0]!.protocol || 'TCP')}\n`);
    else w.write(level + 2, `Ports:\t${ports.map((p) => `${str(p.containerPort)}/${str(p.protocol || 'TCP')}`).join(', ')}\n`);
    if (arr(c.command).length) {
      w.write(level + 2, 'Command:\n');
      for (const x of arr(c.command)) w.write(level + 3, `${str(x)}\n`);
    }
    if (arr(c.args).length) {
      w.write(level + 2, 'Args:\n');
      for (const x of arr(c.args)) w.write(level + 3, `${str(x)}\n`);
    }
    if (st) {
      containerState(w, level + 2, 'State', rec(st.state));
      if (isPlainObject(st.lastState) && Object.keys(st.lastState).length > 0) containerState(w, level + 2, 'Last State', st.lastState);
      w.write(level + 2, `Ready:\t${st.ready === true ? 'True' : 'False'}\n`);
      w.write(level + 2, `Restart Count:\t${str(st.restartCount ?? 0)}\n`);
    }
    const env = arr(c.env).map(rec);
    if (env.length === 0) w.write(level + 2, 'Environment:\t<none>\n');
    else {
      w.write(level + 2, 'Environment:\n');
      for (const e of env) {
        const from = rec(e.valueFrom);
        const shown = e.value !== undefined ? str(e.value) : isPlainObject(from.fieldRef) ? ` (${str(rec(from.fieldRef).apiVersion || 'v1')}:${str(rec(from.fieldRef).fieldPath)})` : isPlainObject(from.secretKeyRef) ? `<set to the key '${str(from.secretKeyRef.key)}' in secret '${str(from.secretKeyRef.name)}'>` : isPlainObject(from.configMapKeyRef) ? `<set to the key '${str(from.configMapKeyRef.key)}' of config map '${str(from.configMapKeyRef.name)}'>` : '';
        w.write(level + 3, `${str(e.name)}:\t${shown}\n`);
      }
    }
    const mounts = arr(c.volumeMounts).map(rec);
    if (mounts.length === 0) w.write(level + 2, 'Mounts:\t<none>\n');
    else {
      w.write(level + 2, 'Mounts:\n');
      for (const m of mounts) w.write(level + 3, `${str(m.mountPath)} from ${str(m.name)} (${m.readOnly === true ? 'ro' : 'rw'})\n`);
    }
  }
}

function describePod(o: KubeObject): string {
  const w = new PrefixWriter();
  const spec = rec(o.spec);
  const st = rec(o.status);
  w.write(0, `Name:\t${o.metadata.name}\n`);
  w.write(0, `Namespace:\t${o.metadata.namespace ?? ''}\n`);
  w.write(0, `Priority:\t${str(spec.priority ?? 0)}\n`);
  w.write(0, `Service Account:\t${str(spec.serviceAccountName || 'default')}\n`);
  w.write(0, `Node:\t${spec.nodeName ? `${str(spec.nodeName)}/${str(st.hostIP)}` : '<none>'}\n`);
  if (st.startTime) w.write(0, `Start Time:\t${rfc1123z(st.startTime)}\n`);
  multiline(w, 0, 'Labels', o.metadata.labels, '=');
  multiline(w, 0, 'Annotations', o.metadata.annotations, ': ');
  if (o.metadata.deletionTimestamp) w.write(0, `Status:\tTerminating (lasts <unknown>)\n`);
  else w.write(0, `Status:\t${str(st.phase)}\n`);
  if (st.reason) w.write(0, `Reason:\t${str(st.reason)}\n`);
  if (st.message) w.write(0, `Message:\t${str(st.message)}\n`);
  w.write(0, `IP:\t${str(st.podIP)}\n`);
  const ips = arr(st.podIPs).map(rec);
  if (ips.length === 0) w.write(0, 'IPs:\t<none>\n');
  else {
    w.write(0, 'IPs:\n');
    for (const ip of ips) w.write(1, `IP:\t${str(ip.ip)}\n`);
  }
  controlledBy(w, o);
  const statuses = arr(st.containerStatuses).map(rec);
  const inits = arr(spec.initContainers).map(rec);
  if (inits.length) describeContainers(w, 'Init Containers', inits, arr(st.initContainerStatuses).map(rec));
  describeContainers(w, 'Containers', arr(spec.containers).map(rec), statuses);
  const conds = arr(st.conditions).map(rec);
  if (conds.length) {
    w.write(0, 'Conditions:\n');
    w.write(1, 'Type\tStatus\n');
    for (const c of conds) w.write(1, `${str(c.type)} \t${str(c.status)} \n`);
  }
  const vols = arr(spec.volumes).map(rec);
  if (vols.length === 0) w.write(0, 'Volumes:\t<none>\n');
  else {
    w.write(0, 'Volumes:\n');
    for (const v of vols) {
      w.write(1, `${str(v.name)}:\n`);
      const type = Object.keys(v).find((k) => k !== 'name');
      w.write(2, `Type:\t${type ?? '<unknown>'}\n`);
    }
  }
  const qos = str(st.qosClass) || 'BestEffort';
  w.write(0, `QoS Class:\t${qos}\n`);
  const ns = rec(spec.nodeSelector) as Record<string, string>;
  w.write(0, `Node-Selectors:\t${Object.keys(ns).length ? Object.keys(ns).sort().map((k) => `${k}=${ns[k]}`).join('\n\t') : '<none>'}\n`);
  const tol = arr(spec.tolerations).map(rec);
  w.write(
    0,
    `Tolerations:\t${tol.length ? tol.map((t) => `${str(t.key)}${t.operator === 'Exists' ? '' : `=${str(t.value)}`}${t.effect ? `:${str(t.effect)}` : ''}${t.operator === 'Exists' ? ' op=Exists' : ''}${t.tolerationSeconds !== undefined ? ` for ${str(t.tolerationSeconds)}s` : ''}`).join('\n\t') : '<none>'}\n`,
  );
  w.write(0, 'Events:\t<none>\n');
  return w.text;
}

function selectorText(ls: unknown): string {
  const s = labelSelectorAsSelector(ls as LabelSelector | undefined);
  return s.ok && s.value.toString() !== '' ? s.value.toString() : '<none>';
}

function describeDeployment(o: KubeObject): string {
  const w = new PrefixWriter();
  const spec = rec(o.spec);
  const st = rec(o.status);
  w.write(0, `Name:\t${o.metadata.name}\n`);
  w.write(0, `Namespace:\t${o.metadata.namespace ?? ''}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(o.metadata.creationTimestamp)}\n`);
  multiline(w, 0, 'Labels', o.metadata.labels, '=');
  multiline(w, 0, 'Annotations', o.metadata.annotations, ': ');
  w.write(0, `Selector:\t${selectorText(spec.selector)}\n`);
  w.write(
    0,
    `Replicas:\t${str(spec.replicas ?? 1)} desired | ${str(st.updatedReplicas ?? 0)} updated | ${str(st.replicas ?? 0)} total | ${str(st.availableReplicas ?? 0)} available | ${str(st.unavailableReplicas ?? 0)} unavailable\n`,
  );
  const strategy = rec(spec.strategy);
  w.write(0, `StrategyType:\t${str(strategy.type || 'RollingUpdate')}\n`);
  w.write(0, `MinReadySeconds:\t${str(spec.minReadySeconds ?? 0)}\n`);
  if ((strategy.type ?? 'RollingUpdate') === 'RollingUpdate') {
    const ru = rec(strategy.rollingUpdate);
    w.write(0, `RollingUpdateStrategy:\t${str(ru.maxUnavailable ?? '25%')} max unavailable, ${str(ru.maxSurge ?? '25%')} max surge\n`);
  }
  const tpl = rec(spec.template);
  w.write(0, 'Pod Template:\n');
  multiline(w, 1, 'Labels', rec(tpl.metadata).labels as Record<string, string> | undefined, '=');
  const tplAnn = rec(tpl.metadata).annotations as Record<string, string> | undefined;
  if (tplAnn && Object.keys(tplAnn).length) multiline(w, 1, 'Annotations', tplAnn, ': ');
  const tspec = rec(tpl.spec);
  if (tspec.serviceAccountName) w.write(1, `Service Account:\t${str(tspec.serviceAccountName)}\n`);
  describeContainers(w, 'Containers', arr(tspec.containers).map(rec), [], 1);
  const vols = arr(tspec.volumes).map(rec);
  w.write(1, vols.length ? 'Volumes:\n' : 'Volumes:\t<none>\n');
  for (const v of vols) w.write(2, `${str(v.name)}:\n`);
  w.write(1, `Node-Selectors:\t<none>\n`);
  w.write(1, `Tolerations:\t<none>\n`);
  const conds = arr(st.conditions).map(rec);
  if (conds.length) {
    w.write(0, 'Conditions:\n');
    w.write(1, 'Type\tStatus\tReason\n');
    w.write(1, '----\t------\t------\n');
    for (const c of conds) w.write(1, `${str(c.type)} \t${str(c.status)}\t${str(c.reason)}\n`);
  }
  w.write(0, 'Events:\t<none>\n');
  return w.text;
}

function describeService(o: KubeObject): string {
  const w = new PrefixWriter();
  const spec = rec(o.spec);
  w.write(0, `Name:\t${o.metadata.name}\n`);
  w.write(0, `Namespace:\t${o.metadata.namespace ?? ''}\n`);
  multiline(w, 0, 'Labels', o.metadata.labels, '=');
  multiline(w, 0, 'Annotations', o.metadata.annotations, ': ');
  const sel = rec(spec.selector) as Record<string, string>;
  w.write(0, `Selector:\t${Object.keys(sel).length ? Object.keys(sel).sort().map((k) => `${k}=${sel[k]}`).join(',') : '<none>'}\n`);
  w.write(0, `Type:\t${str(spec.type)}\n`);
  w.write(0, `IP Family Policy:\t${str(spec.ipFamilyPolicy || 'SingleStack')}\n`);
  w.write(0, `IP Families:\t${arr(spec.ipFamilies).map(str).join(',') || 'IPv4'}\n`);
  w.write(0, `IP:\t${str(spec.clusterIP) || '<none>'}\n`);
  w.write(0, `IPs:\t${arr(spec.clusterIPs).map(str).join(',') || str(spec.clusterIP) || '<none>'}\n`);
  for (const p of arr(spec.ports).map(rec)) {
    const name = str(p.name) || '<unset>';
    w.write(0, `Port:\t${name}\t${str(p.port)}/${str(p.protocol || 'TCP')}\n`);
    w.write(0, `TargetPort:\t${str(p.targetPort ?? p.port)}/${str(p.protocol || 'TCP')}\n`);
    if (p.nodePort) w.write(0, `NodePort:\t${name}\t${str(p.nodePort)}/${str(p.protocol || 'TCP')}\n`);
  }
  w.write(0, `Session Affinity:\t${str(spec.sessionAffinity || 'None')}\n`);
  w.write(0, `Internal Traffic Policy:\t${str(spec.internalTrafficPolicy || 'Cluster')}\n`);
  w.write(0, 'Events:\t<none>\n');
  return w.text;
}

export function describeObject(kind: KindInfo, o: KubeObject): string {
  const key = `${kind.group}/${kind.kind}`;
  const text = key === '/Pod' ? describePod(o) : key === 'apps/Deployment' ? describeDeployment(o) : key === '/Service' ? describeService(o) : generic(o);
  return tabwrite(text);
}

export function runDescribe(s: Session): ProgramResult {
  const out = new Output();
  if (s.args.positional.length === 0) throw usageError(s, 'Required resource not specified.');
  const reqs = resourceArgs(s, s.args.positional);
  if (reqs instanceof CommandError) throw reqs;
  const allNs = flagBool(s.args, 'all-namespaces');
  const selector = flagString(s.args, 'selector');
  const errors: string[] = [];
  const texts: string[] = [];
  for (const r of reqs) {
    if (r.names.length > 0) {
      for (const n of r.names) {
        const got = s.store.get(r.kind, s.namespace, n);
        if (got.ok) {
          texts.push(describeObject(r.kind, got.value));
          continue;
        }
        // describe.go: a name that matches nothing is tried as a prefix (`describe pod web`).
        const listed = s.store.list(r.kind, { namespace: r.kind.namespaced ? s.namespace : undefined });
        const byPrefix = listed.ok ? listed.value.filter((o) => o.metadata.name.startsWith(n)) : [];
        if (byPrefix.length > 0) for (const o of byPrefix) texts.push(describeObject(r.kind, o));
        else errors.push(got.error.message);
      }
      continue;
    }
    const listed = s.store.list(r.kind, { namespace: r.kind.namespaced && !allNs ? s.namespace : undefined, labelSelector: selector ?? '' });
    if (!listed.ok) throw new CommandError(listed.error.message);
    for (const o of listed.value) texts.push(describeObject(r.kind, o));
  }
  out.out(texts.join('\n\n'));
  if (texts.length === 0 && errors.length === 0) out.err(allNs || reqs.every((r) => !r.kind.namespaced) ? 'No resources found' : `No resources found in ${s.namespace} namespace.`);
  if (errors.length) out.err(errorsText(errors));
  return out.result(errors.length ? 1 : 0);
}
