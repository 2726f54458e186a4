import { describe, expect, it } from 'vitest';
import { makeLab, runningPod } from './harness.ts';

function lab() {
  const l = makeLab();
  l.apply('west', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'mtls-server' } }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'mtls-client' } });
  runningPod(l.stores.west!, 'mtls-server', 'mtls-server-6d4b8-x7k2p', { labels: { app: 'mtls-server' } });
  runningPod(l.stores.west!, 'mtls-client', 'mtls-client', { labels: { app: 'mtls-client' } });
  return l;
}

describe('kubectl wait (seed 001 Steps 5.1.3, 5.2.3)', () => {
  it('prints "condition met" per object, by selector or by name', async () => {
    const l = lab();
    expect(await l.run('oc wait -n mtls-server --for=condition=Ready pod -l app=mtls-server --timeout=180s')).toEqual({ stdout: 'pod/mtls-server-6d4b8-x7k2p condition met\n', stderr: '', exitCode: 0 });
    expect((await l.run('kubectl wait -n mtls-client --for=condition=Ready pod mtls-client --timeout=180s')).stdout).toBe('pod/mtls-client condition met\n');
    expect((await l.run('kubectl wait -n mtls-client --for=condition=ready=true pod/mtls-client')).stdout).toBe('pod/mtls-client condition met\n');
  });

  it('an unmet condition times out; nothing matching is an error', async () => {
    const l = lab();
    const pod = l.stores.west!.find('pods', 'mtls-client', 'mtls-client')!;
    pod.status = { ...(pod.status as object), conditions: [{ type: 'Ready', status: 'False' }] };
    l.stores.west!.updateStatus(pod);
    expect(await l.run('kubectl wait -n mtls-client --for=condition=Ready pod mtls-client --timeout=1s')).toEqual({ stdout: '', stderr: 'error: timed out waiting for the condition on pods/mtls-client\n', exitCode: 1 });
    expect(await l.run('kubectl wait -n default --for=condition=Ready pod -l app=none')).toEqual({ stdout: '', stderr: 'error: no matching resources found\n', exitCode: 1 });
    expect(await l.run('kubectl wait -n default --for=delete pod/gone')).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    // Still there at this instant: the deletion wait times out.
    expect(await l.run('kubectl wait -n mtls-client --for=delete pod/mtls-client')).toEqual({ stdout: '', stderr: 'error: timed out waiting for the condition on pods/mtls-client\n', exitCode: 1 });
  });
});

describe('kubectl get --watch', () => {
  it('shows the list and ends (the clock does not move while a command runs)', async () => {
    const l = lab();
    const plain = await l.run('kubectl get pods -n mtls-client');
    expect(await l.run('kubectl get pods -n mtls-client -w')).toEqual(plain);
    expect(await l.run('kubectl get pods -n mtls-client --watch-only')).toEqual({ stdout: '', stderr: '', exitCode: 0 });
  });
});

describe('kubectl run (seed 002 "How to Use")', () => {
  it('creates one pod labelled run=NAME, or with --labels; an existing name is refused', async () => {
    const l = lab();
    l.apply('west', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'my-app' } });
    expect(await l.run('kubectl run my-app --image=nginx -n my-app')).toEqual({ stdout: 'pod/my-app created\n', stderr: '', exitCode: 0 });
    const pod = l.stores.west!.find('pods', 'my-app', 'my-app')!;
    expect(pod.metadata.labels).toEqual({ run: 'my-app' });
    expect((pod.spec as { containers: { name: string; image: string }[] }).containers[0]).toMatchObject({ name: 'my-app', image: 'nginx' });
    await l.run('kubectl run myapp --image=nginx --labels=federated=true');
    expect(l.stores.west!.find('pods', 'default', 'myapp')!.metadata.labels).toEqual({ federated: 'true' });
    expect((await l.run('kubectl run my-app --image=nginx -n my-app')).stderr).toBe('Error from server (AlreadyExists): pods "my-app" already exists\n');
    expect((await l.run('kubectl run x --image=nginx -n any-namespace')).stderr).toBe('Error from server (NotFound): namespaces "any-namespace" not found\n');
  });
});
