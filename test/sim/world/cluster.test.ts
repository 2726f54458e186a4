import { describe, expect, it } from 'vitest';
import { World } from '../../../sim/world/world.ts';
import type { ClusterSpec } from '../../../sim/world/spec.ts';

const spec = (over: Partial<ClusterSpec> = {}): ClusterSpec => ({
  name: 'west',
  trustDomain: 'west.demo',
  platform: 'kubernetes',
  profile: 'plain',
  versions: { kubernetes: '1.33' },
  nodes: [{ name: 'west-node-1' }, { name: 'west-node-2', kubelet: 'v1.32.4' }],
  podCIDR: '10.10.0.0/16',
  serviceCIDR: '172.20.0.0/16',
  manifests: [],
  ...over,
});

const CLUSTER_ROLE = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\nrules: []\n';
const SERVICE_MONITOR = 'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: spire\n  namespace: default\nspec: {}\n';

describe('a cluster of the world', () => {
  it('starts with nodes at their kubelet versions and the stand-in trust bundle published', async () => {
    const world = await World.create([spec()], { seed: 1, start: Date.UTC(2026, 0, 1), crypto: globalThis.crypto });
    const r = await world.run("kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name}={.status.nodeInfo.kubeletVersion} {end}'");
    expect(r.stdout).toBe('west-node-1=v1.33 west-node-2=v1.32.4 ');
    const bundle = await world.run("kubectl -n kube-public get cm fedlab-trust-bundle -o jsonpath='{.data.bundle\\.pem}'");
    expect(bundle.stdout).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
  });

  it('stores a built-in kind the lab does not model, with a warning, never fatal', async () => {
    const world = await World.create([spec()], { seed: 1, start: Date.UTC(2026, 0, 1), crypto: globalThis.crypto });
    const r = world.cluster('west')!.apply(CLUSTER_ROLE, 'rbac.yaml');
    expect(r.ok && r.value).toMatchObject({ output: 'clusterrole.rbac.authorization.k8s.io/reader created\n', errors: '' });
    expect(r.ok && r.value.warnings).toContain('Warning: ClusterRole (rbac.authorization.k8s.io/v1) is stored but not modelled by fedlab');
  });

  it('serves monitoring.coreos.com on OpenShift (cluster monitoring), not on plain Kubernetes', async () => {
    const world = await World.create([spec({ name: 'ocp', platform: 'openshift' }), spec({ name: 'kind' })], { seed: 1, start: Date.UTC(2026, 0, 1), crypto: globalThis.crypto });
    const onOpenShift = await world.run('kubectl --context ocp apply -f -', { stdin: SERVICE_MONITOR });
    expect(onOpenShift).toMatchObject({ exitCode: 0, stdout: 'servicemonitor.monitoring.coreos.com/spire created\n' });
    expect(world.events.ofType('kube.kind.not-modelled').map((e) => e.data)).toEqual([expect.objectContaining({ kind: 'ServiceMonitor' })]);
    const onKind = await world.run('kubectl --context kind apply -f -', { stdin: SERVICE_MONITOR });
    expect(onKind.exitCode).toBe(1);
    expect(onKind.stderr).toContain('no matches for kind "ServiceMonitor" in version "monitoring.coreos.com/v1"');
  });

  it('validates custom resources against the CRDs its profile installs', async () => {
    const world = await World.create([spec({ profile: 'helm' }), spec({ name: 'bare' })], { seed: 1, start: Date.UTC(2026, 0, 1), crypto: globalThis.crypto });
    const cr = 'apiVersion: spire.spiffe.io/v1alpha1\nkind: ClusterSPIFFEID\nmetadata:\n  name: workloads\nspec:\n  spiffeIDTemplate: "spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}"\n  colour: blue\n';
    const strict = await world.run('kubectl --context west apply -f -', { stdin: cr });
    expect(strict.exitCode).toBe(1);
    expect(strict.stderr).toContain('strict decoding error: unknown field "spec.colour"');
    const none = await world.run('kubectl --context bare apply -f -', { stdin: cr });
    expect(none.stderr).toContain('no matches for kind "ClusterSPIFFEID" in version "spire.spiffe.io/v1alpha1"');
  });
});

describe('container filesystems', () => {
  it('share an emptyDir between a pod\'s containers and mount ConfigMaps read-only', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { repoRoot } = await import('../../helpers/shared.ts');
    const { scenarioFromText } = await import('../../helpers/scenario.ts');
    const { playScenario } = await import('../../../sim/scenario/index.ts');
    const s = scenarioFromText(readFileSync(join(repoRoot, 'test/fixtures/pod-files.yaml'), 'utf8'));
    const { world } = await playScenario(s, { variant: 'broken', crypto: globalThis.crypto, readFile: () => undefined });
    await world.run("kubectl exec app -c helper -- sh -c 'echo hello > /out/svid.pem'");
    expect((await world.run('kubectl exec app -c app -- ls /certs')).stdout).toBe('svid.pem\n');
    expect((await world.run('kubectl exec app -c app -- cat /certs/svid.pem /etc/helper/helper.conf')).stdout).toBe('hello\nagent_address = "/spiffe-workload-api/spire-agent.sock"\n');
    const ro = await world.run("kubectl exec app -c app -- sh -c 'echo x > /etc/helper/y'");
    expect(ro).toMatchObject({ exitCode: 1, stderr: 'bash: /etc/helper/y: Read-only file system\ncommand terminated with exit code 1\n' });
    expect((await world.run('kubectl exec app -c app -- cat /nope')).stderr).toContain('cat: /nope: No such file or directory');
  });
});

describe('volume sources', () => {
  it('a pod mounting a missing Secret waits in ContainerCreating with the kubelet\'s message, then starts', async () => {
    const world = await World.create([spec()], { seed: 1, start: Date.UTC(2026, 0, 1), crypto: globalThis.crypto });
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: { name: app, namespace: default }\nspec:\n  containers: [{ name: app, image: busybox }]\n  volumes: [{ name: certs, secret: { secretName: serving-cert } }]\n';
    await world.run('kubectl apply -f -', { stdin: pod });
    expect((await world.run('kubectl get pod app')).stdout).toContain('ContainerCreating');
    expect((await world.run("kubectl get pod app -o jsonpath='{.status.containerStatuses[0].state.waiting.message}'")).stdout).toBe('MountVolume.SetUp failed for volume "certs" : secret "serving-cert" not found');
    await world.run('kubectl create secret generic serving-cert --from-literal=a=b');
    await world.run('kubectl apply -f -', { stdin: 'apiVersion: v1\nkind: Secret\nmetadata: { name: serving-cert, namespace: default }\nstringData: { a: b }\n' });
    expect((await world.run("kubectl get pod app -o jsonpath='{.status.phase}'")).stdout).toBe('Running');
  });
});
