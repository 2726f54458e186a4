import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../sim/core/rng.ts';
import { generateKeyPair } from '../../../../sim/pki/index.ts';
import { SpiffeBundle } from '../../../../sim/spiffe/index.ts';
import type { EntryInput } from '../../../../sim/spire/api.ts';
import { uuidV4 } from '../../../../sim/spire/server/datastore.ts';
import { crypto, ENTRY_DEFAULTS, Lab, serverConf } from './helpers.ts';

const entry = (over: Partial<EntryInput> = {}): EntryInput => ({
  spiffeId: 'spiffe://west.local/ns/default/sa/client',
  parentId: 'spiffe://west.local/spire/agent/k8s_psat/west/node-uid-1',
  selectors: [{ type: 'k8s', value: 'ns:default' }],
  ...ENTRY_DEFAULTS,
  ...over,
});

async function started() {
  const lab = new Lab();
  const west = lab.server('west.local', serverConf('west.local'));
  const east = lab.server('east.local', serverConf('east.local'));
  await west.start();
  await east.start();
  return { lab, west, east };
}

describe('entries and bundles in the datastore', () => {
  it('entry IDs are UUID v4 from the seeded rng; revisions count updates', async () => {
    expect(uuidV4(new Rng(1))).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidV4(new Rng(1))).toBe(uuidV4(new Rng(1)));
    const { west, lab } = await started();
    const [r] = west.batchCreateEntry([entry()]);
    expect(r!.ok && r!.value.revisionNumber).toBe(0);
    const id = r!.ok ? r!.value.id : '';
    const [u] = west.batchUpdateEntry([{ ...entry({ x509SvidTtl: 600 }), id }]);
    expect(u!.ok && u!.value.revisionNumber).toBe(1);
    expect(lab.events.ofType('spire.entry.created').map((e) => e.data.id)).toEqual([id]);
  });

  it('refuses what the Entry API refuses, with its messages', async () => {
    const { west } = await started();
    const msg = (e: EntryInput) => {
      const [r] = west.batchCreateEntry([e]);
      return r!.ok ? 'ok' : `${r!.error.code}: ${r!.error.message}`;
    };
    expect(msg(entry({ federatesWith: ['east.local'] }))).toBe('spire/internal: failed to create entry: unable to find federated bundle "spiffe://east.local"');
    expect(msg(entry({ spiffeId: 'spiffe://west.local/spire/agent/x' }))).toBe(
      'spire/invalid-argument: failed to convert entry: invalid spiffe ID: "spiffe://west.local/spire/agent/x" is not a workload in trust domain "west.local"; path is in the reserved namespace',
    );
    expect(msg(entry({ spiffeId: 'spiffe://east.local/ns/a' }))).toBe(
      'spire/invalid-argument: failed to convert entry: invalid spiffe ID: "spiffe://east.local/ns/a" is not a member of trust domain "west.local"',
    );
    expect(msg(entry({ parentId: 'spiffe://west.local' }))).toBe(
      'spire/invalid-argument: failed to convert entry: invalid parent ID: "spiffe://west.local" is not a member of trust domain "west.local"; path is empty',
    );
    expect(msg(entry({ selectors: [] }))).toBe('spire/invalid-argument: failed to convert entry: selector list is empty');
    expect(msg(entry({ federatesWith: ['https://east.local'] }))).toBe('spire/invalid-argument: failed to convert entry: invalid federated trust domain: scheme is missing or invalid');
    expect(msg(entry())).toBe('ok');
    const [dup] = west.batchCreateEntry([entry({ selectors: [{ type: 'k8s', value: 'ns:default' }] })]);
    expect(!dup!.ok && dup!.error.code).toBe('spire/already-exists');
    expect(!dup!.ok && dup!.error.message).toBe('similar entry already exists');
    expect(!dup!.ok && (dup!.error.detail?.entry as { spiffeId: string }).spiffeId).toBe('spiffe://west.local/ns/default/sa/client');
  });

  it('bundle set: own trust domain refused; once set, federating entries work; restrict/dissociate deletion', async () => {
    const { west, east } = await started();
    const own = west.batchSetFederatedBundle([west.getBundle()])[0]!;
    expect(!own.ok && own.error).toEqual({ code: 'spire/invalid-argument', message: "setting a federated bundle for the server's own trust domain is not allowed" });
    expect(west.batchSetFederatedBundle([SpiffeBundle.of(east.config.trustDomain, { x509Authorities: east.getBundle().x509Authorities })])[0]!.ok).toBe(true);
    const [e] = west.batchCreateEntry([entry({ federatesWith: ['spiffe://east.local'] })]);
    expect(e!.ok && e!.value.federatesWith).toEqual(['east.local']);
    const del = west.batchDeleteFederatedBundle(['east.local'])[0]!;
    expect(!del.ok && del.error).toEqual({ code: 'spire/failed-precondition', message: 'failed to delete federated bundle: datastore-sql: cannot delete bundle; federated with 1 registration entries' });
    expect(west.batchDeleteFederatedBundle(['east.local'], 'dissociate')[0]!.ok).toBe(true);
    expect(west.listEntries()[0]!.federatesWith).toEqual([]);
    const gone = west.batchDeleteFederatedBundle(['east.local'])[0]!;
    expect(!gone.ok && gone.error.message).toBe('bundle not found');
    const mine = west.batchDeleteFederatedBundle(['west.local'])[0]!;
    expect(!mine.ok && mine.error.message).toBe('removing the bundle for the server trust domain is not allowed');
  });

  it('agent attestation and sync: entries parented to the agent (and node aliases), own bundle and the federated bundles they name', async () => {
    const { west, east } = await started();
    const key = await generateKeyPair(crypto, 'ec-p256');
    const att = await west.attestAgent({ cluster: 'west', nodeName: 'node-1', nodeUid: 'node-uid-1', key });
    expect(att.ok && att.value.agentId).toBe('spiffe://west.local/spire/agent/k8s_psat/west/node-uid-1');
    const bad = await west.attestAgent({ cluster: 'east', nodeName: 'n', nodeUid: 'u', key });
    expect(bad.ok).toBe(false);
    west.batchSetFederatedBundle([SpiffeBundle.of(east.config.trustDomain, { x509Authorities: east.getBundle().x509Authorities })]);
    west.batchCreateEntry([
      entry({ federatesWith: ['east.local'] }),
      entry({ spiffeId: 'spiffe://west.local/other-node', parentId: 'spiffe://west.local/spire/agent/k8s_psat/west/node-uid-2' }),
      entry({ spiffeId: 'spiffe://west.local/node-alias', parentId: 'spiffe://west.local/spire/server', selectors: [{ type: 'k8s_psat', value: 'cluster:west' }] }),
      entry({ spiffeId: 'spiffe://west.local/via-alias', parentId: 'spiffe://west.local/node-alias' }),
    ]);
    const sync = west.syncAuthorizedEntries('spiffe://west.local/spire/agent/k8s_psat/west/node-uid-1');
    expect(sync.ok && sync.value.entries.map((e) => e.spiffeId).sort()).toEqual(['spiffe://west.local/ns/default/sa/client', 'spiffe://west.local/via-alias']);
    expect(sync.ok && sync.value.bundles.map((b) => b.trustDomain.name)).toEqual(['west.local', 'east.local']);
    // The next sync (every 5 s) gets the same answer while nothing it reads changed; a deleted entry or a
    // new federated bundle shows in the sync after it.
    const agentId = 'spiffe://west.local/spire/agent/k8s_psat/west/node-uid-1';
    expect(west.syncAuthorizedEntries(agentId)).toBe(sync);
    const client = sync.ok ? sync.value.entries.find((e) => e.spiffeId === 'spiffe://west.local/ns/default/sa/client')! : undefined;
    west.batchDeleteEntry([client!.id]);
    const after = west.syncAuthorizedEntries(agentId);
    expect(after.ok && after.value.entries.map((e) => e.spiffeId)).toEqual(['spiffe://west.local/via-alias']);
    expect(after.ok && after.value.bundles.map((b) => b.trustDomain.name)).toEqual(['west.local']);
    west.batchCreateEntry([entry({ spiffeId: 'spiffe://west.local/again', federatesWith: ['east.local'] })]);
    const again = west.syncAuthorizedEntries(agentId);
    expect(again.ok && again.value.bundles.map((b) => b.trustDomain.name)).toEqual(['west.local', 'east.local']);
  });

  it('a stopped server answers unavailable', async () => {
    const { west, lab } = await started();
    lab.faults.stop('west/spire-server');
    expect(west.isServing()).toBe(false);
    const [r] = west.batchCreateEntry([entry()]);
    expect(!r!.ok && r!.error.code).toBe('spire/unavailable');
  });
});
