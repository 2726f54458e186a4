// `istioctl remote-clusters` held to seed 004's README table (≤ 1.30) and upstream's own
// TestWriteMulticlusterStatus expectations (istioctl/pkg/proxyconfig/proxyconfig_test.go, 1.31+).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasRevisionColumn, remoteClustersTable } from '../../../../sim/cli/istioctl/remoteClusters.ts';
import { sharedPath } from '../../../helpers/shared.ts';

/** The table under "istioctl … remote-clusters" in seed 004, without the markdown indentation. */
function seedTable(): string {
  const lines = readFileSync(sharedPath('seeds/004_a68737d494b8b9f1.txt'), 'utf8').split('\n');
  const cmd = lines.findIndex((l) => l.includes('remote-clusters'));
  const start = lines.findIndex((l, i) => i > cmd && l.trim() === '```' && lines[i - 1]!.trim() === '```') + 1;
  const end = lines.findIndex((l, i) => i > start && l.trim() === '```');
  return lines.slice(start, end).map((l) => l.replace(/^ {3}/, '')).join('\n') + '\n';
}

describe('istioctl remote-clusters', () => {
  it("reproduces seed 004's table exactly (released format)", () => {
    const rows = [
      { name: 'east', secret: '', status: 'synced', istiod: 'istiod-8887cd9cd-zv2zf' },
      { name: 'west', secret: 'istio-system/istio-remote-secret-west', status: 'synced', istiod: 'istiod-8887cd9cd-zv2zf' },
    ] as const;
    const expected = seedTable();
    expect(expected.startsWith('NAME     SECRET')).toBe(true);
    expect(remoteClustersTable(rows)).toBe(expected);
    expect(remoteClustersTable(rows, { istioctlVersion: '1.30.3' })).toBe(expected);
  });

  it('REVISION arrives in 1.31', () => {
    expect(hasRevisionColumn('1.30.3')).toBe(false);
    expect(hasRevisionColumn('1.31.0-alpha.0')).toBe(true);
    expect(hasRevisionColumn(undefined)).toBe(false);
  });

  const v = { istioctlVersion: '1.31.0' };
  it('upstream: single cluster with revision', () => {
    expect(remoteClustersTable([{ name: 'cluster-1', secret: 'cluster-1-secret', status: 'SYNCED', istiod: 'istiod-6d8f97c8d9-abc123', revision: 'default' }], v)).toBe(
      'NAME          SECRET               STATUS     ISTIOD                       REVISION\n' + 'cluster-1     cluster-1-secret     SYNCED     istiod-6d8f97c8d9-abc123     default\n',
    );
  });

  it('upstream: istiods sorted by name, each with its revision', () => {
    const rows = [
      { name: 'cluster-2', secret: 'cluster-2-secret', status: 'SYNCED', istiod: 'istiod-default-def456', revision: 'default' },
      { name: 'cluster-1', secret: 'cluster-1-secret', status: 'SYNCED', istiod: 'istiod-canary-abc123', revision: 'canary' },
    ];
    expect(remoteClustersTable(rows, v)).toBe(
      'NAME          SECRET               STATUS     ISTIOD                    REVISION\n' +
        'cluster-1     cluster-1-secret     SYNCED     istiod-canary-abc123      canary\n' +
        'cluster-2     cluster-2-secret     SYNCED     istiod-default-def456     default\n',
    );
  });

  it('upstream: no revision label leaves the ISTIOD cell padded', () => {
    expect(remoteClustersTable([{ name: 'cluster-1', secret: 'cluster-1-secret', status: 'SYNCED', istiod: 'istiod-6d8f97c8d9-abc123' }], v)).toBe(
      'NAME          SECRET               STATUS     ISTIOD                       REVISION\n' + 'cluster-1     cluster-1-secret     SYNCED     istiod-6d8f97c8d9-abc123     \n',
    );
  });

  it('upstream: several clusters per istiod, and the empty answer', () => {
    const rows = ['cluster-1', 'cluster-2'].map((name) => ({ name, secret: `${name}-secret`, status: 'SYNCED', istiod: 'istiod-6d8f97c8d9-abc123', revision: 'stable' }));
    expect(remoteClustersTable(rows, v)).toBe(
      'NAME          SECRET               STATUS     ISTIOD                       REVISION\n' +
        'cluster-1     cluster-1-secret     SYNCED     istiod-6d8f97c8d9-abc123     stable\n' +
        'cluster-2     cluster-2-secret     SYNCED     istiod-6d8f97c8d9-abc123     stable\n',
    );
    expect(remoteClustersTable([], v)).toBe('NAME     SECRET     STATUS     ISTIOD     REVISION\n');
    expect(remoteClustersTable([])).toBe('NAME     SECRET     STATUS     ISTIOD\n');
  });
});
