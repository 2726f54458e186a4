import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../../sim/kube/builtinKinds.ts';
import { csiMountsFor, hostPathInMounts, type CsiNode } from '../../../../sim/spire/csi/csiDriver.ts';

const pod = (readOnly: boolean | undefined): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'mtls-client', namespace: 'mtls-client', uid: 'u', resourceVersion: '1', generation: 1, creationTimestamp: '' },
    spec: {
      containers: [
        { name: 'client', image: 'ubi', volumeMounts: [{ name: 'certs', mountPath: '/certs' }] },
        { name: 'spiffe-helper', image: 'ghcr.io/spiffe/spiffe-helper:0.8.0', volumeMounts: [{ name: 'spiffe-workload-api', mountPath: '/spiffe-workload-api', readOnly: true }] },
      ],
      volumes: [{ name: 'spiffe-workload-api', csi: { driver: 'csi.spiffe.io', ...(readOnly === undefined ? {} : { readOnly }) } }, { name: 'certs', emptyDir: {} }],
    },
  }) as unknown as Pod;

const withDriver: CsiNode = { name: 'node1', drivers: new Map([['csi.spiffe.io', { workloadApiSocketDir: '/run/spire/agent-sockets' }]]) };
const withoutDriver: CsiNode = { name: 'node2', drivers: new Map() };

describe('SPIFFE CSI driver', () => {
  it("mounts the agent socket directory read-only at each mounting container's mountPath", () => {
    const r = csiMountsFor(pod(true), withDriver);
    expect(r).toEqual({ ok: true, value: [{ container: 'spiffe-helper', volume: 'spiffe-workload-api', mountPath: '/spiffe-workload-api', hostPath: '/run/spire/agent-sockets', readOnly: true }] });
    if (!r.ok) return;
    expect(hostPathInMounts(r.value, 'spiffe-helper', '/spiffe-workload-api/spire-agent.sock')).toBe('/run/spire/agent-sockets/spire-agent.sock');
    expect(hostPathInMounts(r.value, 'client', '/spiffe-workload-api/spire-agent.sock')).toBeUndefined();
  });

  it('on a node without the driver the pod stays ContainerCreating with the kubelet FailedMount text', () => {
    const r = csiMountsFor(pod(true), withoutDriver);
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'spire/csi-driver-not-registered',
        message:
          'MountVolume.SetUp failed for volume "spiffe-workload-api" : kubernetes.io/csi: mounter.SetUpAt failed to get CSI client: driver name csi.spiffe.io not found in the list of registered CSI drivers',
        detail: { reason: 'FailedMount', waitingReason: 'ContainerCreating' },
      },
    });
  });

  it("rejects a volume that is not readOnly: true with the driver's InvalidArgument", () => {
    expect(csiMountsFor(pod(undefined), withDriver)).toMatchObject({ ok: false, error: { message: expect.stringContaining("rpc error: code = InvalidArgument desc = pod.spec.volumes[].csi.readOnly must be set to 'true'") } });
  });
});
