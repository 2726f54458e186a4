import { describe, expect, it } from 'vitest';
import { makeCurl } from '../../../sim/cli/curl.ts';
import { Shell } from '../../../sim/cli/shell/shell.ts';
import { err, simError } from '../../../sim/core/result.ts';
import type { BundleEndpoint } from '../../../sim/net/bundleEndpoint.ts';
import { SignatureVerifier, encodePem, verifyChain } from '../../../sim/pki/index.ts';
import {
  certificateMatchesHost,
  createIngressCertificates,
  resolveRouteHost,
  routeTableCells,
  startRouteAdmission,
  type RouteEndpoint,
  type RouterCluster,
} from '../../../sim/openshift/index.ts';
import { World } from '../../../sim/world/world.ts';
import type { ClusterSpec } from '../../../sim/world/spec.ts';
import { spireLikeEndpoint } from '../../helpers/endpoints.ts';
import { testCa, testSvid } from '../../helpers/pki.ts';

const BASE = 'ci-ln-abc123.gcp-2.ci.openshift.org';
const APPS = `apps.${BASE}`;
const spec: ClusterSpec = {
  name: 'cluster1',
  trustDomain: APPS,
  baseDomain: BASE,
  platform: 'openshift',
  profile: 'ztwim',
  versions: { kubernetes: '1.33' },
  nodes: [{ name: 'worker-0' }],
  podCIDR: '10.128.0.0/14',
  serviceCIDR: '172.30.0.0/16',
  manifests: [],
};

const route = (name: string, ns: string, extra: string) => `apiVersion: route.openshift.io/v1\nkind: Route\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${extra}`;
const ns = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n---\n`;
/** A Service without selector and hand-made Endpoints: one pod address serving `portName`. */
const backendSvc = (name: string, namespace: string, ip: string, port: number, portName = 'https') =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  ports:\n  - name: ${portName}\n    port: ${port}\n---\napiVersion: v1\nkind: Endpoints\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nsubsets:\n- addresses:\n  - ip: ${ip}\n  ports:\n  - name: ${portName}\n    port: ${port}\n---\n`;

async function routerWorld() {
  const world = await World.create([spec], { seed: 3, start: Date.UTC(2026, 0, 15, 9), crypto: globalThis.crypto });
  const cluster = world.cluster('cluster1')!;
  startRouteAdmission(cluster.store);
  const ingress = await createIngressCertificates(globalThis.crypto, { appsDomain: APPS, now: world.clock.now(), rng: world.rng.fork('ingress') });
  const routers: RouterCluster[] = [{ name: 'cluster1', store: cluster.store, ingress }];
  const backends = new Map<string, BundleEndpoint>();
  const lookup = (c: string, ip: string, port: number) => backends.get(`${c}/${ip}:${port}`);
  const resolve = (host: string, port = 443) => resolveRouteHost(routers, host, port, lookup);
  const apply = async (yaml: string) => {
    const r = await world.run('oc apply -f -', { stdin: yaml });
    expect(r.stderr).toBe('');
  };
  return { world, cluster, ingress, routers, backends, lookup, resolve, apply };
}

const statusOf = (world: World, n: string, namespace: string) => world.cluster('cluster1')!.store.find({ group: 'route.openshift.io', kind: 'Route' }, namespace, n)!;

describe('Route admission', () => {
  it('defaults the host from the DNS base domain and writes status.ingress as the default router does', async () => {
    const { world, apply } = await routerWorld();
    await apply(ns('demo') + route('web', 'demo', '  to:\n    kind: Service\n    name: web\n  tls:\n    termination: edge\n    insecureEdgeTerminationPolicy: Redirect\n'));
    const r = statusOf(world, 'web', 'demo');
    expect((r.spec as { host: string }).host).toBe(`web-demo.${APPS}`);
    expect(r.status).toEqual({
      ingress: [
        {
          host: `web-demo.${APPS}`,
          routerName: 'default',
          conditions: [{ type: 'Admitted', status: 'True', lastTransitionTime: '2026-01-15T09:00:00Z' }],
          wildcardPolicy: 'None',
          routerCanonicalHostname: `router-default.${APPS}`,
        },
      ],
    });
    expect(routeTableCells(r)).toEqual(['web', `web-demo.${APPS}`, '', 'web', '<all>', 'edge/Redirect', 'None']);
  });

  it('lets the older route keep a claimed host; the newer gets HostAlreadyClaimed until the owner goes', async () => {
    const { world, apply } = await routerWorld();
    const host = `shared.${APPS}`;
    await apply(ns('one') + ns('two') + route('a', 'one', `  host: ${host}\n  to:\n    name: svc\n`));
    await world.advance(1_000);
    await apply(route('b', 'two', `  host: ${host}\n  to:\n    name: svc\n`));
    await world.advance(1_000);
    await apply(route('c', 'one', `  host: ${host}\n  to:\n    name: svc\n`));
    const cond = (n: string, namespace: string) => (statusOf(world, n, namespace).status as { ingress: { conditions: Record<string, string>[] }[] }).ingress[0]!.conditions[0];
    expect(cond('a', 'one')).toMatchObject({ status: 'True' });
    expect(cond('b', 'two')).toMatchObject({ status: 'False', reason: 'HostAlreadyClaimed', message: `a route in another namespace holds ${host} and is older than b` });
    expect(cond('c', 'one')).toMatchObject({ status: 'False', reason: 'HostAlreadyClaimed', message: `route a already exposes ${host} and is older` });
    expect(routeTableCells(statusOf(world, 'b', 'two'))[1]).toBe('HostAlreadyClaimed');
    await world.run('oc -n one delete route a');
    expect(cond('b', 'two')).toMatchObject({ status: 'True' });
    expect(cond('c', 'one')).toMatchObject({ status: 'False', message: `a route in another namespace holds ${host} and is older than c` });
  });
});

describe('the router', () => {
  it('routes a passthrough host by SNI to the backend, which presents its own SPIFFE SVID', async () => {
    const { apply, backends, resolve } = await routerWorld();
    const server = await spireLikeEndpoint('cluster1.demo');
    backends.set('cluster1/10.128.0.20:8443', server);
    await apply(ns('mtls-server') + backendSvc('mtls-server', 'mtls-server', '10.128.0.20', 8443) + route('mtls-secure', 'mtls-server', `  host: mtls-secure.${APPS}\n  port:\n    targetPort: https\n  tls:\n    termination: passthrough\n  to:\n    kind: Service\n    name: mtls-server\n    weight: 100\n`));
    const r = resolve(`mtls-secure.${APPS}`);
    expect(r?.ok && r.value).toBe(server);
    expect(r?.ok && r.value.tlsIdentity()!.chain[0]!.uris).toEqual(['spiffe://cluster1.demo/spire/server']);
  });

  it('closes a passthrough connection when the route has no endpoint', async () => {
    const { apply, resolve } = await routerWorld();
    await apply(ns('mtls-server') + route('mtls-secure', 'mtls-server', `  host: mtls-secure.${APPS}\n  tls:\n    termination: passthrough\n  to:\n    name: nothing\n`));
    const r = resolve(`mtls-secure.${APPS}`);
    expect(r && !r.ok && r.error).toMatchObject({ code: 'net/connection-closed', message: 'EOF' });
  });

  it('terminates edge routes with the default *.apps certificate signed by the ingress CA', async () => {
    const { world, apply, backends, resolve, ingress } = await routerWorld();
    const plain: RouteEndpoint = { component: 'cluster1/web', plaintext: true, tlsIdentity: () => undefined, serve: () => ({ status: 200, headers: {}, body: 'hello\n' }) };
    backends.set('cluster1/10.128.0.30:8080', plain);
    await apply(ns('demo') + backendSvc('web', 'demo', '10.128.0.30', 8080, 'http') + route('web', 'demo', '  to:\n    name: web\n  tls:\n    termination: edge\n'));
    const r = resolve(`web-demo.${APPS}`)!;
    expect(r.ok).toBe(true);
    const ep = r.ok ? r.value : undefined;
    const id = ep!.tlsIdentity()!;
    expect(id.chain[0]!.dnsNames).toEqual([`*.${APPS}`]);
    expect(certificateMatchesHost(id.chain[0]!.dnsNames, `web-demo.${APPS}`)).toBe(true);
    expect(certificateMatchesHost(id.chain[0]!.dnsNames, `a.b.${APPS}`)).toBe(false);
    const chain = await verifyChain(new SignatureVerifier(globalThis.crypto), id.chain[0]!, { at: world.clock.now(), roots: [ingress.ingressCa.cert], requiredEku: 'serverAuth' });
    expect(chain.ok).toBe(true);
    expect(ep!.serve('GET', '/')).toMatchObject({ status: 200, body: 'hello\n' });
  });

  it('edge to a TLS backend gets Go\'s 400; reencrypt verifies the backend against destinationCACertificate', async () => {
    const { apply, backends, resolve } = await routerWorld();
    const ca = await testCa('backend-ca.test', 'ec-p256', Date.UTC(2026, 0, 15, 9));
    const svid = await testSvid(ca, 'spiffe://backend-ca.test/api', { dnsNames: ['api.demo.svc'], now: Date.UTC(2026, 0, 15, 9), ttl: 86_400_000 });
    const api: BundleEndpoint = { component: 'cluster1/api', tlsIdentity: () => ({ chain: [svid.cert], key: svid.key }), serve: () => ({ status: 200, headers: {}, body: 'secure\n' }) };
    backends.set('cluster1/10.128.0.40:8443', api);
    const caPem = encodePem('CERTIFICATE', ca.cert.der).trim().split('\n').map((l) => `      ${l}`).join('\n');
    await apply(
      ns('demo') +
        backendSvc('api', 'demo', '10.128.0.40', 8443) +
        route('edge', 'demo', '  to:\n    name: api\n  tls:\n    termination: edge\n') +
        '---\n' +
        route('re', 'demo', `  to:\n    name: api\n  tls:\n    termination: reencrypt\n    destinationCACertificate: |\n${caPem}\n`) +
        '---\n' +
        route('re-wrong', 'demo', '  to:\n    name: api\n  tls:\n    termination: reencrypt\n'),
    );
    const serve = (h: string) => {
      const r = resolve(h)!;
      return r.ok ? r.value.serve('GET', '/') : undefined;
    };
    expect(serve(`edge-demo.${APPS}`)).toMatchObject({ status: 400, body: 'Client sent an HTTP request to an HTTPS server.\n' });
    expect(serve(`re-demo.${APPS}`)).toMatchObject({ status: 200, body: 'secure\n' });
    // Without destinationCACertificate the router trusts the service CA, which did not sign this backend.
    expect(serve(`re-wrong-demo.${APPS}`)).toMatchObject({ status: 503 });
  });

  it('answers a host without a route with the 503 page, redirects plain HTTP, and ignores foreign hosts', async () => {
    const { apply, resolve } = await routerWorld();
    const r = resolve(`nothing-here.${APPS}`)!;
    const res = r.ok ? r.value.serve('GET', '/') : undefined;
    expect(res?.status).toBe(503);
    expect(res?.body).toContain('<h1>Application is not available</h1>');
    await apply(ns('demo') + route('web', 'demo', '  to:\n    name: web\n  tls:\n    termination: edge\n    insecureEdgeTerminationPolicy: Redirect\n'));
    const http = resolve(`web-demo.${APPS}`, 80)!;
    expect(http.ok && (http.value as RouteEndpoint).plaintext).toBe(true);
    expect(http.ok && http.value.serve('GET', '/x')).toMatchObject({ status: 302, headers: { location: `https://web-demo.${APPS}/x` } });
    expect(resolve('federation.example.org')).toBeUndefined();
  });

  it('is what curl sees: the ingress CA is not a default root, -k shows the 503 page', async () => {
    const { routers, lookup } = await routerWorld();
    const net = {
      resolve: (_from: string, host: string, port: number) => resolveRouteHost(routers, host, port, lookup) ?? err(simError('net/no-such-host', `dial tcp: lookup ${host}: no such host`)),
      webRoots: () => [],
      now: () => Date.UTC(2026, 0, 15, 9, 1),
    };
    const shell = new Shell({ programs: { curl: makeCurl('workstation', net, globalThis.crypto) } });
    const strict = await shell.run(`curl -sS https://nothing.${APPS}/`);
    expect(strict.exitCode).toBe(60);
    expect(strict.stderr).toContain('SSL certificate problem: self-signed certificate in certificate chain');
    const insecure = await shell.run(`curl -sk https://nothing.${APPS}/ -w '%{http_code}'`);
    expect(insecure.stdout).toContain('Application is not available');
    expect(insecure.stdout.endsWith('503')).toBe(true);
  });
});
