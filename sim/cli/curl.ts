/**
 * `curl` for HTTPS endpoints on the lab's network (today: federation bundle endpoints; the mesh adds
 * Envoy listeners). Behaves as curl 8 does for the flags the guides use: `-s` (silent), `-S` (show
 * errors even with -s), `-k`/`--insecure`, `-f`/`--fail`, `-o FILE`, `-w '%{http_code}'`, `-v` (a short
 * TLS summary on stderr), `--cacert FILE`, `-X METHOD`, `--connect-timeout`. Exit codes and messages
 * are curl's: 6 could not resolve host, 7 failed to connect, 28 timeout, 60 certificate problem,
 * 22 HTTP error with --fail. Without `-k` the server certificate must chain to the lab's web roots (or
 * `--cacert`) and match the host name.
 */
import type { Result, SimError } from '../core/result.ts';
import { parseHttpsUrl, type BundleEndpoint } from '../net/bundleEndpoint.ts';
import { dnsNamesMatchHost, SignatureVerifier, verifyChain, type Certificate } from '../pki/index.ts';
import { parsePemCertificates } from '../spiffe/index.ts';
import { resolvePath } from './shell/fs.ts';
import { done, type Program } from './shell/program.ts';

export interface CurlNetwork {
  /** Finds what listens at host:port as seen from `from` (a cluster, or `workstation`). */
  resolve(from: string, host: string, port: number): Result<BundleEndpoint, SimError>;
  /** The roots curl trusts by default (the lab's stand-in for the system CA store). */
  webRoots(): readonly Certificate[];
  now(): number;
  /**
   * Plain-HTTP requests from inside a mesh pod: the sidecar (or the pod network) answers, or a curl
   * error. Undefined when the host is not the mesh's to answer (the router, a TLS port…).
   */
  http?(req: { host: string; port: number; path: string; method: string; authority: string; verbose: boolean }): Promise<MeshHttp | undefined>;
}

export type MeshHttp =
  | { readonly response: { readonly status: number; readonly body: string; readonly headers: Readonly<Record<string, string>> }; readonly verbose?: string }
  | { readonly error: readonly [number, string] };

const ERRNO_TO_CURL: Record<string, (host: string, port: number) => [number, string]> = {
  'net/dns-failure': (host) => [6, `Could not resolve host: ${host}`],
  'net/no-such-host': (host) => [6, `Could not resolve host: ${host}`],
  'net/partitioned': (host, port) => [28, `Failed to connect to ${host} port ${port} after 10002 ms: Timeout was reached`],
  // The router accepts the connection and closes it: no route or no endpoint behind a passthrough route.
  'net/connection-closed': (host, port) => [35, `OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to ${host}:${port} `],
};

function curlError(code: string, host: string, port: number): [number, string] {
  return (ERRNO_TO_CURL[code] ?? ((h: string, p: number) => [7, `Failed to connect to ${h} port ${p} after 0 ms: Couldn't connect to server`]))(host, port);
}

/** Exit codes of a transfer that was attempted (resolve, connect, timeout, TLS, empty reply, recv, peer cert): `-w` still runs. */
const TRANSFER_ERRORS = new Set([6, 7, 28, 35, 52, 56, 60]);

export function makeCurl(from: string, net: CurlNetwork, crypto: Crypto): Program {
  const verifier = new SignatureVerifier(crypto);
  return async (argv, io) => {
    let silent = false, showErrors = false, insecure = false, failOnError = false, verbose = false;
    let output: string | undefined, writeOut: string | undefined, cacert: string | undefined, method = 'GET';
    let url: string | undefined;
    const args = argv.slice(1);
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a.startsWith('-') && !a.startsWith('--') && a.length > 2 && /^-[sSkfvL]+$/.test(a)) {
        silent ||= a.includes('s');
        showErrors ||= a.includes('S');
        insecure ||= a.includes('k');
        failOnError ||= a.includes('f');
        verbose ||= a.includes('v');
        continue;
      }
      switch (a) {
        case '-s': case '--silent': silent = true; break;
        case '-S': case '--show-error': showErrors = true; break;
        case '-k': case '--insecure': insecure = true; break;
        case '-f': case '--fail': failOnError = true; break;
        case '-v': case '--verbose': verbose = true; break;
        case '-L': case '--location': break;
        case '-o': case '--output': output = args[++i]; break;
        case '-w': case '--write-out': writeOut = args[++i]; break;
        case '--cacert': cacert = args[++i]; break;
        case '-X': case '--request': method = args[++i] ?? 'GET'; break;
        case '--connect-timeout': case '-m': case '--max-time': i++; break;
        default:
          if (a.startsWith('-')) return done('', `curl: option ${a}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n`, 2);
          url = a;
      }
    }
    // A failed transfer still runs `-w` (curl's write-out after each transfer): `%{http_code}` is 000.
    const err = (code: number, message: string) => done(writeOut && TRANSFER_ERRORS.has(code) ? writeOut.replace(/%\{http_code\}/g, '000').replace(/\\n/g, '\n') : '', silent && !showErrors ? '' : `curl: (${code}) ${message}\n`, code);
    if (!url) return done('', "curl: no URL specified\ncurl: try 'curl --help' or 'curl --manual' for more information\n", 2);
    // curl guesses http:// for a URL without a scheme.
    if (!/^[a-z]+:\/\//i.test(url)) url = `http://${url}`;
    const emit = (r: { status: number; body: string }, stderr = ''): ReturnType<typeof done> => {
      if (failOnError && r.status >= 400) return done('', `${stderr}${silent && !showErrors ? '' : `curl: (22) The requested URL returned error: ${r.status}\n`}`, 22);
      let stdout = r.body;
      if (output) {
        io.fs.write(resolvePath(io.cwd, output), r.body);
        stdout = '';
      }
      if (writeOut) stdout += writeOut.replace(/%\{http_code\}/g, String(r.status)).replace(/\\n/g, '\n');
      return done(stdout, stderr, 0);
    };
    const plain = /^http:\/\/([^/:?#]+)(?::(\d+))?([^?#]*)/i.exec(url);
    if (plain && net.http) {
      const [h, p, path] = [plain[1]!.toLowerCase(), plain[2] ? Number(plain[2]) : 80, plain[3] || '/'];
      const r = await net.http({ host: h, port: p, path, method, authority: plain[2] ? `${h}:${p}` : h, verbose });
      if (r && 'error' in r) return err(...r.error);
      if (r) return emit(r.response, r.verbose ?? '');
    }
    let follow = 0;
    for (let target = url; /^http:\/\//i.test(target); ) {
      // Plain HTTP: the OpenShift router's :80 (redirects to https for Redirect routes), or a TLS port.
      const m = /^http:\/\/([^/:?#]+)(?::(\d+))?([^?#]*)/i.exec(target);
      if (!m) return err(3, 'URL rejected: Malformed input to a URL function');
      const [h, p, path] = [m[1]!.toLowerCase(), m[2] ? Number(m[2]) : 80, m[3] || '/'];
      const ep = net.resolve(from, h, p);
      if (!ep.ok) return err(...curlError(ep.error.code, h, p));
      // Go's TLS listener answers a plain HTTP request with this (net/http server.go).
      const r = (ep.value as { plaintext?: boolean }).plaintext
        ? ep.value.serve(method, path, p === 80 ? h : `${h}:${p}`)
        : { status: 400, headers: {}, body: 'Client sent an HTTP request to an HTTPS server.\n' };
      const location = r.headers.Location ?? r.headers.location;
      if (location && r.status >= 300 && r.status < 400 && follow < 50 && argv.some((a) => a === '-L' || a === '--location' || /^-[a-zA-Z]*L/.test(a))) {
        follow++;
        if (/^https:\/\//i.test(location)) {
          url = location;
          break;
        }
        target = location;
        continue;
      }
      return emit(r);
    }
    const u = parseHttpsUrl(url);
    if (!u.ok) return err(3, 'URL rejected: Malformed input to a URL function');
    const { host, port, path } = u.value;
    const endpoint = net.resolve(from, host, port);
    if (!endpoint.ok) return err(...curlError(endpoint.error.code, host, port));
    const identity = endpoint.value.tlsIdentity();
    if (!identity) return err(35, `OpenSSL/3.0.19: error:0A000438:SSL routines::tlsv1 alert internal error`);
    const trace: string[] = verbose ? [`* Connected to ${host} port ${port}`, '* SSL connection using TLSv1.3 / TLS_AES_128_GCM_SHA256'] : [];
    if (!insecure) {
      let roots = net.webRoots();
      if (cacert) {
        const text = io.fs.read(resolvePath(io.cwd, cacert));
        const parsed = text === undefined ? undefined : parsePemCertificates(text);
        if (!parsed?.ok) return err(77, `error setting certificate file: ${cacert}`);
        roots = parsed.value;
      }
      const leaf = identity.chain[0]!;
      const chain = await verifyChain(verifier, leaf, { at: net.now(), roots, intermediates: identity.chain.slice(1) });
      if (!chain.ok) {
        const reason = chain.error.code === 'pki/expired' ? 'certificate has expired' : identity.chain.length === 1 && leaf.issuer.der.length > 0 ? 'unable to get local issuer certificate' : 'self-signed certificate in certificate chain';
        return err(60, `SSL certificate problem: ${reason}\nMore details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the web page mentioned above.`);
      }
      if (!dnsNamesMatchHost(leaf.dnsNames, host)) return err(60, `SSL: no alternative certificate subject name matches target host name '${host}'\nMore details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the web page mentioned above.`);
    }
    const r = endpoint.value.serve(method, path, port === 443 ? host : `${host}:${port}`);
    if (verbose) trace.push(`> ${method} ${path} HTTP/1.1`, `> Host: ${host}:${port}`, `< HTTP/1.1 ${r.status}`);
    return emit(r, verbose ? `${trace.join('\n')}\n` : '');
  };
}
