// s_client's output held to transcripts of the real OpenSSL 3.0.19 (fixtures/s_client/README.md).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatSClient, threadId, verifyServerChain, type SClientRequest, type SClientWire, type ServerFlight } from '../../../sim/cli/opensslSClient.ts';
import { SignatureVerifier, type Certificate } from '../../../sim/pki/index.ts';
import { parsePemCertificates } from '../../../sim/spiffe/index.ts';

const DIR = new URL('./fixtures/s_client/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, DIR), 'utf8');
const fixture = (name: string) => ({ stdout: read(`${name}.stdout`), stderr: read(`${name}.stderr`), exitCode: Number(read(`${name}.exit`).trim()) });
const cert = (name: string): Certificate => {
  const r = parsePemCertificates(read(`${name}.crt`));
  if (!r.ok) throw new Error(name);
  return r.value[0]!;
};
// Transcripts were taken on Nov 22 2026 between 12:00 and 16:00 UTC; the certificates are valid then.
const AT = Date.UTC(2026, 10, 22, 16, 0, 0);
const TID = threadId(0);
/** Thread ids in the error queue differ per run: compare with one fixed id. */
const normal = (o: { stdout: string; stderr: string; exitCode: number }) => ({ ...o, stderr: o.stderr.replace(/^40[0-9A-F]{8}7F0000/gm, TID) });

const unhex = (h: string): Uint8Array => new Uint8Array((h.match(/../g) ?? []).map((x) => parseInt(x, 16)));
/** The tickets a transcript shows (random per run), as facts for the formatter. */
function ticketsOf(name: string): ServerFlight['tickets'] {
  const text = read(`${name}.stdout`);
  const blocks = text.split('Post-Handshake New Session Ticket arrived:').slice(1);
  if (!blocks.length) return undefined;
  return {
    lifetimeHint: Number(/lifetime hint: (\d+)/.exec(blocks[0]!)![1]),
    startTime: Number(/Start Time: (\d+)/.exec(blocks[0]!)![1]),
    list: blocks.map((b) => ({
      sessionId: unhex(/Session-ID: ([0-9A-F]+)/.exec(b)![1]!),
      psk: unhex(/Resumption PSK: ([0-9A-F]+)/.exec(b)![1]!),
      ticket: unhex([...b.matchAll(/^ {4}[0-9a-f]{4} - ((?:[0-9a-f]{2}[ -]){1,16})/gm)].map((m) => m[1]!.replace(/[ -]/g, '')).join('')),
    })),
  };
}

const SNI = 'outbound_.5000_._.helloworld.default.svc.cluster.local';
const BORING = ['ECDSA+SHA256', 'RSA-PSS+SHA256', 'RSA+SHA256', 'ECDSA+SHA384', 'RSA-PSS+SHA384', 'RSA+SHA384', 'RSA-PSS+SHA512', 'RSA+SHA512'];
const OPENSSL_SERVER = ['ECDSA+SHA256', 'ECDSA+SHA384', 'ECDSA+SHA512', 'ed25519', 'ed448', 'rsa_pss_pss_sha256', 'rsa_pss_pss_sha384', 'rsa_pss_pss_sha512', 'RSA-PSS+SHA256', 'RSA-PSS+SHA384', 'RSA-PSS+SHA512', 'RSA+SHA256', 'RSA+SHA384', 'RSA+SHA512', 'ECDSA+SHA224', 'RSA+SHA224'];

let server: Certificate, west: Certificate, east: Certificate, client: Certificate, stranger: Certificate;
const verifier = new SignatureVerifier(globalThis.crypto);
beforeAll(() => {
  [server, west, east, client, stranger] = ['server', 'west', 'east', 'client', 'stranger'].map(cert) as [Certificate, Certificate, Certificate, Certificate, Certificate];
});

const req = (o: Partial<SClientRequest> = {}): SClientRequest => ({ servername: SNI, alpn: [], brief: false, quiet: false, showcerts: false, verifyReturnError: false, ...o });
async function run(r: SClientRequest, flight: Omit<ServerFlight, 'signatureLength'> & { signatureLength?: number }, roots: Certificate[], clientSignatureLength = 71, fixtureName?: string) {
  const tickets = fixtureName ? ticketsOf(fixtureName) : undefined;
  const server = { signatureLength: 71, ...flight, ...(tickets ? { tickets } : {}) };
  const wire: SClientWire = { kind: 'tls', server, verify: await verifyServerChain(verifier, server.chain, roots, AT) };
  return normal(formatSClient(r, wire, { tid: TID, clientSignatureLength }));
}

describe('openssl s_client output (OpenSSL 3.0.19 transcripts)', () => {
  it('success with -CAfile, and without (errors 20 and 21 on a lone leaf)', async () => {
    expect(await run(req(), { chain: [server], signatureLength: 72 }, [west])).toEqual(normal(fixture('ok-ca')));
    expect(await run(req(), { chain: [server], signatureLength: 70 }, [], 71, 'ok-noca')).toEqual(normal(fixture('ok-noca')));
    expect(await run(req(), { chain: [server], signatureLength: 71 }, [east])).toEqual(normal(fixture('verr-cont')));
  });

  it('-verify_return_error stops at the first error; -brief prints the summary on stderr', async () => {
    expect(await run(req({ verifyReturnError: true }), { chain: [server] }, [east])).toEqual(normal(fixture('verr')));
    expect(await run(req({ verifyReturnError: true, brief: true }), { chain: [server] }, [east])).toEqual(normal(fixture('verr-brief')));
    expect(await run(req({ brief: true }), { chain: [server] }, [west])).toEqual(normal(fixture('brief')));
    expect(await run(req({ brief: true }), { chain: [server] }, [])).toEqual(normal(fixture('brief-noca')));
  });

  it('a self-signed root in the presented chain, no SNI, -showcerts', async () => {
    expect(await run(req({ servername: undefined }), { chain: [server, west], signatureLength: 70 }, [], 71, 'selfsigned')).toEqual(normal(fixture('selfsigned')));
    expect(await run(req({ showcerts: true }), { chain: [server, west], signatureLength: 71 }, [west], 71, 'showcerts')).toEqual(normal(fixture('showcerts')));
  });

  it('a server asking for a client certificate: none given (alert 116), CA names, one rejected, one accepted', async () => {
    expect(await run(req(), { chain: [server], signatureLength: 72, certificateRequest: { caNames: [], sigalgs: OPENSSL_SERVER }, alert: 116 }, [west])).toEqual(normal(fixture('certreq')));
    expect(await run(req(), { chain: [server, west], signatureLength: 70, certificateRequest: { caNames: [west.subject], sigalgs: BORING }, alert: 116 }, [west])).toEqual(normal(fixture('certreq-canames')));
    expect(await run(req({ clientChain: [stranger] }), { chain: [server], signatureLength: 70, certificateRequest: { caNames: [], sigalgs: BORING }, alert: 48 }, [west], 70)).toEqual(normal(fixture('certrej')));
    expect(await run(req({ clientChain: [client, west] }), { chain: [server], signatureLength: 72, certificateRequest: { caNames: [], sigalgs: BORING } }, [west], 72, 'mtls')).toEqual(normal(fixture('mtls')));
  });

  it('ALPN and -quiet', async () => {
    expect(await run(req({ alpn: ['istio', 'h2'] }), { chain: [server], alpn: 'h2', signatureLength: 70 }, [west])).toEqual(normal(fixture('alpn')));
    expect(await run(req({ quiet: true }), { chain: [server] }, [west])).toEqual(normal(fixture('quiet')));
  });

  it('connections that never reach a ServerHello', () => {
    const o = { tid: TID, clientSignatureLength: 71 };
    expect(normal(formatSClient(req({ servername: 'outbound_.9999_._.nope.default.svc.cluster.local' }), { kind: 'closed', how: 'reset' }, o))).toEqual(normal(fixture('rst')));
    expect(normal(formatSClient(req({ servername: undefined, brief: true }), { kind: 'closed', how: 'reset' }, o))).toEqual(normal(fixture('rstb')));
    expect(normal(formatSClient(req(), { kind: 'closed', how: 'eof' }, o))).toEqual(normal(fixture('fin-before-hello')));
    expect(normal(formatSClient(req(), { kind: 'refused' }, o))).toEqual(normal(fixture('refused')));
    expect(normal(formatSClient(req(), { kind: 'unresolved' }, o))).toEqual(normal(fixture('nxdomain')));
  });
});
