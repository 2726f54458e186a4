/**
 * `openssl s_client` (OpenSSL 3.0.19) output, as pure functions of what happened on the wire: the
 * client's certificate verification (callback lines on stderr), the session summary on stdout (or the
 * `-brief` summary on stderr), and how the connection ended. Held line for line to transcripts of the
 * real tool against `openssl s_server` (test/sim/cli/fixtures/s_client/README.md).
 *
 * Byte counts (`SSL handshake has read N bytes and written M bytes`) are computed from the record
 * sizes of a TLS 1.3 handshake with TLS_AES_128_GCM_SHA256 and X25519 (what BoringSSL/Envoy and Go
 * choose with AES hardware): each encrypted handshake message is its own record (5-byte header,
 * 1-byte inner type, 16-byte tag). The ECDSA signature length (70–72 bytes in DER) is a fact the
 * caller draws, as the real one depends on the signature's bytes.
 */
import { encodePem, equalBytes, formatNameOpenssl, verifyChain, type Certificate, type Name, type SignatureVerifier } from '../pki/index.ts';
import { opensslDate } from './openssl.ts';
import { SIGNATURE_NAMES } from './opensslX509Text.ts';

export interface SClientRequest {
  /** The SNI sent: -servername, else the -connect host when it is a DNS name; none for an IP. */
  readonly servername?: string;
  readonly alpn: readonly string[];
  readonly brief: boolean;
  readonly quiet: boolean;
  readonly showcerts: boolean;
  readonly verifyReturnError: boolean;
  /** What the client sends when asked for a certificate: -cert, then the issuers OpenSSL auto-chains from -CAfile. */
  readonly clientChain?: readonly Certificate[];
}

/** One call of s_client's verify callback (apps/lib/s_cb.c verify_callback). */
export interface VerifyStep {
  readonly depth: number;
  readonly subject: Name;
  readonly error?: readonly [number, string];
  /** `notAfter=…`/`notBefore=…`, printed after some errors. */
  readonly extra?: string;
}

export interface ClientVerify {
  readonly steps: readonly VerifyStep[];
  /** The last error (`Verify return code`), [0, 'ok'] when none. */
  readonly result: readonly [number, string];
}

export interface ServerFlight {
  /** The chain the server presents, leaf first. */
  readonly chain: readonly Certificate[];
  /** Set when the server asks for a client certificate (CertificateRequest). */
  readonly certificateRequest?: { readonly caNames: readonly Name[]; readonly sigalgs: readonly string[] };
  /** The ALPN protocol the server picked. */
  readonly alpn?: string;
  /** DER length of the server's CertificateVerify signature (ECDSA: 70–72). */
  readonly signatureLength: number;
  /** The TLS 1.3 suite the server picks; default TLS_AES_128_GCM_SHA256 (BoringSSL, Go). An OpenSSL server takes the client's first, TLS_AES_256_GCM_SHA384. */
  readonly cipher?: string;
  /** After the client's flight: undefined = the server accepts; else the alert it sends (116, 46, 48…). */
  readonly alert?: number;
  /** NewSessionTickets the server sends once it accepts (TLS 1.3 post-handshake), printed as they arrive. */
  readonly tickets?: SessionTickets;
}

export interface SessionTickets {
  readonly lifetimeHint: number;
  /** When the client stored the session, seconds since the epoch. */
  readonly startTime: number;
  readonly list: readonly { readonly sessionId: Uint8Array; readonly psk: Uint8Array; readonly ticket: Uint8Array }[];
}

export type SClientWire =
  | { readonly kind: 'unresolved' }
  | { readonly kind: 'refused' }
  | { readonly kind: 'timeout' }
  /** Accepted, then closed before any ServerHello: `reset` (RST, Envoy's filter_chain_not_found) or `eof` (FIN). */
  | { readonly kind: 'closed'; readonly how: 'reset' | 'eof' }
  | { readonly kind: 'tls'; readonly server: ServerFlight; readonly verify: ClientVerify };

export interface SClientOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

const CIPHER = 'TLS_AES_128_GCM_SHA256';
const TAG = 16;
const FINISHED = 5 + 4 + 32 + 1 + TAG;
const CCS = 6;
/** ServerHello with a 32-byte session id echo, supported_versions and an X25519 key_share. */
const SERVER_HELLO = 5 + 4 + 118;
/** OpenSSL 3.0's ClientHello without SNI or ALPN (its default groups, sigalgs, key share, PSK modes). */
const CLIENT_HELLO_BASE = 297;

const enc = (body: number): number => 5 + body + 1 + TAG;
const certificateMsg = (chain: readonly Certificate[]): number => enc(4 + 1 + 3 + chain.reduce((s, c) => s + 3 + c.der.length + 2, 0));
const verifyMsg = (sig: number): number => enc(4 + 2 + 2 + sig);

export function clientHelloBytes(req: Pick<SClientRequest, 'servername' | 'alpn'>): number {
  const sni = req.servername ? 9 + new TextEncoder().encode(req.servername).length : 0;
  const alpn = req.alpn.length ? 6 + req.alpn.reduce((s, p) => s + 1 + p.length, 0) : 0;
  return CLIENT_HELLO_BASE + sni + alpn;
}

/** What the client has read when it prints the session: the whole server flight, or up to the Certificate it rejected. */
export function serverFlightBytes(server: ServerFlight, abortedAtCertificate: boolean): number {
  const ee = enc(4 + 2 + (server.alpn ? 7 + server.alpn.length : 0));
  const head = SERVER_HELLO + CCS + ee;
  const cr = server.certificateRequest;
  const crBytes = cr ? enc(4 + 1 + 2 + (4 + 2 + 2 * cr.sigalgs.length) + (cr.caNames.length ? 4 + 2 + cr.caNames.reduce((s, n) => s + 2 + n.der.length, 0) : 0)) : 0;
  if (abortedAtCertificate) return head + crBytes + certificateMsg(server.chain);
  return head + crBytes + certificateMsg(server.chain) + verifyMsg(server.signatureLength) + FINISHED;
}

export function clientFlightBytes(req: SClientRequest, server: ServerFlight, clientSignatureLength: number): number {
  let n = clientHelloBytes(req) + CCS;
  if (server.certificateRequest) {
    const chain = req.clientChain ?? [];
    n += certificateMsg(chain) + (chain.length ? verifyMsg(clientSignatureLength) : 0);
  }
  return n + FINISHED;
}

/** OpenSSL's reason strings for received alerts (SSL_R_SSLV3_ALERT_* / TLSV1_ALERT_*: 1000 + alert). */
const ALERTS: Record<number, string> = {
  40: 'sslv3 alert handshake failure',
  42: 'sslv3 alert bad certificate',
  45: 'sslv3 alert certificate expired',
  46: 'sslv3 alert certificate unknown',
  48: 'tlsv1 alert unknown ca',
  80: 'tlsv1 alert internal error',
  116: 'tlsv13 alert certificate required',
  120: 'tlsv1 alert no application protocol',
};

export const alertLine = (tid: string, alert: number): string =>
  `${tid}:error:0A000${(1000 + alert).toString(16).toUpperCase()}:SSL routines:ssl3_read_bytes:${ALERTS[alert] ?? `unknown alert ${alert}`}:../ssl/record/rec_layer_s3.c:1601:SSL alert number ${alert}\n`;

/** The error queue's thread id as OpenSSL prints it on x86-64 Linux (`4097BC592E7F0000`): 40, 8 hex digits, 7F0000. */
export const threadId = (n: number): string => `40${(n >>> 0).toString(16).toUpperCase().padStart(8, '0')}7F0000`;

function chainEntry(i: number, c: Certificate, pem: boolean): string {
  const key = c.publicKey.algorithm === 'rsa' ? 'rsaEncryption' : c.publicKey.algorithm === 'ec' ? 'id-ecPublicKey' : c.publicKey.algorithm === 'ed25519' ? 'ED25519' : 'UNDEF';
  return (
    ` ${i} s:${formatNameOpenssl(c.subject)}\n   i:${formatNameOpenssl(c.issuer)}\n` +
    `   a:PKEY: ${key}, ${c.publicKey.bits} (bit); sigalg: ${SIGNATURE_NAMES[c.signatureOid] ?? c.signatureOid}\n` +
    `   v:NotBefore: ${opensslDate(c.notBefore)}; NotAfter: ${opensslDate(c.notAfter)}\n` +
    (pem ? encodePem('CERTIFICATE', c.der) : '')
  );
}

/** TLS 1.3 signature type of the server's CertificateVerify (RSA keys sign with PSS). */
const peerSignatureType = (c: Certificate): string => (c.publicKey.algorithm === 'rsa' ? 'RSA-PSS' : c.publicKey.algorithm === 'ed25519' ? 'Ed25519' : 'ECDSA');

/** The verify callback lines (s_cb.c): `depth=` unless -brief for a good certificate, `verify return:1` unless -brief. */
function verifyLines(steps: readonly VerifyStep[], brief: boolean): string {
  let out = '';
  for (const s of steps) {
    if (!brief || s.error) out += `depth=${s.depth} ${formatNameOpenssl(s.subject)}\n`;
    if (s.error) out += `verify error:num=${s.error[0]}:${s.error[1]}\n`;
    if (s.extra) out += `${s.extra}\n`;
    if (!brief) out += 'verify return:1\n';
  }
  return out;
}

const done = (stdout: string, stderr: string, exitCode: number): SClientOutput => ({ stdout, stderr, exitCode });

/**
 * Everything s_client prints for one connection. `tid` is the error queue's thread id; `clientSignatureLength`
 * the DER length of the client's own CertificateVerify signature (when it sends a certificate).
 */
export function formatSClient(req: SClientRequest, wire: SClientWire, opts: { readonly tid: string; readonly clientSignatureLength: number }): SClientOutput {
  const { tid } = opts;
  switch (wire.kind) {
    case 'unresolved':
      return done('', `${tid}:error:10080002:BIO routines:BIO_lookup_ex:system lib:../crypto/bio/bio_addr.c:746:Name or service not known\nconnect:errno=22\n`, 1);
    case 'refused':
      return done('', `${tid}:error:8000006F:system library:BIO_connect:Connection refused:../crypto/bio/bio_sock2.c:117:calling connect()\n${tid}:error:10000067:BIO routines:BIO_connect:connect error:../crypto/bio/bio_sock2.c:119:\nconnect:errno=111\n`, 1);
    case 'timeout':
      // Inferred from the refused case: errno 110 (ETIMEDOUT) once the kernel gives up on the SYN.
      return done('', `${tid}:error:8000006E:system library:BIO_connect:Connection timed out:../crypto/bio/bio_sock2.c:117:calling connect()\n${tid}:error:10000067:BIO routines:BIO_connect:connect error:../crypto/bio/bio_sock2.c:119:\nconnect:errno=110\n`, 1);
    case 'closed': {
      const stdout = req.brief || req.quiet ? '' : `CONNECTED(00000003)\n---\nno peer certificate available\n---\nNo client certificate CA names sent\n---\nSSL handshake has read 0 bytes and written ${clientHelloBytes(req)} bytes\nVerification: OK\n---\nNew, (NONE), Cipher is (NONE)\n${TAIL_NONE}Verify return code: 0 (ok)\n---\n`;
      // A RST fails the pending write of the ClientHello's flush; a FIN is read as EOF.
      const stderr = wire.how === 'reset' ? 'write:errno=104\n' : `${tid}:error:0A000126:SSL routines:ssl3_read_n:unexpected eof while reading:../ssl/record/rec_layer_s3.c:318:\n`;
      return done(stdout, stderr, 1);
    }
    case 'tls':
      return formatHandshake(req, wire.server, wire.verify, opts);
  }
}

const TAIL_NONE = 'Secure Renegotiation IS NOT supported\nCompression: NONE\nExpansion: NONE\nNo ALPN negotiated\nEarly data was not sent\n';

function formatHandshake(req: SClientRequest, server: ServerFlight, verify: ClientVerify, opts: { readonly tid: string; readonly clientSignatureLength: number }): SClientOutput {
  const { tid } = opts;
  const leaf = server.chain[0]!;
  // -verify_return_error: the first error ends the handshake inside the callback (no `verify return:` line).
  const firstError = req.verifyReturnError ? verify.steps.findIndex((s) => s.error) : -1;
  const aborted = firstError >= 0;
  const steps = aborted ? verify.steps.slice(0, firstError + 1) : verify.steps;
  // s_client's servername callback fires on the server's EncryptedExtensions when it sent no SNI.
  let stderr = req.servername ? '' : "Can't use SSL_get_servername\n";
  if (aborted) {
    const s = steps[firstError]!;
    for (const x of steps.slice(0, firstError)) stderr += verifyLines([x], req.brief || req.quiet);
    stderr += `${!req.brief || s.error ? `depth=${s.depth} ${formatNameOpenssl(s.subject)}\n` : ''}verify error:num=${s.error![0]}:${s.error![1]}\n${s.extra ? `${s.extra}\n` : ''}`;
  } else stderr += verifyLines(steps, req.brief);
  const result = aborted ? steps[firstError]!.error! : verify.result;
  const verification = result[0] === 0 ? 'Verification: OK' : `Verification error: ${result[1]}`;
  const cr = server.certificateRequest;
  const read = serverFlightBytes(server, aborted);
  // A client that rejects the server sends its alert in plaintext (7 bytes): it has not switched keys yet.
  const written = aborted ? clientHelloBytes(req) + 7 : clientFlightBytes(req, server, opts.clientSignatureLength);
  const failLine = `${tid}:error:0A000086:SSL routines:tls_post_process_server_certificate:certificate verify failed:../ssl/statem/statem_clnt.c:1889:\n`;
  // Simplified: the real tool races the server's post-handshake alert against stdin's EOF (transcripts show
  // both); the lab's network has no latency, so the alert is always read first.
  const ending = server.alert !== undefined ? alertLine(tid, server.alert) : req.quiet ? `${tid}:error:0A000126:SSL routines:ssl3_read_n:unexpected eof while reading:../ssl/record/rec_layer_s3.c:318:\n` : 'DONE\n';
  const exit = server.alert !== undefined || req.quiet ? 1 : 0;
  const sigLines = cr ? `Requested Signature Algorithms: ${cr.sigalgs.join(':')}\n` : '';
  if (req.brief) {
    if (aborted) return done('', stderr + failLine, 1);
    stderr += `CONNECTION ESTABLISHED\nProtocol version: TLSv1.3\nCiphersuite: ${server.cipher ?? CIPHER}\n${sigLines}Peer certificate: ${formatNameOpenssl(leaf.subject)}\nHash used: SHA256\nSignature type: ${peerSignatureType(leaf)}\n${verification}\nServer Temp Key: X25519, 253 bits\n`;
    return done('', stderr + ending, exit);
  }
  if (req.quiet) return done('', stderr + (aborted ? failLine : ending), aborted ? 1 : exit);
  const tickets = !aborted && server.alert === undefined && server.tickets ? ticketBlocks(server.tickets, result) : '';
  let out = 'CONNECTED(00000003)\n---\nCertificate chain\n';
  server.chain.forEach((c, i) => (out += chainEntry(i, c, req.showcerts)));
  out += '---\n';
  if (aborted) out += 'no peer certificate available\n';
  else out += `Server certificate\n${req.showcerts ? '' : encodePem('CERTIFICATE', leaf.der)}subject=${formatNameOpenssl(leaf.subject)}\nissuer=${formatNameOpenssl(leaf.issuer)}\n`;
  out += '---\n';
  if (cr?.caNames.length && !aborted) out += `Acceptable client certificate CA names\n${cr.caNames.map((n) => `${formatNameOpenssl(n)}\n`).join('')}`;
  else out += 'No client certificate CA names sent\n';
  // Shared = the server's list in its order, less SHA-1/SHA-224 (not allowed in TLS 1.3).
  if (cr && !aborted) out += `${sigLines}Shared Requested Signature Algorithms: ${cr.sigalgs.filter((a) => !/SHA(1|224)$/.test(a)).join(':')}\n`;
  if (!aborted) out += `Peer signing digest: SHA256\nPeer signature type: ${peerSignatureType(leaf)}\n`;
  out += `Server Temp Key: X25519, 253 bits\n---\nSSL handshake has read ${read} bytes and written ${written} bytes\n${verification}\n---\n`;
  out += `New, TLSv1.3, Cipher is ${server.cipher ?? CIPHER}\n${aborted ? '' : `Server public key is ${leaf.publicKey.bits} bit\n`}`;
  out += `Secure Renegotiation IS NOT supported\nCompression: NONE\nExpansion: NONE\n${server.alpn && !aborted ? `ALPN protocol: ${server.alpn}` : 'No ALPN negotiated'}\nEarly data was not sent\nVerify return code: ${result[0]} (${result[1]})\n---\n${tickets}`;
  return done(out, stderr + (aborted ? failLine : ending), aborted ? 1 : exit);
}

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).toUpperCase().padStart(2, '0')).join('');

/** BIO_dump_indent(bio, ticket, len, 4): 16 bytes a line, `-` after the eighth, then the printable ASCII. */
export function bioDump(b: Uint8Array, indent = 4): string {
  let out = '';
  for (let off = 0; off < b.length; off += 16) {
    const row = b.subarray(off, off + 16);
    let line = `${' '.repeat(indent)}${off.toString(16).padStart(4, '0')} - `;
    for (let i = 0; i < 16; i++) line += i < row.length ? `${row[i]!.toString(16).padStart(2, '0')}${i === 7 && row.length > 8 ? '-' : ' '}` : '   ';
    line += '  ' + Array.from(row, (x) => (x >= 0x20 && x <= 0x7e ? String.fromCharCode(x) : '.')).join('');
    out += `${line}\n`;
  }
  return out;
}

/** s_client's new_session_cb: SSL_SESSION_print of each TLS 1.3 ticket, then the SSL_read that wants more. */
function ticketBlocks(t: SessionTickets, verify: readonly [number, string]): string {
  return t.list
    .map(
      (x) =>
        `---\nPost-Handshake New Session Ticket arrived:\nSSL-Session:\n    Protocol  : TLSv1.3\n    Cipher    : ${CIPHER}\n    Session-ID: ${hex(x.sessionId)}\n    Session-ID-ctx: \n` +
        `    Resumption PSK: ${hex(x.psk)}\n    PSK identity: None\n    PSK identity hint: None\n    SRP username: None\n` +
        `    TLS session ticket lifetime hint: ${t.lifetimeHint} (seconds)\n    TLS session ticket:\n${bioDump(x.ticket)}\n` +
        // Unverified: the client's session Timeout stays at its 7200 s default whatever the hint.
        `    Start Time: ${t.startTime}\n    Timeout   : 7200 (sec)\n    Verify return code: ${verify[0]} (${verify[1]})\n    Extended master secret: no\n    Max Early Data: 0\n---\nread R BLOCK\n`,
    )
    .join('');
}

// ---- the client's chain verification, as OpenSSL's X509_verify_cert reports it ----------------------

const selfIssued = (c: Certificate): boolean => equalBytes(c.subject.der, c.issuer.der);
const same = (a: Certificate, b: Certificate): boolean => equalBytes(a.der, b.der);

/** Time errors of one certificate at `at` (check_cert_time), with s_cb.c's extra line. */
function timeStep(c: Certificate, depth: number, at: number): VerifyStep | undefined {
  if (at < c.notBefore) return { depth, subject: c.subject, error: [9, 'certificate is not yet valid'], extra: `notBefore=${opensslDate(c.notBefore)}` };
  if (at > c.notAfter) return { depth, subject: c.subject, error: [10, 'certificate has expired'], extra: `notAfter=${opensslDate(c.notAfter)}` };
  return undefined;
}

/**
 * The verify callbacks for the presented chain against the -CAfile roots (trusted first, as OpenSSL 1.1+
 * builds chains): chain building errors at the top (18/19 self-signed, 20 no issuer, then 21 for a lone
 * leaf), then internal_verify from the top down: time errors and one good callback per depth. Signature
 * and extension checks come from the lab's verifier (Simplified: reported at depth 0).
 */
export async function verifyServerChain(verifier: SignatureVerifier, chain: readonly Certificate[], roots: readonly Certificate[], at: number): Promise<ClientVerify> {
  const leaf = chain[0]!;
  const path: Certificate[] = [leaf];
  let trusted = roots.some((r) => same(r, leaf));
  while (!trusted) {
    const last = path[path.length - 1]!;
    const root = roots.find((r) => equalBytes(r.subject.der, last.issuer.der));
    if (root) {
      if (!same(root, last)) path.push(root);
      trusted = true;
      break;
    }
    if (selfIssued(last)) break;
    const next = chain.slice(1).find((c) => equalBytes(c.subject.der, last.issuer.der) && !path.includes(c));
    if (!next) break;
    path.push(next);
  }
  const steps: VerifyStep[] = [];
  const top = path.length - 1;
  let from = top;
  if (!trusted) {
    const t = path[top]!;
    if (selfIssued(t)) steps.push({ depth: top, subject: t.subject, error: top === 0 ? [18, 'self-signed certificate'] : [19, 'self-signed certificate in certificate chain'] });
    else {
      steps.push({ depth: top, subject: t.subject, error: [20, 'unable to get local issuer certificate'] });
      if (top === 0) steps.push({ depth: 0, subject: t.subject, error: [21, 'unable to verify the first certificate'] });
      else from = top - 1;
    }
  } else {
    const r = await verifyChain(verifier, leaf, { at, roots, intermediates: chain.slice(1) });
    if (!r.ok && r.error.code !== 'pki/expired' && r.error.code !== 'pki/not-yet-valid' && r.error.code !== 'pki/unknown-authority') {
      const [n, text] = r.error.code === 'pki/not-ca' || r.error.code === 'pki/ca-key-usage' ? [79, 'invalid CA certificate'] : r.error.code === 'pki/path-length' ? [25, 'path length constraint exceeded'] : r.error.code === 'pki/incompatible-usage' ? [26, 'unsupported certificate purpose'] : [7, 'certificate signature failure'];
      steps.push({ depth: 0, subject: leaf.subject, error: [n as number, text as string] });
    }
  }
  for (let d = from; d >= 0; d--) {
    const c = path[d]!;
    const t = timeStep(c, d, at);
    if (t) steps.push(t);
    steps.push({ depth: d, subject: c.subject });
  }
  const last = [...steps].reverse().find((s) => s.error)?.error;
  return { steps, result: last ?? [0, 'ok'] };
}
