import { beforeEach, describe, expect, it } from 'vitest';
import { makeLab, T0, type Lab } from './harness.ts';

const at = (secondsAfterT0: number) => new Date(T0 + secondsAfterT0 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

let lab: Lab;
beforeEach(() => {
  lab = makeLab([{ name: 'east' }]);
  lab.apply(
    'east',
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'helloworld-v1-5d8f7c9b4-x2k4p.17f3a1b2c3d4e5f6', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'helloworld-v1-5d8f7c9b4-x2k4p', namespace: 'default', fieldPath: 'spec.containers{helloworld}' },
      reason: 'Pulled',
      message: 'Container image "registry.istio.io/release/examples-helloworld-v1:1.0" already present on machine',
      type: 'Normal',
      source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: at(10),
      lastTimestamp: at(10),
      count: 1,
    },
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'istiod-7b9c.17f3a1b2c3d4e5f7', namespace: 'kube-system' },
      involvedObject: { kind: 'Pod', name: 'istiod-7b9c', namespace: 'kube-system' },
      reason: 'BackOff',
      message: 'Back-off restarting failed container discovery in pod istiod-7b9c_kube-system\n',
      type: 'Warning',
      source: { component: 'kubelet' },
      firstTimestamp: at(0),
      lastTimestamp: at(60),
      count: 4,
    },
  );
  lab.clock.advance(120_000);
});

describe('kubectl get events', () => {
  it("prints printEvent's columns for the namespace", async () => {
    expect(await lab.run('kubectl get events')).toEqual({
      stdout:
        'LAST SEEN   TYPE     REASON   OBJECT                              MESSAGE\n' +
        '110s        Normal   Pulled   pod/helloworld-v1-5d8f7c9b4-x2k4p   Container image "registry.istio.io/release/examples-helloworld-v1:1.0" already present on machine\n',
      stderr: '',
      exitCode: 0,
    });
  });

  it('puts NAMESPACE first with -A and trims the message', async () => {
    expect((await lab.run('kubectl get events -A')).stdout).toBe(
      'NAMESPACE     LAST SEEN   TYPE      REASON    OBJECT                              MESSAGE\n' +
        'default       110s        Normal    Pulled    pod/helloworld-v1-5d8f7c9b4-x2k4p   Container image "registry.istio.io/release/examples-helloworld-v1:1.0" already present on machine\n' +
        'kube-system   60s         Warning   BackOff   pod/istiod-7b9c                     Back-off restarting failed container discovery in pod istiod-7b9c_kube-system\n',
    );
  });

  it('adds the wide columns and says when a namespace has none', async () => {
    expect((await lab.run('kubectl get ev -n kube-system -o wide')).stdout).toBe(
      'LAST SEEN   TYPE      REASON    OBJECT            SUBOBJECT   SOURCE    MESSAGE                                                                         FIRST SEEN   COUNT   NAME\n' +
        '60s         Warning   BackOff   pod/istiod-7b9c               kubelet   Back-off restarting failed container discovery in pod istiod-7b9c_kube-system   2m           4       istiod-7b9c.17f3a1b2c3d4e5f7\n',
    );
    lab.apply('east', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sample' } });
    expect(await lab.run('kubectl get events -n sample')).toEqual({ stdout: '', stderr: 'No resources found in sample namespace.\n', exitCode: 0 });
  });

  it('falls back to eventTime and a count of 1 for events.k8s.io-style events', async () => {
    lab.apply('east', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web.1', namespace: 'default' },
      involvedObject: { kind: 'Deployment', name: 'web' },
      reason: 'ScalingReplicaSet',
      message: 'Scaled up replica set web-7d4b9 from 0 to 1',
      type: 'Normal',
      eventTime: '2026-03-01T10:01:00.000000Z',
      reportingComponent: 'deployment-controller',
    });
    const r = await lab.run('kubectl get events -o wide');
    expect(r.stdout).toContain('\n60s         Normal   ScalingReplicaSet   deployment/web');
    expect(r.stdout).toMatch(/deployment-controller\s+Scaled up replica set web-7d4b9 from 0 to 1\s+60s\s+1\s+web\.1\n$/);
  });
});
