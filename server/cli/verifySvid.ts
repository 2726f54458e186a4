/**
 * `fedlab verify-svid` — verifies an X509-SVID as a SPIFFE peer would (go-spiffe `x509svid.Verify`:
 * the leaf's trust domain picks the bundle, then the chain is validated at the given time), and with
 * `--key` also as go-spiffe `x509svid.Parse` does (SVID rules and key match).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatNameOpenssl, parseCertificate, SignatureVerifier, type Certificate } from '../../sim/pki/index.ts';
import {
  authorizeId,
  parseSpiffeBundle,
  parseSpiffeId,
  parseX509Bundle,
  parseX509Svid,
  trustDomainFromString,
  verifyX509Svid,
  X509BundleSet,
  type X509Bundle,
} from '../../sim/spiffe/index.ts';
import { decodePem } from '../../sim/pki/index.ts';
import { parseArgs } from './args.ts';
import { EXIT, UsageError, type CliIo } from './io.ts';

const USAGE = 'fedlab verify-svid --cert FILE [--key FILE] [--bundle TD=FILE]... [--at ISO8601] [--id SPIFFE_ID] [--json]';

interface Verdict {
  readonly valid: boolean;
  readonly spiffeId: string | null;
  readonly code: string | null;
  readonly reason: string | null;
}

function readInput(io: CliIo, flag: string, file: string): string {
  try {
    return readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${flag} ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : ((e as Error).message ?? code)}`);
  }
}

function loadBundle(io: CliIo, spec: string): X509Bundle {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new UsageError(`--bundle ${spec}: expected TD=FILE, e.g. --bundle west.demo=west-bundle.json`);
  const tdText = spec.slice(0, eq);
  const file = spec.slice(eq + 1);
  const td = trustDomainFromString(tdText);
  if (!td.ok) throw new UsageError(`--bundle ${spec}: trust domain ${JSON.stringify(tdText)}: ${td.error.message}`);
  const text = readInput(io, '--bundle', file);
  // A SPIFFE bundle is a JSON document; anything else is read as PEM certificates.
  if (text.trimStart().startsWith('{')) {
    const b = parseSpiffeBundle(td.value, text);
    if (!b.ok) throw new UsageError(`--bundle ${file}: ${b.error.message}`);
    return b.value.x509Bundle();
  }
  const b = parseX509Bundle(td.value, text);
  if (!b.ok) throw new UsageError(`--bundle ${file}: ${b.error.message}`);
  return b.value;
}

function parseAt(text: string | undefined): number {
  if (text === undefined) return Date.now();
  // ISO 8601 with a date and, optionally, a time and zone; a bare date or time without zone is UTC.
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) throw new UsageError(`--at ${text}: not an ISO 8601 time such as 2026-11-22T12:00:00Z`);
  const withZone = /[T ]\d{2}:\d{2}/.test(text) && !/(Z|[+-]\d{2}:?\d{2})$/.test(text) ? `${text}Z` : text;
  const ms = Date.parse(withZone);
  if (Number.isNaN(ms)) throw new UsageError(`--at ${text}: not a valid date`);
  return ms;
}

function parseCerts(text: string, file: string): Certificate[] {
  const blocks = decodePem(text);
  if (!blocks.ok) throw new UsageError(`--cert ${file}: x509svid: cannot parse PEM encoded certificate: ${blocks.error.message}`);
  const certs: Certificate[] = [];
  for (const b of blocks.value.filter((blk) => blk.type === 'CERTIFICATE')) {
    const c = parseCertificate(b.der);
    if (!c.ok) throw new UsageError(`--cert ${file}: x509svid: cannot parse PEM encoded certificate: ${c.error.message}`);
    certs.push(c.value);
  }
  if (certs.length === 0) throw new UsageError(`--cert ${file}: x509svid: certificate validation failed: no certificates found`);
  return certs;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function describeChain(chain: readonly Certificate[], bundleTd: string): string {
  return chain
    .map((c, i) => {
      const role = i === 0 ? 'leaf' : i === chain.length - 1 ? `root (bundle of ${bundleTd})` : 'intermediate';
      const ids = c.uris.length ? ` ${c.uris.join(' ')}` : '';
      return `  [${i}] ${role}: ${formatNameOpenssl(c.subject)}${ids}\n      serial ${c.serial.toString(16)}, valid ${iso(c.notBefore)} to ${iso(c.notAfter)}`;
    })
    .join('\n');
}

export const verifySvidCommand = {
  summary: 'verify an X509-SVID against trust bundles at a chosen time',
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(argv, {
      cert: { type: 'string' },
      key: { type: 'string' },
      bundle: { type: 'string', repeat: true },
      at: { type: 'string' },
      id: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    const certFile = flags.cert as string | undefined;
    if (!certFile) throw new UsageError('--cert FILE is required');
    const at = parseAt(flags.at as string | undefined);
    const wantId = flags.id as string | undefined;
    const expected = wantId === undefined ? undefined : parseSpiffeId(wantId);
    if (expected && !expected.ok) throw new UsageError(`--id ${wantId}: ${expected.error.message}`);
    const certText = readInput(io, '--cert', certFile);
    const keyText = flags.key ? readInput(io, '--key', flags.key as string) : undefined;
    const bundles = ((flags.bundle as string[] | undefined) ?? []).map((b) => loadBundle(io, b));
    const chain = parseCerts(certText, certFile);
    const crypto = globalThis.crypto;

    const verdict = await (async (): Promise<Verdict & { chain?: readonly Certificate[]; td?: string }> => {
      if (keyText !== undefined) {
        const parsed = await parseX509Svid(crypto, certText, keyText);
        if (!parsed.ok) return { valid: false, spiffeId: null, code: parsed.error.code, reason: parsed.error.message };
      }
      const verified = await verifyX509Svid(new SignatureVerifier(crypto), chain, X509BundleSet.of(...bundles), at);
      if (!verified.ok) {
        const id = verified.error.detail?.id;
        return { valid: false, spiffeId: typeof id === 'string' ? id : null, code: verified.error.code, reason: verified.error.message };
      }
      const id = verified.value.id;
      if (expected?.ok) {
        const allowed = authorizeId(expected.value)(id, verified.value.chains);
        if (!allowed.ok) return { valid: false, spiffeId: id.toString(), code: allowed.error.code, reason: allowed.error.message };
      }
      return { valid: true, spiffeId: id.toString(), code: null, reason: null, chain: verified.value.chains[0]!, td: id.trustDomain.name };
    })();

    if (flags.json) {
      const { valid, spiffeId, code, reason } = verdict;
      io.stdout.write(`${JSON.stringify({ valid, spiffeId, code, reason })}\n`);
    } else if (verdict.valid) {
      io.stdout.write(`valid: ${verdict.spiffeId}\nverified at ${iso(at)}\nchain:\n${describeChain(verdict.chain!, verdict.td!)}\n`);
    } else {
      io.stdout.write(`invalid${verdict.spiffeId ? `: ${verdict.spiffeId}` : ''}\nreason: ${verdict.reason}\n`);
    }
    return verdict.valid ? EXIT.OK : EXIT.FAILED;
  },
};
