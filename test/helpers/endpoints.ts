// Bundle endpoints for network tests: a SPIRE-like server identity serving a fixed bundle document.
import { err, ok, simError } from '../../sim/core/result.ts';
import type { BundleEndpoint, BundleEndpointResponse, EndpointResolver } from '../../sim/net/bundleEndpoint.ts';
import type { IssuedCertificate } from '../../sim/pki/index.ts';
import { testCa, testSvid } from './pki.ts';

export interface TestEndpoint extends BundleEndpoint {
  readonly ca: IssuedCertificate;
  readonly svid: IssuedCertificate;
}

export async function spireLikeEndpoint(td: string, body = '{\n    "keys": []\n}\n', dnsNames: string[] = []): Promise<TestEndpoint> {
  const ca = await testCa(td);
  const svid = await testSvid(ca, `spiffe://${td}/spire/server`, { dnsNames });
  return {
    ca,
    svid,
    component: `${td}/spire-server`,
    serve: (method, path): BundleEndpointResponse =>
      method !== 'GET' ? { status: 405, headers: {}, body: '405 method not allowed\n' } : path !== '/' ? { status: 404, headers: {}, body: '404 page not found\n' } : { status: 200, headers: { 'Content-Type': 'application/json' }, body },
    tlsIdentity: () => ({ chain: [svid.cert], key: svid.key }),
  };
}

/** Resolves `<name>:8443` to the endpoint of that name; anything else is refused like a closed port. */
export function resolverFor(endpoints: Record<string, BundleEndpoint>): EndpointResolver {
  return (_from, host, port) => {
    const e = endpoints[host];
    return e && port === 8443 ? ok(e) : err(simError('net/connection-refused', `dial tcp ${host}:${port}: connect: connection refused`));
  };
}
