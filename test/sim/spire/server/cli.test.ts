import { describe, expect, it } from 'vitest';
import { encodePem, toBase64 } from '../../../../sim/pki/index.ts';
import { formatBundleShowSpiffe, SpiffeBundle } from '../../../../sim/spiffe/index.ts';
import type { EntryInput } from '../../../../sim/spire/api.ts';
import { makeSpireServerCli, type SpireCliIo } from '../../../../sim/spire/server/cli.ts';
import { ENTRY_DEFAULTS, Lab, serverConf } from './helpers.ts';

const files: Record<string, string> = {};
const io = (stdin = ''): SpireCliIo => ({ stdin, cwd: '/root', fs: { read: (p) => files[p] } });

async function setup() {
  const lab = new Lab();
  const west = lab.server('west.local', serverConf('west.local'));
  const east = lab.server('east.local', serverConf('east.local'));
  await west.start();
  await east.start();
  const cli = makeSpireServerCli(west);
  const run = async (line: string, stdin = '') => cli(line.split(' ').filter(Boolean), io(stdin));
  return { lab, west, east, run };
}

const base: Omit<EntryInput, 'spiffeId' | 'selectors'> = {
  parentId: 'spiffe://west.local/spire/agent/k8s_psat/west/node-uid-1',
  ...ENTRY_DEFAULTS,
};

describe('spire-server CLI', () => {
  it('bundle show: PEM (default) and the 4-space SPIFFE document; json', async () => {
    const { west, run } = await setup();
    const pem = west.getBundle().x509Authorities.map((c) => encodePem('CERTIFICATE', c.der)).join('');
    expect(await run('bundle show')).toEqual({ stdout: pem, stderr: '', exitCode: 0 });
    expect((await run('spire-server bundle show -format pem -socketPath /tmp/spire-server/private/api.sock')).stdout).toBe(pem);
    const spiffe = (await run('bundle show -format spiffe')).stdout;
    expect(spiffe).toBe(formatBundleShowSpiffe(west.getBundle()).ok ? (formatBundleShowSpiffe(west.getBundle()) as { value: string }).value : '');
    expect(spiffe.startsWith('{\n    "keys": [\n        {\n            "use": "x509-svid",\n            "kty": "EC",\n            "crv": "P-256",')).toBe(true);
    expect(spiffe.endsWith('\n    ],\n    "spiffe_sequence": 1\n}\n')).toBe(true); // local hint 0 → no spiffe_refresh_hint
    const json = (await run('bundle show -output json')).stdout;
    const b = west.getBundle();
    const kid = [...b.jwtAuthorities.keys()][0]!;
    const rec = west.bundleRecord('west.local')!;
    expect(json).toBe(
      `{"jwt_authorities":[{"expires_at":"${Math.floor(rec.jwtSigningKeys[0]!.notAfter / 1000)}","key_id":"${kid}","public_key":"${toBase64(rec.jwtSigningKeys[0]!.spki!)}","tainted":false}],` +
        `"refresh_hint":"0","sequence_number":"1","trust_domain":"west.local","wit_authorities":[],"x509_authorities":[{"asn1":"${toBase64(b.x509Authorities[0]!.der)}","tainted":false}]}\n`,
    );
    expect(await run('bundle show -format xyz')).toEqual({ stdout: '', stderr: 'Error: invalid format: "xyz"\n', exitCode: 1 });
  });

  it('bundle set / list: headers of 40 stars, bare names, one empty line between bundles', async () => {
    const { west, east, run, lab } = await setup();
    const eastPem = east.getBundle().x509Authorities.map((c) => encodePem('CERTIFICATE', c.der)).join('');
    files['/root/east.pem'] = eastPem;
    expect(await run('bundle set -id spiffe://east.local -path east.pem')).toEqual({ stdout: 'bundle set.\n', stderr: '', exitCode: 0 });
    const third = lab.server('north.local', serverConf('north.local'));
    await third.start();
    const northPem = third.getBundle().x509Authorities.map((c) => encodePem('CERTIFICATE', c.der)).join('');
    expect((await run('bundle set -id north.local', northPem)).stdout).toBe('bundle set.\n');
    const stars = '*'.repeat(40);
    expect((await run('bundle list')).stdout).toBe(`${stars}\n* east.local\n${stars}\n${eastPem}\n${stars}\n* north.local\n${stars}\n${northPem}`);
    expect((await run('bundle list -id spiffe://east.local')).stdout).toBe(eastPem);
    expect((await run('bundle list -id east.local -format spiffe')).stdout).toBe(
      `{\n    "keys": [\n        {\n            "use": "x509-svid",\n            "kty": "EC",\n            "crv": "P-256",\n            "x": "${(await jwkOf(east.getBundle())).x}",\n            "y": "${(await jwkOf(east.getBundle())).y}",\n            "x5c": [\n                "${toBase64(east.getBundle().x509Authorities[0]!.der)}"\n            ]\n        }\n    ]\n}\n`,
    );
    expect(await run('bundle list -id nowhere.local')).toEqual({ stdout: '', stderr: 'Error: rpc error: code = NotFound desc = bundle not found\n', exitCode: 1 });
    expect(await run('bundle set -id spiffe://west.local -path east.pem')).toEqual({
      stdout: '',
      stderr: "Error: failed to set federated bundle: setting a federated bundle for the server's own trust domain is not allowed\n",
      exitCode: 1,
    });
    expect((await run('bundle set -path east.pem')).stderr).toBe('Error: id flag is required\n');
    expect((await run('bundle set -id east.local -path missing.pem')).stderr).toBe('Error: unable to load bundle data: open missing.pem: no such file or directory\n');
    expect(west.getFederatedBundle('east.local').ok).toBe(true);
  });

  it('entry show: Found N entries, 24-column labels, sorted; json compact with sorted keys', async () => {
    const { west, east, run } = await setup();
    west.batchSetFederatedBundle([SpiffeBundle.of(east.config.trustDomain, { x509Authorities: east.getBundle().x509Authorities })]);
    west.batchCreateEntry([
      { ...base, id: '00000000-0000-0000-0000-000000000002', spiffeId: 'spiffe://west.local/daughter', selectors: [{ type: 'k8s', value: 'sa:b' }, { type: 'k8s', value: 'ns:a' }], federatesWith: ['east.local'] },
      { ...base, id: '00000000-0000-0000-0000-000000000001', spiffeId: 'spiffe://west.local/son', selectors: [{ type: 'unix', value: 'uid:1' }], x509SvidTtl: 600, dnsNames: ['son.local'], admin: true, hint: 'h' },
    ]);
    expect((await run('entry show')).stdout).toBe(
      `Found 2 entries
Entry ID                : 00000000-0000-0000-0000-000000000002
SPIFFE ID               : spiffe://west.local/daughter
Parent ID               : spiffe://west.local/spire/agent/k8s_psat/west/node-uid-1
Revision                : 0
X509-SVID TTL           : default
JWT-SVID TTL            : default
Selector                : k8s:ns:a
Selector                : k8s:sa:b
FederatesWith           : east.local

Entry ID                : 00000000-0000-0000-0000-000000000001
SPIFFE ID               : spiffe://west.local/son
Parent ID               : spiffe://west.local/spire/agent/k8s_psat/west/node-uid-1
Revision                : 0
X509-SVID TTL           : 600
JWT-SVID TTL            : default
Selector                : unix:uid:1
DNS name                : son.local
Admin                   : true
Hint                    : h

`,
    );
    expect((await run('entry show -spiffeID spiffe://west.local/son')).stdout.split('\n')[0]).toBe('Found 1 entry');
    expect((await run('entry show -selector k8s:ns:a')).stdout.split('\n')[0]).toBe('Found 1 entry');
    expect((await run('entry show -spiffeID spiffe://west.local/none')).stdout).toBe('Found 0 entries\n');
    const created = west.getEntry('00000000-0000-0000-0000-000000000002');
    const at = created.ok ? created.value.createdAt : 0;
    expect((await run('entry show -entryID 00000000-0000-0000-0000-000000000002 -output json')).stdout).toBe(
      `{"entries":[{"admin":false,"created_at":"${at}","dns_names":[],"downstream":false,"expires_at":"0","federates_with":["east.local"],"hint":"","id":"00000000-0000-0000-0000-000000000002","jwt_svid_ttl":0,"parent_id":{"path":"/spire/agent/k8s_psat/west/node-uid-1","trust_domain":"west.local"},"revision_number":"0","selectors":[{"type":"k8s","value":"ns:a"},{"type":"k8s","value":"sa:b"}],"spiffe_id":{"path":"/daughter","trust_domain":"west.local"},"store_svid":false,"x509_svid_ttl":0}],"next_page_token":""}\n`,
    );
    expect((await run('entry show -entryID x -spiffeID spiffe://west.local/son')).stderr).toBe("Error: the -entryID flag can't be combined with others\n");
    expect((await run('entry show -parentID x')).stderr).toBe('Error: error parsing parent ID "x": scheme is missing or invalid\n');
    expect((await run('entry show -entryID nope')).stderr).toBe('Error: error fetching entry ID nope: rpc error: code = NotFound desc = entry not found\n');
  });

  it('entry create: prints the entry; duplicates and missing federated bundles fail as upstream', async () => {
    const { run } = await setup();
    const ok = await run('entry create -spiffeID spiffe://west.local/web -parentID spiffe://west.local/spire/agent/k8s_psat/west/n1 -selector k8s:ns:web -entryID e-1');
    expect(ok.stdout).toBe(
      'Entry ID                : e-1\nSPIFFE ID               : spiffe://west.local/web\nParent ID               : spiffe://west.local/spire/agent/k8s_psat/west/n1\nRevision                : 0\nX509-SVID TTL           : default\nJWT-SVID TTL            : default\nSelector                : k8s:ns:web\n\n',
    );
    const dup = await run('entry create -spiffeID spiffe://west.local/web -parentID spiffe://west.local/spire/agent/k8s_psat/west/n1 -selector k8s:ns:web');
    expect(dup).toEqual({
      stdout: '',
      stderr:
        'Failed to create the following entry (code: AlreadyExists, msg: "similar entry already exists"):\nEntry ID                : (none)\nSPIFFE ID               : spiffe://west.local/web\nParent ID               : spiffe://west.local/spire/agent/k8s_psat/west/n1\nRevision                : 0\nX509-SVID TTL           : default\nJWT-SVID TTL            : default\nSelector                : k8s:ns:web\n\nError: failed to create one or more entries\n',
      exitCode: 1,
    });
    const fed = await run('entry create -spiffeID spiffe://west.local/api -node -selector k8s:ns:api -federatesWith spiffe://east.local');
    expect(fed.stderr).toBe('Error: node entries can not federate\n');
    const noBundle = await run('entry create -spiffeID spiffe://west.local/api -parentID spiffe://west.local/spire/agent/x -selector k8s:ns:api -federatesWith spiffe://east.local');
    expect(noBundle.stderr.split('\n')[0]).toBe('Failed to create the following entry (code: Internal, msg: "failed to create entry: unable to find federated bundle \\"spiffe://east.local\\""):');
    expect(noBundle.stderr).toContain('FederatesWith           : spiffe://east.local\n');
    expect((await run('entry create -spiffeID spiffe://west.local/api -parentID spiffe://west.local/x')).stderr).toBe('Error: at least one selector is required\n');
  });

  it('federation list/show/refresh', async () => {
    const { west, run, east, lab } = await setup();
    west.batchCreateFederationRelationship([
      { trustDomain: 'east.local', bundleEndpointUrl: 'https://spire-server.east.local:8443', profile: { type: 'https_spiffe', endpointSpiffeId: 'spiffe://east.local/spire/server' }, trustDomainBundle: SpiffeBundle.of(east.config.trustDomain, { x509Authorities: east.getBundle().x509Authorities }) },
      { trustDomain: 'partner.example', bundleEndpointUrl: 'https://bundles.partner.example/bundle.json', profile: { type: 'https_web' } },
    ]);
    await lab.settle();
    expect((await run('federation list')).stdout).toBe(
      'Found 2 federation relationships\n\nTrust domain              : east.local\nBundle endpoint URL       : https://spire-server.east.local:8443\nBundle endpoint profile   : https_spiffe\nEndpoint SPIFFE ID        : spiffe://east.local/spire/server\n\nTrust domain              : partner.example\nBundle endpoint URL       : https://bundles.partner.example/bundle.json\nBundle endpoint profile   : https_web\n',
    );
    expect((await run('federation show -trustDomain partner.example')).stdout).toBe(
      'Found a federation relationship with trust domain partner.example:\n\nTrust domain              : partner.example\nBundle endpoint URL       : https://bundles.partner.example/bundle.json\nBundle endpoint profile   : https_web\n',
    );
    expect(await run('federation refresh -id east.local')).toEqual({ stdout: 'Bundle refreshed\n', stderr: '', exitCode: 0 });
    expect((await run('federation refresh -id nowhere.local')).stderr).toBe('Error: there is no federation relationship with trust domain "nowhere.local"\n');
    expect((await run('federation refresh -id partner.example')).stderr).toBe(
      'Error: failed to refresh bundle: rpc error: code = Internal desc = failed to refresh bundle: failed to fetch federated bundle from endpoint: failed to fetch bundle: Get "https://bundles.partner.example/bundle.json": dial tcp bundles.partner.example:443: connect: connection refused\n',
    );
  });

  it('healthcheck, socket path and a stopped server', async () => {
    const { run, lab } = await setup();
    expect(await run('healthcheck')).toEqual({ stdout: 'Server is healthy.\n', stderr: '', exitCode: 0 });
    expect(await run('bundle show -socketPath /run/spire/sockets/api.sock')).toEqual({
      stdout: '',
      stderr: 'Error: rpc error: code = Unavailable desc = connection error: desc = "transport: error while dialing: dial unix /run/spire/sockets/api.sock: connect: no such file or directory"\n',
      exitCode: 1,
    });
    lab.faults.stop('west/spire-server');
    expect(await run('healthcheck')).toEqual({ stdout: '', stderr: 'Error: server is unhealthy: unable to determine health\n', exitCode: 1 });
    expect((await run('healthcheck -verbose')).stderr).toBe(
      'Failed to check health: rpc error: code = Unavailable desc = connection error: desc = "transport: error while dialing: dial unix /tmp/spire-server/private/api.sock: connect: connection refused"\nError: server is unhealthy: unable to determine health\n',
    );
    expect((await run('bundle show -bogus')).stderr).toBe('Error: flag provided but not defined: -bogus\n');
  });
});

async function jwkOf(b: SpiffeBundle): Promise<{ x: string; y: string }> {
  const doc = JSON.parse(formatBundleShowSpiffe(b).ok ? (formatBundleShowSpiffe(b) as { value: string }).value : '{}') as { keys: { x: string; y: string }[] };
  return doc.keys[0]!;
}
