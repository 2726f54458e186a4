/**
 * The default OpenShift router (HAProxy, openshift/router) as the lab's network sees it: what a client
 * reaches at `<host>:443` / `<host>:80` when the host lies under a cluster's `*.apps.<baseDomain>`
 * wildcard DNS record (or an extra DNS record the caller knows).
 *
 * Behaviour (openshift/router images/router/haproxy/conf/haproxy-config.template, error-page-503.http):
 * - :443, passthrough route: routed by SNI to the backend Service's endpoint at the Route's targetPort
 *   (a name matches the Endpoints port name, a number the endpoint port, none: the first port); the
 *   client talks TLS with the backend itself and sees its identity (e.g. a SPIFFE SVID). No endpoint:
 *   HAProxy closes the connection (Go: `EOF`; curl: `SSL_ERROR_SYSCALL`).
 * - :443, anything else (edge, reencrypt, or no route): the router terminates TLS with the default
 *   certificate `*.apps.<baseDomain>` (chain: leaf, ingress CA) and picks the admitted edge/reencrypt
 *   route for host and longest path prefix; none → 503 "Application is not available". Edge then speaks
 *   plain HTTP to the backend (a TLS backend answers Go's `400 Client sent an HTTP request to an HTTPS
 *   server.`); reencrypt opens TLS to the backend, verifying its chain against
 *   `spec.tls.destinationCACertificate` (else the service CA) and its name `<service>.<namespace>.svc`;
 *   a failure marks the server down → 503.
 * - :80: routes without TLS are proxied; `insecureEdgeTerminationPolicy: Redirect` → 302 to https;
 *   `Allow` (edge/reencrypt) → proxied; `None`/unset → 503.
 * Simplified: a route's own `spec.tls.certificate` is not presented (the default certificate is);
 * `alternateBackends` and weights are ignored (the `to` Service serves); reencrypt backend verification
 * is structural (issuer/key-identifier links, CA flags, validity, name), not a signature check, because
 * the network's resolve/serve path is synchronous; other ports on the router's address are refused.
 */
import { dnsNamesMatchHost } from '../pki/hostname.ts';
import { err, ok, simError, type Result, type SimError } from '../core/result.ts';
import { isPlainObject, type KubeObject } from '../kube/object.ts';
import type { ClusterStore } from '../kube/store.ts';
import type { BundleEndpoint, BundleEndpointResponse } from '../net/bundleEndpoint.ts';
import { equalBytes, type Certificate } from '../pki/index.ts';
import { parsePemCertificates } from '../spiffe/index.ts';
import type { IngressCertificates } from './ingressCertificates.ts';
import { ROUTE_GROUP, appsDomainOf, isAdmitted, routeHost } from './routes.ts';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (isPlainObject(v) ? v : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** One OpenShift cluster as the router model needs it. */
export interface RouterCluster {
  readonly name: string;
  readonly store: ClusterStore;
  /** Undefined until the ingress certificates exist (then only passthrough works). */
  readonly ingress?: IngressCertificates;
}

/** How the router finds what listens on a pod (the world's endpoints: SPIRE bundle endpoints, …). */
export type BackendLookup = (cluster: string, podIp: string, port: number) => BundleEndpoint | undefined;

/** What the router hands the network: an endpoint, which may speak plain HTTP (port 80). */
export interface RouteEndpoint extends BundleEndpoint {
  /** Plain HTTP (port 80): no TLS identity; clients must not handshake. */
  readonly plaintext?: boolean;
}

export interface ResolveRouteOptions {
  /** Extra DNS records (host → cluster name) for route hosts outside `*.apps.<baseDomain>`. */
  readonly dns?: (host: string) => string | undefined;
}

/** openshift/router images/router/haproxy/conf/error-page-503.http (body). */
export const ROUTER_503_BODY = `<html>
  <head>
    <meta name="viewport" content="width=device-width, initial-scale=1">

    <style type="text/css">
      body {
        font-family: "Helvetica Neue", Helvetica, Arial, sans-serif;
        line-height: 1.66666667;
        font-size: 16px;
        color: #333;
        background-color: #fff;
        margin: 2em 1em;
      }
      h1 {
        font-size: 28px;
        font-weight: 400;
      }
      p {
        margin: 0 0 10px;
      }
      .alert.alert-info {
        background-color: #F0F0F0;
        margin-top: 30px;
        padding: 30px;
      }
      .alert p {
        padding-left: 35px;
      }
      ul {
        padding-left: 51px;
        position: relative;
      }
      li {
        font-size: 14px;
        margin-bottom: 1em;
      }
      p.info {
        position: relative;
        font-size: 20px;
      }
      p.info:before, p.info:after {
        content: "";
        left: 0;
        position: absolute;
        top: 0;
      }
      p.info:before {
        background: #0066CC;
        border-radius: 16px;
        color: #fff;
        content: "i";
        font: bold 16px/24px serif;
        height: 24px;
        left: 0px;
        text-align: center;
        top: 4px;
        width: 24px;
      }

      @media (min-width: 768px) {
        body {
          margin: 6em;
        }
      }
    </style>
  </head>
  <body>
    <div>
      <h1>Application is not available</h1>
      <p>The application is currently not serving requests at this endpoint. It may not have been started or is still starting.</p>

      <div class="alert alert-info">
        <p class="info">
          Possible reasons you are seeing this page:
        </p>
        <ul>
          <li>
            <strong>The host doesn't exist.</strong>
            Make sure the hostname was typed correctly and that a route matching this hostname exists.
          </li>
          <li>
            <strong>The host exists, but doesn't have a matching path.</strong>
            Check if the URL path was typed correctly and that the route was created using the desired path.
          </li>
          <li>
            <strong>Route and path matches, but all pods are down.</strong>
            Make sure that the resources exposed by this route (pods, services, deployment configs, etc) have at least one pod running.
          </li>
        </ul>
      </div>
    </div>
  </body>
</html>
`;

export const ROUTER_503: BundleEndpointResponse = {
  status: 503,
  headers: { Pragma: 'no-cache', 'Cache-Control': 'private, max-age=0, no-cache, no-store', Connection: 'close', 'Content-Type': 'text/html' },
  body: ROUTER_503_BODY,
};

/** What Go's net/http server answers plain HTTP on a TLS port (net/http/server.go). */
export const HTTP_TO_HTTPS_400: BundleEndpointResponse = { status: 400, headers: {}, body: 'Client sent an HTTP request to an HTTPS server.\n' };

/**
 * Does a certificate name cover `host`? RFC 6125 / Go crypto/x509 matchHostnames: case-insensitive, a
 * leading `*.` matches exactly one label. (curl and the bundle client need this for `*.apps` certificates.)
 */
/** Whether a certificate's DNS names cover the host (exact, or a one-label `*.` wildcard). */
export const certificateMatchesHost = dnsNamesMatchHost;

/** The ingress CAs of the given clusters: what a client must add (`--cacert`) to trust the router. */
export function ingressCaCertificates(clusters: Iterable<RouterCluster>): Certificate[] {
  return [...clusters].flatMap((c) => (c.ingress ? [c.ingress.ingressCa.cert] : []));
}

/** Which cluster's router answers for `host`: the wildcard `*.apps.<baseDomain>` record, or `dns`. */
function clusterFor(clusters: readonly RouterCluster[], host: string, opts: ResolveRouteOptions): RouterCluster | undefined {
  for (const c of clusters) {
    const domain = appsDomainOf(c.store);
    if (domain && host.endsWith(`.${domain}`)) return c;
  }
  const named = opts.dns?.(host);
  return named === undefined ? undefined : clusters.find((c) => c.name === named);
}

function admittedFor(c: RouterCluster, host: string): KubeObject[] {
  const domain = appsDomainOf(c.store);
  return c.store.scan({ group: ROUTE_GROUP, kind: 'Route' }).filter((r) => isAdmitted(r) && routeHost(r, domain) === host);
}

const termination = (r: KubeObject): string => str(rec(rec(r.spec).tls).termination);

/** The admitted route for a request path: the longest matching spec.path prefix. */
function routeForPath(routes: readonly KubeObject[], path: string): KubeObject | undefined {
  let best: KubeObject | undefined;
  for (const r of routes) {
    const p = str(rec(r.spec).path);
    if (p && !path.startsWith(p)) continue;
    if (!best || p.length > str(rec(best.spec).path).length) best = r;
  }
  return best;
}

/** The Route's backend: Service `spec.to` → Endpoints → the first ready address with an endpoint. */
function backendOf(c: RouterCluster, route: KubeObject, lookup: BackendLookup): BundleEndpoint | undefined {
  const spec = rec(route.spec);
  const ns = route.metadata.namespace ?? 'default';
  const to = rec(spec.to);
  if ((str(to.kind) || 'Service') !== 'Service') return undefined;
  const eps = c.store.find('Endpoints', ns, str(to.name));
  const target = isPlainObject(spec.port) ? rec(spec.port).targetPort : undefined;
  for (const subset of (rec(eps).subsets as Rec[] | undefined) ?? []) {
    const ports = (subset.ports as { name?: string; port: number }[] | undefined) ?? [];
    const port = target === undefined ? ports[0] : typeof target === 'number' || /^\d+$/.test(str(target)) ? ports.find((p) => p.port === Number(target)) : ports.find((p) => p.name === target);
    if (!port) continue;
    for (const a of (subset.addresses as { ip: string }[] | undefined) ?? []) {
      const ep = lookup(c.name, a.ip, port.port);
      if (ep) return ep;
    }
  }
  return undefined;
}

/** Structural chain check for reencrypt (see Simplified above): leaf → … → an anchor, at `at`. */
export function backendChainTrusted(chain: readonly Certificate[], anchors: readonly Certificate[], at: number): boolean {
  const valid = (c: Certificate) => at >= c.notBefore && at <= c.notAfter;
  const issues = (parent: Certificate, child: Certificate) =>
    equalBytes(child.issuer.der, parent.subject.der) && (!child.authorityKeyId || !parent.subjectKeyId || equalBytes(child.authorityKeyId, parent.subjectKeyId)) && parent.basicConstraints?.ca === true;
  let cur = chain[0];
  if (!cur || !valid(cur)) return false;
  const pool = chain.slice(1);
  for (let depth = 0; depth < 10; depth++) {
    if (anchors.some((a) => equalBytes(a.der, cur!.der))) return true;
    const anchor = anchors.find((a) => issues(a, cur!));
    if (anchor) return valid(anchor);
    const next = pool.find((p) => issues(p, cur!));
    if (!next || !valid(next)) return false;
    cur = next;
  }
  return false;
}

/** The router's TLS front for edge/reencrypt/no-route hosts on :443. */
function terminatingEndpoint(c: RouterCluster, host: string, lookup: BackendLookup): RouteEndpoint {
  const ingress = c.ingress;
  return {
    component: `${c.name}/router-default`,
    tlsIdentity: () => (ingress ? { chain: [ingress.defaultCertificate.cert, ingress.ingressCa.cert], key: ingress.defaultCertificate.key } : undefined),
    serve: (method, path) => {
      const routes = admittedFor(c, host).filter((r) => termination(r) === 'edge' || termination(r) === 'reencrypt');
      const route = routeForPath(routes, path);
      if (!route) return ROUTER_503;
      return forward(c, route, termination(route) === 'reencrypt' ? 'tls' : 'http', method, path, host, lookup);
    },
  };
}

/** The router's plain-HTTP front on :80. */
function plaintextEndpoint(c: RouterCluster, host: string, lookup: BackendLookup): RouteEndpoint {
  return {
    component: `${c.name}/router-default`,
    plaintext: true,
    tlsIdentity: () => undefined,
    serve: (method, path) => {
      const route = routeForPath(admittedFor(c, host), path);
      if (!route) return ROUTER_503;
      const term = termination(route);
      if (!term) return forward(c, route, 'http', method, path, host, lookup);
      const policy = str(rec(rec(route.spec).tls).insecureEdgeTerminationPolicy);
      if (policy === 'Redirect') return { status: 302, headers: { 'content-length': '0', location: `https://${host}${path}`, 'cache-control': 'no-cache' }, body: '' };
      if (policy === 'Allow' && term !== 'passthrough') return forward(c, route, term === 'reencrypt' ? 'tls' : 'http', method, path, host, lookup);
      return ROUTER_503;
    },
  };
}

/** HAProxy → backend: plain HTTP (edge, insecure) or verified TLS (reencrypt). */
function forward(c: RouterCluster, route: KubeObject, mode: 'http' | 'tls', method: string, path: string, host: string, lookup: BackendLookup): BundleEndpointResponse {
  const backend = backendOf(c, route, lookup) as RouteEndpoint | undefined;
  if (!backend) return ROUTER_503;
  if (mode === 'http') return backend.plaintext ? backend.serve(method, path, host) : HTTP_TO_HTTPS_400;
  const identity = backend.tlsIdentity();
  if (!identity) return ROUTER_503;
  const destPem = str(rec(rec(route.spec).tls).destinationCACertificate);
  const parsed = destPem ? parsePemCertificates(destPem) : undefined;
  const anchors = parsed ? (parsed.ok ? parsed.value : []) : c.ingress ? [c.ingress.serviceCa.cert] : [];
  const svcName = `${str(rec(rec(route.spec).to).name)}.${route.metadata.namespace}.svc`;
  // haproxy-config.template: `verify required ca-file … verifyhost <service>.<namespace>.svc`.
  if (!backendChainTrusted(identity.chain, anchors, c.store.now()) || !certificateMatchesHost(identity.chain[0]!.dnsNames, svcName)) return ROUTER_503;
  return backend.serve(method, path, host);
}

/**
 * Resolves `host:port` to the router of the OpenShift cluster whose apps domain covers `host`.
 * Returns undefined when no router answers for the host (the network goes on to "no such host").
 */
export function resolveRouteHost(clusters: Iterable<RouterCluster>, host: string, port: number, backend: BackendLookup, opts: ResolveRouteOptions = {}): Result<RouteEndpoint, SimError> | undefined {
  const h = host.replace(/\.$/, '').toLowerCase();
  const list = [...clusters];
  const c = clusterFor(list, h, opts);
  if (!c) return undefined;
  if (port === 80) return ok(plaintextEndpoint(c, h, backend));
  if (port !== 443) return err(simError('net/connection-refused', `dial tcp ${h}:${port}: connect: connection refused`));
  const passthrough = admittedFor(c, h).find((r) => termination(r) === 'passthrough');
  if (passthrough) {
    const ep = backendOf(c, passthrough, backend);
    // HAProxy (mode tcp) with no server: the connection is closed during the handshake.
    return ep ? ok(ep) : err(simError('net/connection-closed', 'EOF', { host: h, port, route: `${passthrough.metadata.namespace}/${passthrough.metadata.name}` }));
  }
  return ok(terminatingEndpoint(c, h, backend));
}
