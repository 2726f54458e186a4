import { describe, expect, it } from 'vitest';
import { World } from '../../../../sim/world/world.ts';
import type { ClusterSpec } from '../../../../sim/world/spec.ts';

const spec: ClusterSpec = { name: 'east', trustDomain: 'east.local', platform: 'kubernetes', profile: 'plain', versions: { kubernetes: '1.33' }, nodes: [{ name: 'east-node-1' }], podCIDR: '10.10.0.0/16', serviceCIDR: '10.96.0.0/16', manifests: [] };
const DEPLOY = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: default\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n';

describe('kubectl scale and rollout restart', () => {
  it('scales a deployment and restarts its pods', async () => {
    const world = await World.create([spec], { seed: 1, start: Date.UTC(2026, 0, 15), crypto: globalThis.crypto });
    await world.run('kubectl apply -f -', { stdin: DEPLOY });
    expect((await world.run('kubectl scale deploy web --replicas=0')).stdout).toBe('deployment.apps/web scaled\n');
    expect((await world.run('kubectl get pods -l app=web -o name')).stdout).toBe('');
    expect((await world.run('kubectl scale deployment/web --replicas=1')).stdout).toBe('deployment.apps/web scaled\n');
    const before = (await world.run('kubectl get pods -l app=web -o name')).stdout;
    expect((await world.run('kubectl rollout restart deploy/web')).stdout).toBe('deployment.apps/web restarted\n');
    const after = (await world.run('kubectl get pods -l app=web -o name')).stdout;
    expect(after).not.toBe(before);
    expect((await world.run('kubectl scale deploy web')).stderr).toContain('--replicas=COUNT');
  });
});
