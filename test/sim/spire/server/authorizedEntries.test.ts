import { describe, expect, it } from 'vitest';
import type { RegistrationEntry } from '../../../../sim/spire/api.ts';
import { AuthorizedEntriesMemo } from '../../../../sim/spire/server/authorizedEntries.ts';

const entry = (id: string): RegistrationEntry => ({ id, spiffeId: `spiffe://td/${id}`, parentId: 'spiffe://td/agent', selectors: [], x509SvidTtl: 0, jwtSvidTtl: 0, federatesWith: [], dnsNames: [], hint: '', admin: false, downstream: false, storeSvid: false, revisionNumber: 0, createdAt: 0 }) as RegistrationEntry;

describe('AuthorizedEntriesMemo', () => {
  it('reuses an agent’s crawl while the stored entries are the same objects and its node record is the same', () => {
    const memo = new AuthorizedEntriesMemo();
    const a = entry('a');
    const b = entry('b');
    const node = { selectors: [] };
    let crawls = 0;
    const crawl = (all: readonly RegistrationEntry[]) => () => (crawls++, [...all]);
    const first = memo.get('agent-1', node, [a, b], crawl([a, b]));
    expect(memo.get('agent-1', node, [a, b], crawl([a, b]))).toBe(first); // a fresh list of the same rows
    expect(crawls).toBe(1);
    memo.get('agent-2', node, [a, b], crawl([a, b])); // another agent: its own crawl
    expect(crawls).toBe(2);
    const b2 = { ...b, revisionNumber: 1 }; // the datastore replaces a row on update
    expect(memo.get('agent-1', node, [a, b2], crawl([a, b2]))).toEqual([a, b2]);
    expect(crawls).toBe(3);
    memo.get('agent-1', node, [a], crawl([a])); // a deleted row
    memo.get('agent-1', { selectors: [] }, [a], crawl([a])); // re-attested: a new node record
    expect(crawls).toBe(5);
  });
});
