import { beforeEach, describe, expect, it } from 'vitest';
import { done } from '../../../../sim/cli/shell/program.ts';
import { makeLab, runningPod, type Lab } from './harness.ts';

let lab: Lab;
beforeEach(() => {
  lab = makeLab();
  const s = lab.stores.west!;
  lab.apply('west', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'spire-server', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'spire-server' } }, template: { metadata: { labels: { app: 'spire-server' } }, spec: { containers: [{ name: 'spire-server', image: 'spire-server:1.12' }] } } },
  });
  runningPod(s, 'default', 'spire-server-0', { labels: { app: 'spire-server' }, containers: ['spire-server', 'controller-manager'] });
  runningPod(s, 'default', 'sleep-1', { containers: ['sleep', 'istio-proxy'], annotations: { 'kubectl.kubernetes.io/default-container': 'sleep' } });
  runningPod(s, 'default', 'single', {});
});

describe('kubectl exec', () => {
  it('resolves deploy/NAME to a pod and defaults to the first container with kubectl\'s notice', async () => {
    const r = await lab.run('kubectl exec deploy/spire-server -- /opt/spire/bin/spire-server bundle show');
    expect(r).toEqual({
      stdout: 'ran /opt/spire/bin/spire-server bundle show in spire-server\n',
      stderr: 'Defaulted container "spire-server" out of: spire-server, controller-manager\n',
      exitCode: 0,
    });
    expect(lab.execs[0]).toMatchObject({ cluster: 'west', namespace: 'default', pod: 'spire-server-0', container: 'spire-server' });
  });

  it('uses the default-container annotation silently, -c explicitly, and refuses an unknown container', async () => {
    expect(await lab.run('kubectl exec sleep-1 -- id')).toEqual({ stdout: 'ran id in sleep\n', stderr: '', exitCode: 0 });
    expect((await lab.run('kubectl exec -n default pod/sleep-1 -c istio-proxy -- pilot-agent request GET stats')).stdout).toBe('ran pilot-agent request GET stats in istio-proxy\n');
    expect(await lab.run('kubectl exec sleep-1 -c nope -- id')).toEqual({ stdout: '', stderr: 'error: container nope is not valid for pod sleep-1 out of: sleep, istio-proxy\n', exitCode: 1 });
    expect((await lab.run('kubectl exec single -- true')).stderr).toBe('');
  });

  it('propagates the exit code with kubectl\'s message, and passes stdin with -i', async () => {
    lab.execResult = (call) => (call.argv[0] === 'false' ? done('', 'boom\n', 3) : done(call.stdin.toUpperCase()));
    expect(await lab.run('kubectl exec single -- false')).toEqual({ stdout: '', stderr: 'boom\ncommand terminated with exit code 3\n', exitCode: 3 });
    expect((await lab.run('echo hello | kubectl exec -i single -- cat')).stdout).toBe('HELLO\n');
    expect((await lab.run('echo hello | kubectl exec single -- cat')).stdout).toBe('');
  });

  it('needs the -- separator and a known pod', async () => {
    expect((await lab.run('kubectl exec single ls')).stderr).toBe(
      "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n",
    );
    expect(await lab.run('kubectl exec ghost -- ls')).toEqual({ stdout: '', stderr: 'Error from server (NotFound): pods "ghost" not found\n', exitCode: 1 });
    expect((await lab.run('kubectl exec single --')).stderr).toBe('error: you must specify at least one command for the container\n');
  });
});

describe('kubectl logs', () => {
  it('prints a container\'s logs, picks containers like exec, and knows -c, --tail and deploy/NAME', async () => {
    lab.logs.set('west/default/spire-server-0/spire-server', 'line 1\nline 2\nline 3\n');
    lab.logs.set('west/default/sleep-1/sleep', 'zzz\n');
    expect(await lab.run('kubectl logs spire-server-0')).toEqual({
      stdout: 'line 1\nline 2\nline 3\n',
      stderr: 'Defaulted container "spire-server" out of: spire-server, controller-manager\n',
      exitCode: 0,
    });
    expect((await lab.run('kubectl logs deploy/spire-server -c spire-server --tail 1')).stdout).toBe('line 3\n');
    expect((await lab.run('kubectl logs sleep-1')).stdout).toBe('zzz\n');
    expect(await lab.run('kubectl logs sleep-1 -c bogus')).toEqual({ stdout: '', stderr: 'error: container bogus is not valid for pod sleep-1 out of: sleep, istio-proxy\n', exitCode: 1 });
    expect(await lab.run('kubectl logs sleep-1 -c istio-proxy')).toEqual({
      stdout: '',
      stderr: 'Error from server (BadRequest): container "istio-proxy" in pod "sleep-1" is waiting to start: ContainerCreating\n',
      exitCode: 1,
    });
  });
});

describe('kubectl exec into a pod that is not running', () => {
  it('answers as the kubelet does', async () => {
    const lab = makeLab();
    lab.apply('west', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending', namespace: 'default' }, spec: { containers: [{ name: 'main', image: 'busybox' }] } });
    expect(await lab.run('kubectl exec pending -- ls')).toEqual({ stdout: '', stderr: 'error: unable to upgrade connection: container not found ("main")\n', exitCode: 1 });
  });
});
