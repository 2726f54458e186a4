import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodePem, exportPkcs8, type IssuedCertificate } from '../../../sim/pki/index.ts';
import { SpiffeBundle, X509Bundle, formatBundleShowSpiffe, trustDomainFromString } from '../../../sim/spiffe/index.ts';
import { fedlab } from '../../helpers/cli.ts';
import { crypto, HOUR_MS, T0, testCa, testSvid } from '../../helpers/pki.ts';
import { repoRoot, sharedPath } from '../../helpers/shared.ts';

const AT = '2026-11-22T12:30:00Z';
let dir: string;
let west: IssuedCertificate;
let east: IssuedCertificate;

const write = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return name;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fedlab-verify-'));
  west = await testCa('west.demo');
  east = await testCa('east.demo', 'rsa-2048');
  const svid = await testSvid(west, 'spiffe://west.demo/ns/default/sa/web');
  write('svid.pem', encodePem('CERTIFICATE', svid.cert.der));
  write('svid_key.pem', encodePem('PRIVATE KEY', await exportPkcs8(crypto, svid.key)));
  write('west-bundle.pem', encodePem('CERTIFICATE', west.cert.der));
  write('east-bundle.pem', encodePem('CERTIFICATE', east.cert.der));
  const td = trustDomainFromString('west.demo');
  if (!td.ok) throw new Error(td.error.message);
  const json = formatBundleShowSpiffe(SpiffeBundle.fromX509Bundle(X509Bundle.of(td.value, [west.cert])));
  if (!json.ok) throw new Error(json.error.message);
  write('west-bundle.json', json.value);
});

const run = (...args: string[]) => fedlab(['verify-svid', ...args], { cwd: dir });

describe('fedlab verify-svid', () => {
  it('exit 0 for a valid SVID, printing its ID and chain (PEM or SPIFFE bundle)', async () => {
    for (const bundle of ['west.demo=west-bundle.pem', 'west.demo=west-bundle.json']) {
      const r = await run('--cert', 'svid.pem', '--key', 'svid_key.pem', '--bundle', bundle, '--bundle', 'east.demo=east-bundle.pem', '--at', AT);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^valid: spiffe:\/\/west\.demo\/ns\/default\/sa\/web\nverified at 2026-11-22T12:30:00Z\nchain:\n {2}\[0\] leaf: C = US, O = SPIRE spiffe:\/\/west\.demo\/ns\/default\/sa\/web\n/);
      expect(r.stdout).toContain('[1] root (bundle of west.demo): C = US, O = SPIFFE, serialNumber = ');
    }
  });

  it('--json prints { valid, spiffeId, code, reason }', async () => {
    const r = await run('--cert', 'svid.pem', '--bundle', 'west.demo=west-bundle.pem', '--at', AT, '--json');
    expect(JSON.parse(r.stdout)).toEqual({ valid: true, spiffeId: 'spiffe://west.demo/ns/default/sa/web', code: null, reason: null });
  });

  it('exit 1 with go-spiffe\'s reason when no bundle is given for the leaf\'s trust domain', async () => {
    const r = await run('--cert', 'svid.pem', '--bundle', 'east.demo=east-bundle.pem', '--at', AT, '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      valid: false,
      spiffeId: 'spiffe://west.demo/ns/default/sa/web',
      code: 'spiffe/no-bundle-for-trust-domain',
      reason: 'x509svid: could not get X509 bundle: x509bundle: no X.509 bundle for trust domain "west.demo"',
    });
  });

  it('exit 1 for the wrong CA, an expired SVID and an unexpected ID', async () => {
    const wrong = await run('--cert', 'svid.pem', '--bundle', 'west.demo=east-bundle.pem', '--at', AT, '--json');
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout).reason).toBe('x509svid: could not verify leaf certificate: x509: certificate signed by unknown authority');
    const expired = await run('--cert', 'svid.pem', '--bundle', 'west.demo=west-bundle.pem', '--at', '2026-11-22T14:00:00Z');
    expect(expired.code).toBe(1);
    expect(expired.stdout).toBe(
      'invalid: spiffe://west.demo/ns/default/sa/web\nreason: x509svid: could not verify leaf certificate: x509: certificate has expired or is not yet valid: current time 2026-11-22T14:00:00Z is after 2026-11-22T13:00:00Z\n',
    );
    const other = await run('--cert', 'svid.pem', '--bundle', 'west.demo=west-bundle.pem', '--at', AT, '--id', 'spiffe://west.demo/ns/default/sa/api', '--json');
    expect(other.code).toBe(1);
    expect(JSON.parse(other.stdout)).toMatchObject({ code: 'spiffe/unexpected-id', reason: 'unexpected ID "spiffe://west.demo/ns/default/sa/web"' });
  });

  it('exit 1 when --key does not belong to the certificate', async () => {
    const otherSvid = await testSvid(west, 'spiffe://west.demo/other', { now: T0, ttl: HOUR_MS });
    write('other_key.pem', encodePem('PRIVATE KEY', await exportPkcs8(crypto, otherSvid.key)));
    const r = await run('--cert', 'svid.pem', '--key', 'other_key.pem', '--bundle', 'west.demo=west-bundle.pem', '--at', AT, '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).reason).toBe('x509svid: private key validation failed: leaf certificate does not match private key');
  });

  it('checks go-spiffe\'s conformance SVIDs through the command', async () => {
    const fixture = (name: string) => sharedPath('conformance', 'go-spiffe', 'x509svid', name);
    // the fixtures live in March 2020 – 2025; their CA is the second certificate of the good chain
    const good = await fedlab(['verify-svid', '--cert', fixture('good-leaf-and-intermediate.pem'), '--key', fixture('key-pkcs8-ecdsa.pem'), '--at', '2020-03-31T16:00:00Z', '--json'], { cwd: dir });
    expect(JSON.parse(good.stdout)).toMatchObject({ valid: false, spiffeId: 'spiffe://example.org/workload-1', code: 'spiffe/no-bundle-for-trust-domain' });
    const caTrue = await fedlab(['verify-svid', '--cert', fixture('wrong-leaf-ca-true.pem'), '--key', fixture('key-pkcs8-rsa.pem'), '--json'], { cwd: dir });
    expect(JSON.parse(caTrue.stdout)).toMatchObject({ valid: false, reason: 'x509svid: certificate validation failed: leaf certificate must not have CA flag set to true' });
    const noUri = await fedlab(['verify-svid', '--cert', fixture('wrong-leaf-empty-id.pem'), '--json'], { cwd: dir });
    expect(JSON.parse(noUri.stdout)).toMatchObject({ valid: false, reason: 'x509svid: could not get leaf SPIFFE ID: certificate contains no URI SAN' });
  });

  it('exit 2 with a clear message for usage errors and unreadable input, never a stack trace', async () => {
    const cases: [string[], RegExp][] = [
      [[], /--cert FILE is required/],
      [['--cert', 'missing.pem'], /cannot read --cert missing\.pem: no such file/],
      [['--cert', 'svid.pem', '--bundle', 'west-bundle.pem'], /expected TD=FILE/],
      [['--cert', 'svid.pem', '--bundle', 'West.Demo=west-bundle.pem'], /trust domain characters are limited/],
      [['--cert', 'svid.pem', '--at', 'yesterday'], /not an ISO 8601 time/],
      [['--cert', 'svid.pem', '--frobnicate'], /unknown flag --frobnicate/],
      [['--cert', write('notpem.pem', 'not-pem\n')], /x509svid: cannot parse PEM encoded certificate: no PEM blocks found/],
      [['--cert', 'svid.pem', '--bundle', `west.demo=${write('bad.json', '{"keys": [')}`], /--bundle bad\.json: spiffebundle: unable to parse JWKS/],
    ];
    for (const [args, message] of cases) {
      const r = await run(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain('usage: fedlab verify-svid');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('works as an installed command (npx fedlab)', () => {
    const out = execFileSync(process.execPath, [join(repoRoot, 'bin/fedlab.mjs'), 'verify-svid', '--cert', 'svid.pem', '--bundle', 'west.demo=west-bundle.pem', '--at', AT, '--json'], { cwd: dir, encoding: 'utf8' });
    expect(JSON.parse(out)).toMatchObject({ valid: true });
    let failure: { status: number; stderr: string } | undefined;
    try {
      execFileSync(process.execPath, [join(repoRoot, 'bin/fedlab.mjs'), 'verify-svid', '--cert', 'nope.pem'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      failure = e as { status: number; stderr: string };
    }
    expect(failure?.status).toBe(2);
    expect(failure?.stderr).toBe('fedlab verify-svid: cannot read --cert nope.pem: no such file\nusage: fedlab verify-svid --cert FILE [--key FILE] [--bundle TD=FILE]... [--at ISO8601] [--id SPIFFE_ID] [--json]\n');
  });
});
