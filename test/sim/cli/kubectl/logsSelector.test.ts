import { describe, expect, it } from 'vitest';
import { makeLab, runningPod } from './harness.ts';

describe('kubectl logs -l (seed 001 Troubleshooting)', () => {
  it('prints each matching pod\'s logs in turn, the last 10 lines unless --tail says otherwise', async () => {
    const lab = makeLab();
    const s = lab.stores.west!;
    runningPod(s, 'default', 'spire-agent-abcde', { labels: { app: 'spire-agent' } });
    runningPod(s, 'default', 'spire-agent-fghjk', { labels: { app: 'spire-agent' } });
    runningPod(s, 'default', 'other', { labels: { app: 'other' } });
    const many = Array.from({ length: 12 }, (_, i) => `a${i + 1}`).join('\n');
    lab.logs.set('west/default/spire-agent-abcde/app', `${many}\n`);
    lab.logs.set('west/default/spire-agent-fghjk/app', 'b1\nb2\n');
    lab.logs.set('west/default/other/app', 'nope\n');
    expect(await lab.run('kubectl logs -l app=spire-agent')).toEqual({ stdout: `${Array.from({ length: 10 }, (_, i) => `a${i + 3}`).join('\n')}\nb1\nb2\n`, stderr: '', exitCode: 0 });
    expect((await lab.run('kubectl logs -l app=spire-agent --tail=1')).stdout).toBe('a12\nb2\n');
    expect(await lab.run('kubectl logs -l app=none')).toEqual({ stdout: '', stderr: 'No resources found in default namespace.\n', exitCode: 0 });
  });
});
