// `fedlab exec --wire`: the command's output is the lab's, and stderr tells what crossed the sockets —
// the handshake (protocol, ports, the SNI the gateway read, both verdicts, the HTTP answer) and the
// connections the model drops, made real.
import { describe, expect, it } from 'vitest';
import { fedlab } from '../../helpers/cli.ts';
import { repoRoot } from '../../helpers/shared.ts';

const CURL = 'kubectl --context=east exec deploy/curl -c curl -- curl -s helloworld:5000/hello';

describe('fedlab exec --wire', () => {
  it('prints each real handshake of the command, through the east-west gateway for v2', async () => {
    const r = await fedlab(['exec', 'scenarios/f07-istio-spire-federation-sample.yaml', '--wire', '--repeat', '6', '--', CURL], { cwd: repoRoot });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Hello version: v2');
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('[wire]'));
    expect(lines).toHaveLength(6);
    expect(lines.every((l) => l.includes('TLSv1.3') && l.includes('client: lab ok / OpenSSL authorized (agree)') && l.endsWith('HTTP/1.1 200'))).toBe(true);
    expect(lines.some((l) => l.includes('gateway :') && l.includes('(SNI read: outbound_.5000_._.helloworld.default.svc.cluster.local)'))).toBe(true);
  }, 120_000);

  it('a remote pod IP without a gateway (M03) is a real dropped connection', async () => {
    const r = await fedlab(['exec', 'scenarios/catalogue/m03-no-gateway-for-remote-network.yaml', '--wire', '--repeat', '4', '--', CURL], { cwd: repoRoot });
    expect(r.stderr).toMatch(/\[wire\] dropped connection made real: 127\.0\.0\.1:\d+ ETIMEDOUT after \d+ ms/);
  }, 120_000);
});
