/**
 * Endpoints controller (pkg/controller/endpoint/endpoints_controller.go): for each Service with a
 * selector, an Endpoints object of the same name listing the pods that match it and have an IP —
 * ready ones under `addresses`, the others under `notReadyAddresses` (all under `addresses` with
 * publishNotReadyAddresses) — with each service port resolved against the pod (a named targetPort is
 * looked up in the pod's container ports; a pod without it is left out of that port). Subsets are
 * grouped by identical port sets and sorted (endpoints.RepackSubsets). Services without a selector
 * keep hand-made Endpoints; a deleted Service loses its Endpoints.
 * Simplified: no EndpointSlices, no `endpoints.kubernetes.io/last-change-trigger-time`.
 */
import type { Pod, Service } from '../builtinKinds.ts';
import { parseIPv4 } from '../ipam.ts';
import { deepEqual, type KubeObject } from '../object.ts';
import { selectorFromSet } from '../selector.ts';
import { isPodReady, keyOf, splitKey, type Controller, type ControllerManager } from './manager.ts';

interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

interface EndpointAddress {
  ip: string;
  nodeName?: string;
  hostname?: string;
  targetRef: { kind: 'Pod'; namespace: string; name: string; uid: string };
}

function resolvePort(pod: Pod, target: number | string | undefined, fallback: number, protocol: string): number | undefined {
  if (target === undefined) return fallback;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of pod.spec.containers ?? []) for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  return undefined;
}

const ipKey = (ip: string) => parseIPv4(ip) ?? 0;

/** The subsets of a Service's Endpoints from the pods in its namespace. */
export function computeSubsets(svc: Service, pods: readonly Pod[]): Record<string, unknown>[] {
  const selector = selectorFromSet(svc.spec.selector);
  const headless = svc.spec.clusterIP === 'None';
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  for (const pod of pods) {
    if (!selector.matches(pod.metadata.labels)) continue;
    const ip = pod.status?.podIP;
    if (!ip || pod.metadata.deletionTimestamp !== undefined) continue;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const ports: EndpointPort[] = [];
    for (const sp of svc.spec.ports ?? []) {
      const protocol = sp.protocol ?? 'TCP';
      const port = resolvePort(pod, sp.targetPort, sp.port, protocol);
      if (port === undefined) continue;
      const ep: EndpointPort = { port, protocol };
      if (sp.name) ep.name = sp.name;
      if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
      ports.push(ep);
    }
    if (ports.length === 0 && (svc.spec.ports ?? []).length > 0) continue;
    ports.sort((a, b) => ((a.name ?? '') < (b.name ?? '') ? -1 : (a.name ?? '') > (b.name ?? '') ? 1 : a.port - b.port));
    const addr: EndpointAddress = { ip, targetRef: { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name, uid: pod.metadata.uid } };
    if (pod.spec.nodeName) addr.nodeName = pod.spec.nodeName;
    if (headless && pod.spec.hostname && pod.spec.subdomain === svc.metadata.name) addr.hostname = pod.spec.hostname;
    const key = JSON.stringify(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, ready: [], notReady: [] }));
    if (isPodReady(pod) || svc.spec.publishNotReadyAddresses === true) g.ready.push(addr);
    else g.notReady.push(addr);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, g]) => {
      const s: Record<string, unknown> = {};
      if (g.ready.length > 0) s.addresses = g.ready.sort((a, b) => ipKey(a.ip) - ipKey(b.ip));
      if (g.notReady.length > 0) s.notReadyAddresses = g.notReady.sort((a, b) => ipKey(a.ip) - ipKey(b.ip));
      if (g.ports.length > 0) s.ports = g.ports;
      return s;
    });
}

export function startEndpointsController(mgr: ControllerManager): Controller {
  const store = mgr.store;
  const ctrl: Controller = {
    name: 'endpoints',
    reconcile(key) {
      const { namespace, name } = splitKey(key);
      const svc = store.peek('Service', namespace, name) as Service | undefined;
      const existing = store.peek('Endpoints', namespace, name);
      if (!svc) {
        if (existing) store.delete('Endpoints', namespace, name);
        return;
      }
      if (svc.spec.selector === undefined || svc.spec.type === 'ExternalName') return;
      const subsets = computeSubsets(svc, store.scan('Pod', namespace) as Pod[]);
      const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
      if (svc.spec.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
      const desired: KubeObject = {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { ...(existing?.metadata ?? { name, namespace }), labels } as KubeObject['metadata'],
      };
      if (subsets.length > 0) desired.subsets = subsets;
      if (!existing) {
        store.create(desired);
        return;
      }
      if (deepEqual(existing.subsets ?? [], subsets) && deepEqual(existing.metadata.labels ?? {}, labels)) return;
      store.update(desired);
    },
  };
  const servicesFor = (pod: KubeObject) => {
    for (const s of store.scan('Service', pod.metadata.namespace) as Service[])
      if (s.spec.selector !== undefined && selectorFromSet(s.spec.selector).matches(pod.metadata.labels)) mgr.enqueue(ctrl, keyOf(s));
  };
  mgr.watch({ kind: 'Service' }, (e) => mgr.enqueue(ctrl, keyOf(e.object)));
  mgr.watch({ kind: 'Pod' }, (e) => {
    servicesFor(e.object);
    if (e.oldObject && !deepEqual(e.oldObject.metadata.labels, e.object.metadata.labels)) servicesFor(e.oldObject);
  });
  for (const s of store.scan('Service')) mgr.enqueue(ctrl, keyOf(s));
  return ctrl;
}
