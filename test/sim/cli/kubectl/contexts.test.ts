import { describe, expect, it } from 'vitest';
import { makeLab } from './harness.ts';
import { openShiftDnsManifest } from '../../../../sim/cli/kubectl/index.ts';

describe('contexts', () => {
  it('--context picks the cluster; config use-context switches; get-contexts lists', async () => {
    const lab = makeLab([{ name: 'west' }, { name: 'east' }]);
    lab.apply('west', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'only-west', namespace: 'default' } });
    expect((await lab.run('kubectl get cm -o name')).stdout).toBe('configmap/only-west\n');
    expect((await lab.run('kubectl --context east get cm')).stderr).toBe('No resources found in default namespace.\n');
    expect((await lab.run('kubectl get cm only-west --context=east')).stderr).toBe('Error from server (NotFound): configmaps "only-west" not found\n');
    expect(await lab.run('kubectl --context north get cm')).toEqual({ stdout: '', stderr: 'Error in configuration: context was not found for specified context: north\n', exitCode: 1 });
    expect((await lab.run('kubectl config current-context')).stdout).toBe('west\n');
    expect((await lab.run('kubectl config use-context east')).stdout).toBe('Switched to context "east".\n');
    expect((await lab.run('kubectl config use-context north')).stderr).toBe('error: no context exists with the name: "north"\n');
    expect((await lab.run('kubectl config get-contexts')).stdout).toBe('CURRENT   NAME   CLUSTER   AUTHINFO   NAMESPACE\n          west   west      admin\n*         east   east      admin\n');
    expect((await lab.run('kubectl config set-context --current --namespace=kube-system')).stdout).toBe('Context "east" modified.\n');
    lab.apply('east', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'sys', namespace: 'kube-system' } });
    expect((await lab.run('kubectl get cm -o name')).stdout).toBe('configmap/sys\n');
  });

  it('rejects unknown commands and flags as kubectl does', async () => {
    const lab = makeLab();
    expect(await lab.run('kubectl gte pods')).toEqual({ stdout: '', stderr: 'error: unknown command "gte" for "kubectl"\n\nDid you mean this?\n\tget\n', exitCode: 1 });
    expect(await lab.run('kubectl get pods -x')).toEqual({ stdout: '', stderr: "error: unknown shorthand flag: 'x' in -x\nSee 'kubectl get -h' for help and examples\n", exitCode: 1 });
    expect((await lab.run('oc project')).exitCode).toBe(0);
    expect((await lab.run('kubectl project')).stderr).toMatch(/^error: unknown command "project" for "kubectl"/);
  });
});

describe('oc on OpenShift', () => {
  it('oc get dns cluster: NAME/AGE table and the base domain through jsonpath', async () => {
    const lab = makeLab([{ name: 'west', platform: 'openshift' }, { name: 'kind', platform: 'kubernetes' }]);
    await lab.run('oc whoami'); // registers the DNS kind on first use
    lab.apply('west', openShiftDnsManifest('west.example.com'));
    lab.clock.advance(3 * 3600_000 + 5 * 60_000);
    expect((await lab.run('oc get dns cluster')).stdout).toBe('NAME      AGE\ncluster   3h5m\n');
    expect((await lab.run("oc get dns cluster -o jsonpath='{.spec.baseDomain}'")).stdout).toBe('west.example.com');
    expect((await lab.run("kubectl get dns.config.openshift.io cluster -o jsonpath='{.spec.baseDomain}'")).stdout).toBe('west.example.com');
    expect(await lab.run('oc --context kind get dns')).toEqual({ stdout: '', stderr: 'error: the server doesn\'t have a resource type "dns"\n', exitCode: 1 });
    expect((await lab.run('oc whoami')).stdout).toBe('kube:admin\n');
    expect((await lab.run('oc project kube-system')).stdout).toBe('Now using project "kube-system" on server "https://api.west.lab:6443".\n');
    expect((await lab.run('oc project')).stdout).toBe('Using project "kube-system" on server "https://api.west.lab:6443".\n');
    expect((await lab.run('kubectl config get-contexts west')).stdout).toBe('CURRENT   NAME   CLUSTER   AUTHINFO   NAMESPACE\n*         west   west      admin      kube-system\n');
  });
});
