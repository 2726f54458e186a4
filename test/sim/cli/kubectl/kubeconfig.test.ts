// `--kubeconfig PATH`: read from the workstation's files, its current-context (or --context) mapped to a
// lab cluster by server URL; kubectl's words for a missing file, an unknown context, no server.
import { describe, expect, it } from 'vitest';
import { makeLab } from './harness.ts';
import { clusterAtServer } from '../../../../sim/cli/kubectl/kubeconfigFile.ts';
import type { ClusterHandle } from '../../../../sim/cli/kubectl/index.ts';

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: east-cluster
  cluster: { server: "https://api.east.lab:6443", certificate-authority-data: DATA }
- name: west-cluster
  cluster: { server: "https://west-control-plane:6443" }
- name: far
  cluster: { server: "https://10.9.9.9:6443" }
- name: empty
  cluster: {}
contexts:
- name: e
  context: { cluster: east-cluster, user: admin, namespace: apps }
- name: w
  context: { cluster: west-cluster, user: admin }
- name: far
  context: { cluster: far, user: admin }
- name: noserver
  context: { cluster: empty, user: admin }
current-context: e
users:
- name: admin
  user: { token: t }
`;

function lab() {
  const l = makeLab([{ name: 'west' }, { name: 'east' }]);
  l.shell.fs.write(`${l.shell.cwd}/kc.yaml`, KUBECONFIG);
  l.apply('east', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'east-apps', namespace: 'apps' } });
  l.apply('west', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'west-default', namespace: 'default' } });
  return l;
}

describe('kubectl --kubeconfig', () => {
  it("uses the file's current-context: its server's cluster and its namespace", async () => {
    const l = lab();
    expect((await l.run('kubectl --kubeconfig kc.yaml get cm -o name')).stdout).toBe('configmap/east-apps\n');
    expect((await l.run('kubectl get cm --kubeconfig=kc.yaml -n default')).stderr).toBe('No resources found in default namespace.\n');
    // The lab's own current context (west) is not what the file names.
    expect((await l.run('kubectl get cm -o name')).stdout).toBe('configmap/west-default\n');
  });

  it('--context picks a context of the file, not a lab context', async () => {
    const l = lab();
    expect((await l.run('kubectl --kubeconfig kc.yaml --context w get cm -o name')).stdout).toBe('configmap/west-default\n');
    expect(await l.run('kubectl --kubeconfig kc.yaml --context west get cm')).toEqual({ stdout: '', stderr: 'Error in configuration: context was not found for specified context: west\n', exitCode: 1 });
  });

  it('a missing file is an error (stat), never the default context; an empty path is no path', async () => {
    const l = lab();
    expect(await l.run('kubectl --kubeconfig /tmp/nope get pods')).toEqual({ stdout: '', stderr: 'error: stat /tmp/nope: no such file or directory\n', exitCode: 1 });
    // An empty path is no explicit path at all (clientcmd: `len(rules.ExplicitPath) > 0`): the default kubeconfig.
    expect((await l.run('kubectl get cm -o name --kubeconfig=$KUBECONFIG_CLUSTER2')).stdout).toBe('configmap/west-default\n');
  });

  it('a server nothing answers, a cluster without a server, a file that does not parse', async () => {
    const l = lab();
    expect((await l.run('kubectl --kubeconfig kc.yaml --context far get pods')).stderr).toBe('Unable to connect to the server: dial tcp 10.9.9.9:6443: i/o timeout\n');
    expect((await l.run('kubectl --kubeconfig kc.yaml --context noserver get pods')).stderr).toBe('The connection to the server localhost:8080 was refused - did you specify the right host or port?\n');
    l.shell.fs.write(`${l.shell.cwd}/bad.yaml`, 'clusters: [\n');
    const bad = await l.run('kubectl --kubeconfig bad.yaml get pods');
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/^error: error loading config file "bad\.yaml": /);
  });

  it('config current-context and get-contexts read the file; other config subcommands are refused, not ignored', async () => {
    const l = lab();
    expect((await l.run('kubectl config current-context --kubeconfig kc.yaml')).stdout).toBe('e\n');
    expect((await l.run('kubectl config get-contexts --kubeconfig kc.yaml -o name')).stdout).toBe('e\nfar\nnoserver\nw\n');
    expect((await l.run('kubectl config use-context w --kubeconfig kc.yaml')).exitCode).toBe(1);
    expect((await l.run('kubectl config current-context --kubeconfig missing')).stderr).toBe('error: stat missing: no such file or directory\n');
  });

  it('maps a server URL to the lab cluster with that API server address', () => {
    const h = (name: string, server?: string) => ({ name, ...(server ? { server } : {}) }) as unknown as ClusterHandle;
    const clusters = [h('west', 'https://172.18.0.2:6443'), h('east', 'https://172.18.0.3:6443')];
    expect(clusterAtServer('https://172.18.0.3:6443', clusters)?.name).toBe('east');
    expect(clusterAtServer('https://172.18.0.9:6443', clusters)).toBeUndefined();
    expect(clusterAtServer('not a url', clusters)).toBeUndefined();
  });
});
