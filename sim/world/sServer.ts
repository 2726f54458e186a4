/**
 * `openssl s_server` run by a pod's container (seed 001's mTLS server: `openssl s_server -cert … -key …
 * -CAfile … -Verify 1 -verify_return_error -accept 8443 -www` in a shell loop), as `openssl s_client`
 * meets it on the lab's network. Behaviour per OpenSSL 3.0 apps/s_server.c and ssl/ (held to a
 * transcript of the real 3.0.19 pair, test/sim/world/sServer.test.ts):
 * - it listens once the files exist (the seed's loop waits for /certs/svid.pem), else the port refuses;
 * - it presents the first certificate of -cert, completed from the -CAfile store up to the root
 *   (ssl_add_cert_chain), and asks for a client certificate with -verify/-Verify, naming the -CAfile
 *   subjects (SSL_CTX_set_client_CA_list) and OpenSSL's signature algorithms;
 * - the client's chain is verified against -CAfile: with -verify_return_error any error ends the
 *   handshake with the alert ssl_x509err2alert maps it to (self-signed in chain, unknown issuer → 48
 *   unknown_ca; expired → 45; not yet valid → 42); -Verify without a client certificate → 116;
 * - OpenSSL's default TLS 1.3 preference picks TLS_AES_256_GCM_SHA384.
 * Simplified: the options are read from the container's command text, not from a running process; only
 * -cert, -key, -CAfile, -verify/-Verify, -verify_return_error and -accept are understood.
 */
import type { TlsAnswer } from '../cli/openssl.ts';
import { verifyServerChain } from '../cli/opensslSClient.ts';
import type { Certificate, SignatureVerifier } from '../pki/index.ts';
import { equalBytes } from '../pki/index.ts';
import { parsePemCertificates } from '../spiffe/index.ts';
import { resolveRouteHost, type RouterCluster } from '../openshift/index.ts';
import type { ClusterRuntime } from './cluster.ts';

export interface SServerOptions {
  readonly cert: string;
  readonly key: string;
  readonly caFile?: string;
  /** -Verify (fail without a client certificate) or -verify; undefined: no CertificateRequest. */
  readonly verify?: 'require' | 'request';
  readonly verifyReturnError: boolean;
  readonly accept: number;
}

/** OpenSSL 3.0's signature_algorithms in a CertificateRequest (as s_client prints them). */
const OPENSSL_SIGALGS = ['ECDSA+SHA256', 'ECDSA+SHA384', 'ECDSA+SHA512', 'ed25519', 'ed448', 'rsa_pss_pss_sha256', 'rsa_pss_pss_sha384', 'rsa_pss_pss_sha512', 'RSA-PSS+SHA256', 'RSA-PSS+SHA384', 'RSA-PSS+SHA512', 'RSA+SHA256', 'RSA+SHA384', 'RSA+SHA512', 'ECDSA+SHA224', 'RSA+SHA224'];

/** Finds an `openssl s_server` invocation in a container's command and args (backslash-newlines joined). */
export function parseSServer(text: string): SServerOptions | undefined {
  const at = text.indexOf('openssl s_server');
  if (at < 0) return undefined;
  const line = text.slice(at + 'openssl s_server'.length).replace(/\\\r?\n/g, ' ').split('\n')[0]!;
  const words = line.trim().split(/\s+/);
  let cert = 'server.pem', key: string | undefined, caFile: string | undefined, verify: SServerOptions['verify'], verifyReturnError = false, accept = 4433;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-cert') cert = words[++i] ?? cert;
    else if (w === '-key') key = words[++i];
    else if (w === '-CAfile') caFile = words[++i];
    else if (w === '-Verify' || w === '-verify') {
      verify = w === '-Verify' ? 'require' : (verify ?? 'request');
      i++;
    }
    else if (w === '-verify_return_error') verifyReturnError = true;
    else if (w === '-accept') accept = Number(words[++i]);
  }
  return { cert, key: key ?? cert, ...(caFile ? { caFile } : {}), ...(verify ? { verify } : {}), verifyReturnError, accept };
}

/** ssl/statem/statem_lib.c ssl_x509err2alert, for the errors the lab's verifier reports. */
function alertFor(code: number): number {
  if (code === 10) return 45;
  if (code === 9) return 42;
  if ([2, 18, 19, 20, 21].includes(code)) return 48;
  return 46;
}

const certsOf = (text: string | undefined): Certificate[] => {
  if (text === undefined) return [];
  const r = parsePemCertificates(text);
  return r.ok ? [...r.value] : [];
};

/** What the server answers, given how to read the container's files now; undefined files = not listening yet. */
export async function sServerAnswer(o: SServerOptions, read: (path: string) => Promise<string | undefined>, verifier: SignatureVerifier, now: () => number): Promise<TlsAnswer> {
  const [certText, keyText, caText] = await Promise.all([read(o.cert), read(o.key), o.caFile ? read(o.caFile) : Promise.resolve(undefined)]);
  const leaf = certsOf(certText)[0];
  // The seed's loop has not reached s_server yet (or s_server exited on a bad file): nothing listens.
  if (!leaf || keyText === undefined || (o.caFile && caText === undefined)) return { kind: 'refused' };
  const store = certsOf(caText);
  const chain: Certificate[] = [leaf];
  for (let c = leaf; !equalBytes(c.subject.der, c.issuer.der); ) {
    const issuer = store.find((r) => equalBytes(r.subject.der, c.issuer.der));
    if (!issuer || chain.includes(issuer)) break;
    chain.push(issuer);
    c = issuer;
  }
  return {
    kind: 'tls',
    server: {
      chain,
      cipher: 'TLS_AES_256_GCM_SHA384',
      ...(o.verify ? { certificateRequest: { caNames: store.map((c) => c.subject), sigalgs: OPENSSL_SIGALGS } } : {}),
    },
    judge: async (clientChain) => {
      if (clientChain.length === 0) return o.verify === 'require' ? 116 : undefined;
      const v = await verifyServerChain(verifier, clientChain, store, now());
      const error = v.steps.find((s) => s.error)?.error;
      return error && o.verifyReturnError ? alertFor(error[0]) : undefined;
    },
  };
}

/**
 * The s_server behind an OpenShift passthrough Route, if that is what `host:port` reaches: the router
 * forwards the TLS bytes to a pod IP and port (router.ts backendOf); the pod answers when one of its
 * containers runs s_server on that port. Called only where the network found the Route but no SPIRE
 * endpoint behind it, so faults (partitions, DNS) have already been applied.
 */
export async function passthroughSServer(
  routers: Iterable<RouterCluster>,
  host: string,
  port: number,
  clusterOf: (name: string) => Pick<ClusterRuntime, 'store' | 'exec'> | undefined,
  verifier: SignatureVerifier,
  now: () => number,
): Promise<TlsAnswer | undefined> {
  let target: { cluster: string; ip: string; port: number } | undefined;
  resolveRouteHost(routers, host, port, (cluster, ip, p) => {
    target ??= { cluster, ip, port: p };
    return undefined;
  });
  if (!target) return undefined;
  const { cluster, ip, port: podPort } = target;
  const c = clusterOf(cluster);
  const pod = c?.store.scan('Pod').find((p) => (p.status as { podIP?: string } | undefined)?.podIP === ip);
  if (!c || !pod) return undefined;
  const containers = (pod.spec as { containers?: { name: string; command?: string[]; args?: string[] }[] }).containers ?? [];
  for (const ct of containers) {
    const o = parseSServer([...(ct.command ?? []), ...(ct.args ?? [])].join(' '));
    if (!o || o.accept !== podPort) continue;
    const ns = pod.metadata.namespace ?? 'default';
    const read = async (path: string) => {
      const r = await c.exec(ns, pod.metadata.name, ct.name, ['cat', path], '');
      return r.exitCode === 0 ? r.stdout : undefined;
    };
    return sServerAnswer(o, read, verifier, now);
  }
  return undefined;
}
