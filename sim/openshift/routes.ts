/**
 * Route admission as OpenShift does it: the API server's default host and the default router's
 * `status.ingress` (host claims, conditions), plus the `oc get route` row.
 *
 * Rules and where they come from:
 * - Default host (openshift-apiserver route allocation, SimpleAllocationPlugin.GenerateHostname):
 *   `<name with . → ->-<namespace>.<router domain>`, the router domain being `apps.<baseDomain>` of the
 *   `config.openshift.io` DNS object `cluster`. Set at creation when `spec.host` and `spec.subdomain` are
 *   empty; a `spec.subdomain` route keeps an empty host and the router serves `<subdomain>.<domain>`.
 * - Host claims (openshift/router pkg/router/controller/unique_host.go with hostindex.SameNamespace, the
 *   default `Strict` namespace ownership): the oldest route (creationTimestamp, then uid:
 *   routeapihelpers.RouteLessThan) owns its host for its namespace; a route of another namespace gets
 *   `Admitted=False HostAlreadyClaimed` `a route in another namespace holds <host> and is older than <name>`;
 *   a same-namespace route with the same path gets `route <owner> already exposes <host> and is older`.
 *   Deleting the owner admits the next route. No host at all: `NoHostValue`.
 * - status.ingress (pkg/router/controller/status.go recordIngressCondition): one entry per router, in
 *   Go field order host, routerName, conditions, wildcardPolicy, routerCanonicalHostname
 *   (`router-default.apps.<baseDomain>` on the default IngressController); conditions keep their
 *   lastTransitionTime while unchanged.
 * - `oc get route` (openshift-apiserver pkg/route/printers/internalversion printRoute): NAME, HOST/PORT
 *   (the admitted host, or the rejection reason, `… N rejected`, `Pending`), PATH, SERVICES, PORT
 *   (`<all>` without spec.port), TERMINATION (`edge/Redirect`), WILDCARD.
 * Simplified: one router (`default`), no router sharding or namespace/route selectors, no
 * `InterNamespaceAllowed` ownership, no wildcard (`Subdomain`) policy claims, no ExtendedValidation of
 * route certificates, no `routes/custom-host` permission check.
 */
import { ok, type Result, type SimError } from '../core/result.ts';
import { deepEqual, isPlainObject, rfc3339, type KubeObject } from '../kube/object.ts';
import type { AdmissionHook, ClusterStore } from '../kube/store.ts';

export const ROUTE_GROUP = 'route.openshift.io';
export const ROUTER_NAME = 'default';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (isPlainObject(v) ? v : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

export const isRoute = (o: { apiVersion?: unknown; kind?: unknown }): boolean => o.kind === 'Route' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith(`${ROUTE_GROUP}/`);

/** `apps.<baseDomain>` from the cluster's DNS object, or undefined (not an OpenShift cluster). */
export function appsDomainOf(store: ClusterStore): string | undefined {
  const dns = store.find({ group: 'config.openshift.io', kind: 'DNS' }, undefined, 'cluster');
  const base = str(rec(dns?.spec).baseDomain);
  return base ? `apps.${base}` : undefined;
}

/** SimpleAllocationPlugin.GenerateHostname. */
export function defaultRouteHost(name: string, namespace: string, appsDomain: string): string {
  return `${name.replace(/\./g, '-')}-${namespace}.${appsDomain}`;
}

/** The host the router serves a route at: spec.host, else `<subdomain>.<apps domain>`, else ''. */
export function routeHost(route: KubeObject, appsDomain: string | undefined): string {
  const spec = rec(route.spec);
  const host = str(spec.host).toLowerCase();
  if (host) return host;
  const sub = str(spec.subdomain);
  return sub && appsDomain ? `${sub}.${appsDomain}` : '';
}

/** The API server's host defaulting, as an admission hook (add it to OpenShift clusters' stores). */
export function routeHostDefaulting(store: ClusterStore): AdmissionHook {
  return (obj, _old, op, ctx): Result<KubeObject, SimError> => {
    if (op !== 'create' || ctx.subresource || ctx.kind.group !== ROUTE_GROUP || ctx.kind.kind !== 'Route') return ok(obj);
    const spec = rec(obj.spec);
    if (str(spec.host) || str(spec.subdomain)) return ok(obj);
    const domain = appsDomainOf(store);
    if (!domain) return ok(obj);
    return ok({ ...obj, spec: { ...spec, host: defaultRouteHost(obj.metadata.name, obj.metadata.namespace ?? 'default', domain) } });
  };
}

/** routeapihelpers.RouteLessThan: older first, uid breaks ties. */
export function routeLessThan(a: KubeObject, b: KubeObject): boolean {
  const ta = Date.parse(a.metadata.creationTimestamp);
  const tb = Date.parse(b.metadata.creationTimestamp);
  if (ta !== tb) return ta < tb;
  return a.metadata.uid < b.metadata.uid;
}

interface Verdict {
  readonly host: string;
  readonly admitted: boolean;
  readonly reason?: string;
  readonly message?: string;
}

/** The default router's verdict for every route of a cluster (unique_host.go over the whole index). */
export function admissionVerdicts(routes: readonly KubeObject[], appsDomain: string | undefined): Map<string, Verdict> {
  const out = new Map<string, Verdict>();
  const sorted = [...routes].filter((r) => r.metadata.deletionTimestamp === undefined).sort((a, b) => (routeLessThan(a, b) ? -1 : routeLessThan(b, a) ? 1 : 0));
  const active = new Map<string, KubeObject[]>();
  for (const r of sorted) {
    const key = `${r.metadata.namespace}/${r.metadata.name}`;
    const host = routeHost(r, appsDomain);
    if (!host) {
      out.set(key, { host, admitted: false, reason: 'NoHostValue', message: 'no host value was defined for the route' });
      continue;
    }
    const holders = active.get(host) ?? [];
    const owner = holders[0];
    if (owner && owner.metadata.namespace !== r.metadata.namespace) {
      out.set(key, { host, admitted: false, reason: 'HostAlreadyClaimed', message: `a route in another namespace holds ${host} and is older than ${r.metadata.name}` });
      continue;
    }
    if (owner && holders.some((h) => str(rec(h.spec).path) === str(rec(r.spec).path))) {
      out.set(key, { host, admitted: false, reason: 'HostAlreadyClaimed', message: `route ${owner.metadata.name} already exposes ${host} and is older` });
      continue;
    }
    holders.push(r);
    active.set(host, holders);
    out.set(key, { host, admitted: true });
  }
  return out;
}

/** The default router's ingress entry of a route, if any. */
export function defaultIngress(route: KubeObject): Rec | undefined {
  const ingress = rec(route.status).ingress;
  return Array.isArray(ingress) ? (ingress as Rec[]).find((i) => i.routerName === ROUTER_NAME) : undefined;
}

/** Is the route admitted by the default router (status.ingress Admitted=True)? */
export function isAdmitted(route: KubeObject): boolean {
  const i = defaultIngress(route);
  return Array.isArray(i?.conditions) && (i.conditions as Rec[]).some((c) => c.type === 'Admitted' && c.status === 'True');
}

/**
 * The default router's status writer: keeps every Route's `status.ingress` entry for `default` in line
 * with the host index. Runs as the store's idle work after any Route (or the DNS object) changes.
 */
export class RouteAdmitter {
  private dirty = true;
  private readonly stops: (() => void)[] = [];

  constructor(private readonly store: ClusterStore) {
    this.stops.push(
      store.watch({ kind: { group: ROUTE_GROUP, kind: 'Route' } }, (e) => {
        // Our own status writes change only status: nothing to recompute.
        if (e.type === 'MODIFIED' && deepEqual(e.oldObject?.spec, e.object.spec) && deepEqual(e.oldObject?.metadata.deletionTimestamp, e.object.metadata.deletionTimestamp)) return;
        this.dirty = true;
      }),
      store.onIdle(() => this.sync()),
    );
    store.settle();
  }

  stop(): void {
    for (const s of this.stops) s();
  }

  private sync(): boolean {
    if (!this.dirty) return false;
    this.dirty = false;
    const domain = appsDomainOf(this.store);
    const routes = this.store.scan({ group: ROUTE_GROUP, kind: 'Route' });
    const verdicts = admissionVerdicts(routes, domain);
    const now = rfc3339(this.store.now());
    let wrote = false;
    for (const r of routes) {
      const v = verdicts.get(`${r.metadata.namespace}/${r.metadata.name}`);
      if (!v) continue;
      const status = rec(r.status);
      const list = Array.isArray(status.ingress) ? (status.ingress as Rec[]) : [];
      const old = list.find((i) => i.routerName === ROUTER_NAME);
      const cond: Rec = v.admitted ? { type: 'Admitted', status: 'True' } : { type: 'Admitted', status: 'False', reason: v.reason, message: v.message };
      const oldCond = Array.isArray(old?.conditions) ? (old.conditions as Rec[]).find((c) => c.type === 'Admitted') : undefined;
      const sameCond = oldCond !== undefined && oldCond.status === cond.status && oldCond.reason === cond.reason && oldCond.message === cond.message;
      const entry: Rec = {
        host: v.host || str(rec(r.spec).host),
        routerName: ROUTER_NAME,
        conditions: [{ ...cond, lastTransitionTime: sameCond ? oldCond.lastTransitionTime : now }],
        wildcardPolicy: str(rec(r.spec).wildcardPolicy) || 'None',
        ...(domain ? { routerCanonicalHostname: `router-default.${domain}` } : {}),
      };
      if (old && deepEqual(old, entry)) continue;
      const ingress = old ? list.map((i) => (i === old ? entry : i)) : [...list, entry];
      const res = this.store.updateStatus({ ...r, status: { ...status, ingress } });
      if (res.ok) wrote = true;
    }
    return wrote;
  }
}

/** Installs host defaulting and the router's status writer on an OpenShift cluster's store. */
export function startRouteAdmission(store: ClusterStore): { readonly admitter: RouteAdmitter; readonly stop: () => void } {
  const removeHook = store.addAdmission(routeHostDefaulting(store));
  const admitter = new RouteAdmitter(store);
  return {
    admitter,
    stop: () => {
      removeHook();
      admitter.stop();
    },
  };
}

export const ROUTE_TABLE_HEADERS = ['NAME', 'HOST/PORT', 'PATH', 'SERVICES', 'PORT', 'TERMINATION', 'WILDCARD'] as const;

/** One `oc get route` row (printRoute), without NAMESPACE/LABELS decorations. */
export function routeTableCells(route: KubeObject): string[] {
  const spec = rec(route.spec);
  const tls = rec(spec.tls);
  const tlsTerm = str(tls.termination);
  const insecure = str(tls.insecureEdgeTerminationPolicy);
  let host = str(spec.host);
  let matched = false;
  let reason = '';
  let admitted = 0;
  let errors = 0;
  const ingress = rec(route.status).ingress;
  for (const i of Array.isArray(ingress) ? (ingress as Rec[]) : []) {
    const c = (Array.isArray(i.conditions) ? (i.conditions as Rec[]) : []).find((x) => x.type === 'Admitted');
    if (c?.status === 'True') {
      admitted++;
      if (!matched) {
        matched = i.host === spec.host;
        host = str(i.host);
      }
    } else if (c?.status === 'False') {
      reason = str(c.reason);
      errors++;
    }
  }
  if (ingress === undefined) {
    // legacy: the spec host
  } else if (admitted === 0 && errors > 0) host = reason;
  else if (errors > 0) host = `${host} ... ${errors} rejected`;
  else if (admitted === 0) host = 'Pending';
  else if (admitted > 1) host = `${host} ... ${admitted - 1} more`;
  const policy = tlsTerm && insecure ? `${tlsTerm}/${insecure}` : tlsTerm ? tlsTerm : insecure ? `default/${insecure}` : '';
  const backends = [rec(spec.to), ...(Array.isArray(spec.alternateBackends) ? (spec.alternateBackends as Rec[]) : [])];
  const total = backends.reduce((s, b) => s + (typeof b.weight === 'number' ? b.weight : 0), 0);
  const services = backends.map((b) => {
    if (typeof b.weight !== 'number' || (backends.length === 1 && total !== 0)) return str(b.name);
    if (total === 0) return `${str(b.name)}(0%)`;
    return `${str(b.name)}(${Math.trunc((b.weight * 100) / total)}%)`;
  });
  const port = isPlainObject(spec.port) ? str(rec(spec.port).targetPort) : '<all>';
  return [route.metadata.name, host, str(spec.path), services.join(','), port, policy, str(spec.wildcardPolicy)];
}
