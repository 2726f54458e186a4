/**
 * `openssl` for looking at certificates as the guides do, in OpenSSL 3.0's output format, at the lab's
 * virtual time: `x509 -in F [-noout] [-subject] [-issuer] [-dates] [-startdate] [-enddate] [-serial]
 * [-fingerprint -sha256] [-ext subjectAltName] [-checkend N] [-text]` (fields printed in command-line
 * order; -text in opensslX509Text.ts),
 * and `verify [-CAfile F] [-untrusted F] [-purpose sslclient|sslserver] F…` (exit 2 on failure, with the
 * `error N at D depth lookup: …` lines), and `s_client -connect HOST:PORT [-servername N] [-cert F -key F]
 * [-CAfile F] [-verify_return_error] [-showcerts] [-brief] [-quiet] [-alpn L]` against what the lab's
 * network answers (`OpensslNetwork`, given per pod/workstation; output in opensslSClient.ts). s_server is refused.
 */
import { equalBytes, formatNameOpenssl, SignatureVerifier, verifyChain, type Certificate } from '../pki/index.ts';
import { parsePemCertificates } from '../spiffe/index.ts';
import { resolvePath } from './shell/fs.ts';
import { done, type Program, type ProgramIo } from './shell/program.ts';
import { formatSClient, threadId, verifyServerChain, type SClientWire, type ServerFlight } from './opensslSClient.ts';
import { x509Text } from './opensslX509Text.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** OpenSSL's ASN1_TIME_print: `Nov 22 13:37:55 2026 GMT` (day padded with a space). */
export function opensslDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()} GMT`;
}

/** Certificates from a file, or from standard input when `file` is undefined, `-` or /dev/stdin. */
function readCerts(io: ProgramIo, file: string | undefined): { certs?: Certificate[]; error?: string; text?: string } {
  const fromStdin = file === undefined || file === '-' || file === '/dev/stdin';
  const label = fromStdin ? '<stdin>' : file;
  const text = fromStdin ? io.stdin : io.fs.read(resolvePath(io.cwd, file));
  if (text === undefined) return { error: `Could not open file or uri for loading certificate from ${label}\n` };
  const parsed = parsePemCertificates(text);
  if (!parsed.ok || parsed.value.length === 0) return { error: `Could not read certificate from ${label}\nUnable to load certificate\n` };
  return { certs: parsed.value, text };
}

async function sha256Fingerprint(crypto: Crypto, der: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', der as BufferSource));
  return Array.from(digest, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(':');
}

const serialText = (c: Certificate): string => {
  const hex = c.serial.toString(16).toUpperCase();
  return hex.length % 2 ? `0${hex}` : hex;
};

function x509(now: () => number, crypto: Crypto): Program {
  return async (argv, io) => {
    const args = argv.slice(2);
    let file: string | undefined;
    let noout = false;
    const outputs: (string | { checkend: number })[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '-in') file = args[++i];
      else if (a === '-noout') noout = true;
      else if (['-subject', '-issuer', '-dates', '-startdate', '-enddate', '-serial', '-fingerprint', '-text'].includes(a)) outputs.push(a);
      else if (a === '-sha256' || a === '-nameopt' || a === '-inform') {
        if (a !== '-sha256') i++;
      } else if (a === '-ext') outputs.push(`-ext:${args[++i] ?? ''}`);
      else if (a === '-checkend') outputs.push({ checkend: Number(args[++i] ?? 'x') });
      else return done('', `x509: Unknown option or message digest: ${a.replace(/^-/, '')}\nx509: Use -help for summary.\n`, 1);
    }
    const { certs, error, text } = readCerts(io, file);
    if (!certs) return done('', error!, 1);
    const c = certs[0]!;
    let out = '';
    let code = 0;
    for (const o of outputs) {
      if (typeof o === 'object') {
        if (!Number.isFinite(o.checkend)) return done('', 'x509: Invalid number for -checkend\n', 1);
        const expires = now() + o.checkend * 1000 > c.notAfter;
        out += expires ? 'Certificate will expire\n' : 'Certificate will not expire\n';
        code = expires ? 1 : 0;
      } else if (o === '-text') {
        const t = x509Text(c);
        if ('error' in t) return done(out, t.error, 1);
        out += t.text;
      } else if (o === '-subject') out += `subject=${formatNameOpenssl(c.subject)}\n`;
      else if (o === '-issuer') out += `issuer=${formatNameOpenssl(c.issuer)}\n`;
      else if (o === '-dates') out += `notBefore=${opensslDate(c.notBefore)}\nnotAfter=${opensslDate(c.notAfter)}\n`;
      else if (o === '-startdate') out += `notBefore=${opensslDate(c.notBefore)}\n`;
      else if (o === '-enddate') out += `notAfter=${opensslDate(c.notAfter)}\n`;
      else if (o === '-serial') out += `serial=${serialText(c)}\n`;
      else if (o === '-fingerprint') out += `sha256 Fingerprint=${await sha256Fingerprint(crypto, c.der)}\n`;
      else if (o === '-ext:subjectAltName') {
        const names = [...c.dnsNames.map((d) => `DNS:${d}`), ...c.uris.map((u) => `URI:${u}`)];
        out += names.length ? `X509v3 Subject Alternative Name: ${c.sanCritical ? 'critical' : ''}\n    ${names.join(', ')}\n` : 'No extensions in certificate\n';
      }
    }
    if (!noout) out += (text ?? '').match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/)?.[0] ?? '';
    return done(out, '', code);
  };
}

/** OpenSSL's X509_V_ERR codes and texts for the chain failures the lab distinguishes. */
const VERIFY_ERRORS: Record<string, [number, string]> = {
  'pki/expired': [10, 'certificate has expired'],
  'pki/not-yet-valid': [9, 'certificate is not yet valid'],
  'pki/unknown-authority': [20, 'unable to get local issuer certificate'],
  'pki/not-ca': [24, 'invalid CA certificate'],
  'pki/ca-key-usage': [32, 'key usage does not include certificate signing'],
  'pki/path-length': [25, 'path length constraint exceeded'],
  'pki/incompatible-usage': [26, 'unsupported certificate purpose'],
};

function verify(now: () => number, crypto: Crypto): Program {
  const verifier = new SignatureVerifier(crypto);
  return async (argv, io) => {
    const args = argv.slice(2);
    let roots: Certificate[] = [];
    let untrusted: Certificate[] = [];
    let purpose: 'serverAuth' | 'clientAuth' | undefined;
    const files: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '-CAfile' || a === '-untrusted') {
        const f = args[++i] ?? '';
        const { certs, error } = readCerts(io, f);
        if (!certs) return done('', `Error loading file ${f}\n${error ?? ''}`, 2);
        if (a === '-CAfile') roots = [...roots, ...certs];
        else untrusted = [...untrusted, ...certs];
      } else if (a === '-purpose') {
        const p = args[++i];
        purpose = p === 'sslclient' ? 'clientAuth' : p === 'sslserver' ? 'serverAuth' : undefined;
      } else if (a.startsWith('-')) return done('', `verify: Unknown option: ${a}\nverify: Use -help for summary.\n`, 2);
      else files.push(a);
    }
    let stdout = '';
    let stderr = '';
    let failed = false;
    // With no certificate arguments, verify reads one from standard input and calls it `stdin`.
    for (const f of files.length > 0 ? files : ['stdin']) {
      const { certs, error } = readCerts(io, f === 'stdin' && files.length === 0 ? undefined : f);
      if (!certs) {
        stderr += error;
        failed = true;
        continue;
      }
      const leaf = certs[0]!;
      const r = await verifyChain(verifier, leaf, { at: now(), roots, intermediates: [...certs.slice(1), ...untrusted], ...(purpose ? { requiredEku: purpose } : {}) });
      if (r.ok) stdout += `${f}: OK\n`;
      else {
        failed = true;
        const [n, text] = VERIFY_ERRORS[r.error.code] ?? [7, 'certificate signature failure'];
        stderr += `${formatNameOpenssl(leaf.subject)}\nerror ${n} at 0 depth lookup: ${text}\nerror ${f}: verification failed\n`;
      }
    }
    return done(stdout, stderr, failed ? 2 : 0);
  };
}

/** What answers a ClientHello on the lab's network, as seen from one shell (a pod or the workstation). */
export interface OpensslNetwork {
  tls(req: { readonly host: string; readonly port: number; readonly servername?: string; readonly alpn: readonly string[] }): Promise<TlsAnswer>;
  /** Draws for what depends on key bytes and randomness (signature lengths, session ids, tickets, thread id). */
  random(n: number): number;
  bytes(n: number): Uint8Array;
}

export type TlsAnswer =
  /** No handshake (unresolved, refused, timeout, closed before ServerHello): what s_client prints for it as is. */
  | Exclude<SClientWire, { readonly kind: 'tls' }>
  /** `judge`: the server's verdict on the client's chain when it asked for one: undefined = accepted, else the alert. */
  | { readonly kind: 'tls'; readonly server: Omit<ServerFlight, 'alert' | 'signatureLength'>; judge(clientChain: readonly Certificate[]): Promise<number | undefined> };

const isIp = (h: string): boolean => /^\d+\.\d+\.\d+\.\d+$/.test(h) || h.includes(':');
/** ECDSA P-256 signatures in DER are 70–72 bytes (r and s each gain a byte when their top bit is set). */
const ecdsaLength = (net: OpensslNetwork): number => 70 + (net.random(2) + net.random(2));

function sClient(now: () => number, crypto: Crypto, net: OpensslNetwork | undefined): Program {
  const verifier = new SignatureVerifier(crypto);
  return async (argv, io) => {
    if (!net) return done('', 'openssl s_client: this shell has no network to the lab\'s TLS endpoints\n', 1);
    const args = argv.slice(2);
    let connect: string | undefined, servername: string | undefined, certFile: string | undefined, keyFile: string | undefined, caFile: string | undefined;
    let alpn: string[] = [];
    const flags = { brief: false, quiet: false, showcerts: false, verifyReturnError: false };
    // -verify N (s_client.c OPT_VERIFY): SSL_VERIFY_PEER and a callback depth; it announces itself on
    // stderr unless -brief or -quiet came earlier on the line (options are read in order).
    let verifyDepth: number | undefined;
    let announce = '';
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '-verify') {
        verifyDepth = Number.parseInt(args[++i] ?? '', 10) || 0;
        if (!flags.brief && !flags.quiet) announce = `verify depth is ${verifyDepth}\n`;
      } else if (a === '-connect') connect = args[++i];
      else if (a === '-servername') servername = args[++i];
      else if (a === '-cert') certFile = args[++i];
      else if (a === '-key') keyFile = args[++i];
      else if (a === '-CAfile') caFile = args[++i];
      else if (a === '-alpn') alpn = (args[++i] ?? '').split(',').filter(Boolean);
      else if (a === '-verify_return_error') flags.verifyReturnError = true;
      else if (a === '-showcerts') flags.showcerts = true;
      else if (a === '-brief') flags.brief = true;
      else if (a === '-quiet') flags.quiet = true;
      else if (a === '-tls1_3' || a === '-ign_eof' || a === '-no_ign_eof') continue;
      else return done('', `s_client: Unknown option: ${a}\ns_client: Use -help for summary.\n`, 1);
    }
    const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(connect ?? '');
    if (!m) return done('', `s_client: -connect argument or target parameter malformed or ambiguous\n`, 1);
    const host = m[1]!.replace(/^\[|\]$/g, '');
    const port = Number(m[2]);
    let roots: Certificate[] = [];
    if (caFile !== undefined) {
      const { certs } = readCerts(io, caFile);
      if (!certs) return done('', `Error loading file ${caFile}\n`, 1);
      roots = certs;
    }
    let clientChain: Certificate[] | undefined;
    if (certFile !== undefined) {
      const { certs } = readCerts(io, certFile);
      if (!certs) return done('', `Could not open file or uri for loading client certificate from ${certFile}\n`, 1);
      if (io.fs.read(resolvePath(io.cwd, keyFile ?? certFile)) === undefined) return done('', `Could not open file or uri for loading client certificate private key from ${keyFile ?? certFile}\n`, 1);
      // Only the first certificate of -cert is used; OpenSSL completes the chain from the verify store (-CAfile).
      clientChain = [certs[0]!];
      for (let c = certs[0]!; !equalBytes(c.subject.der, c.issuer.der); ) {
        const issuer = roots.find((r) => equalBytes(r.subject.der, c.issuer.der));
        if (!issuer || clientChain.includes(issuer)) break;
        clientChain.push(issuer);
        c = issuer;
      }
    }
    // Without -servername, s_client sends the -connect host as SNI unless it is an IP address.
    const sni = servername ?? (isIp(host) ? undefined : host);
    const req = { ...(sni ? { servername: sni } : {}), alpn, ...flags, ...(clientChain ? { clientChain } : {}) };
    const opts = { tid: threadId(net.random(2 ** 32)), clientSignatureLength: ecdsaLength(net) };
    const answer = await net.tls({ host, port, ...(sni ? { servername: sni } : {}), alpn });
    if (answer.kind !== 'tls') {
      const r = formatSClient(req, answer, opts);
      return done(r.stdout, announce + r.stderr, r.exitCode);
    }
    const verify = await verifyServerChain(verifier, answer.server.chain, roots, now());
    // s_cb.c verify_callback turns an error deeper than the -verify depth into X509_V_ERR_CERT_CHAIN_TOO_LONG
    // and fails the handshake; that path is not modelled, so it is refused rather than printed wrongly.
    if (verifyDepth !== undefined && verify.steps.some((s) => s.error && s.depth > verifyDepth)) return done('', `${announce}s_client: -verify ${verifyDepth} with a verify error deeper than ${verifyDepth} is not modelled in this lab\n`, 1);
    const rejected = flags.verifyReturnError && verify.steps.some((s) => s.error);
    const alert = rejected || !answer.server.certificateRequest ? undefined : await answer.judge(clientChain ?? []);
    const server: ServerFlight = { ...answer.server, signatureLength: answer.server.chain[0]?.publicKey.algorithm === 'rsa' ? answer.server.chain[0].publicKey.bits / 8 : ecdsaLength(net), ...(alert !== undefined ? { alert } : {}) };
    const r = formatSClient(req, { kind: 'tls', server, verify }, opts);
    return done(r.stdout, announce + r.stderr, r.exitCode);
  };
}

export function makeOpenssl(now: () => number, crypto: Crypto, net?: OpensslNetwork): Program {
  const commands: Record<string, Program> = { x509: x509(now, crypto), verify: verify(now, crypto), s_client: sClient(now, crypto, net) };
  return (argv, io) => {
    const sub = argv[1];
    const cmd = sub ? commands[sub] : undefined;
    if (cmd) return cmd(argv, io);
    if (sub === 's_server') return done('', `openssl ${sub}: not available inside the lab; use \`fedlab svid export\` and run it outside\n`, 1);
    return done('', `Invalid command '${sub ?? ''}'; type "help" for a list.\n`, 1);
  };
}

