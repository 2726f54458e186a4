import { beforeEach, describe, expect, it } from 'vitest';
import { makeLab, type Lab } from './harness.ts';

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.27
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: strict
`;

const CSID = `apiVersion: spire.spiffe.io/v1alpha1
kind: ClusterSPIFFEID
metadata:
  name: workloads
spec:
  spiffeIDTemplate: spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}
`;

let lab: Lab;
beforeEach(() => {
  lab = makeLab();
  lab.shell.fs.write('/home/user/web.yaml', DEPLOY);
  lab.shell.fs.write('/home/user/csid.yaml', CSID);
});

describe('kubectl apply', () => {
  it('applies from stdin, then reports unchanged, then configured after an edit', async () => {
    expect(await lab.run('kubectl apply -f - < web.yaml')).toEqual({ stdout: 'deployment.apps/web created\nconfigmap/settings created\n', stderr: '', exitCode: 0 });
    expect((await lab.run('kubectl apply -f - < web.yaml')).stdout).toBe('deployment.apps/web unchanged\nconfigmap/settings unchanged\n');
    lab.shell.fs.write('/home/user/web.yaml', DEPLOY.replace('replicas: 1', 'replicas: 3'));
    expect((await lab.run('cat web.yaml | kubectl apply -f -')).stdout).toBe('deployment.apps/web configured\nconfigmap/settings unchanged\n');
    expect((await lab.run("kubectl get deploy web -o jsonpath='{.spec.replicas}'")).stdout).toBe('3');
  });

  it('applies a directory and honours -n', async () => {
    lab.shell.fs.write('/home/user/manifests/a.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata: {}\n');
    lab.shell.fs.write('/home/user/manifests/b.json', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b"}}');
    lab.shell.fs.write('/home/user/manifests/notes.txt', 'ignored');
    expect((await lab.run('kubectl apply -f manifests/ -n kube-system')).stdout).toBe('configmap/a created\nconfigmap/b created\n');
    expect((await lab.run('kubectl get cm -n kube-system -o name')).stdout).toBe('configmap/a\nconfigmap/b\n');
  });

  it('names the file and object when the kind is unknown (CRDs not installed)', async () => {
    const r = await lab.run('kubectl apply -f csid.yaml');
    expect(r).toEqual({
      stdout: '',
      stderr:
        'error: resource mapping not found for name: "workloads" namespace: "" from "csid.yaml": no matches for kind "ClusterSPIFFEID" in version "spire.spiffe.io/v1alpha1"\nensure CRDs are installed first\n',
      exitCode: 1,
    });
  });

  it('keeps going after a failing object and prints the server error with the file', async () => {
    lab.shell.fs.write('/home/user/mixed.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: nowhere\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: second\n');
    const r = await lab.run('kubectl apply -f mixed.yaml');
    expect(r.stdout).toBe('configmap/second created\n');
    expect(r.stderr).toBe('Error from server (NotFound): error when creating "mixed.yaml": namespaces "nowhere" not found\n');
    expect(r.exitCode).toBe(1);
  });

  it('reports a missing file as kubectl does', async () => {
    expect(await lab.run('kubectl apply -f nope.yaml')).toEqual({ stdout: '', stderr: 'error: the path "nope.yaml" does not exist\n', exitCode: 1 });
  });
});

describe('kubectl create and delete', () => {
  it('create -f refuses an existing object; delete prints kubectl\'s line', async () => {
    expect((await lab.run('kubectl create -f web.yaml')).stdout).toBe('deployment.apps/web created\nconfigmap/settings created\n');
    const again = await lab.run('kubectl create -f web.yaml');
    expect(again.stderr).toBe(
      'Error from server (AlreadyExists): error when creating "web.yaml": deployments.apps "web" already exists\nError from server (AlreadyExists): error when creating "web.yaml": configmaps "settings" already exists\n',
    );
    expect(await lab.run('kubectl delete deployment web')).toEqual({ stdout: 'deployment.apps "web" deleted\n', stderr: '', exitCode: 0 });
    expect(await lab.run('kubectl delete deploy web')).toEqual({ stdout: '', stderr: 'Error from server (NotFound): deployments.apps "web" not found\n', exitCode: 1 });
    expect((await lab.run('kubectl delete -f web.yaml --ignore-not-found')).stdout).toBe('configmap "settings" deleted\n');
    expect((await lab.run('kubectl create namespace team-a')).stdout).toBe('namespace/team-a created\n');
    expect((await lab.run('kubectl delete ns/team-a')).stdout).toBe('namespace "team-a" deleted\n');
  });

  it('delete -l deletes what matches, and says when nothing does', async () => {
    await lab.run('kubectl apply -f web.yaml');
    expect((await lab.run('kubectl delete deploy,cm -l app=web')).stdout).toBe('deployment.apps "web" deleted\n');
    expect(await lab.run('kubectl delete cm -l app=web')).toEqual({ stdout: 'No resources found\n', stderr: '', exitCode: 0 });
    expect((await lab.run('kubectl delete cm')).stderr).toBe('error: resource(s) were provided, but no name was specified\n');
  });
});

describe('kubectl patch', () => {
  beforeEach(async () => {
    await lab.run('kubectl apply -f web.yaml');
  });

  it('strategic (default), merge and json patches, and "no change"', async () => {
    expect((await lab.run(`kubectl patch deployment web -p '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}'`)).stdout).toBe('deployment.apps/web patched\n');
    expect((await lab.run("kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[*].image}'")).stdout).toBe('nginx:1.28');
    expect((await lab.run(`kubectl patch cm settings --type merge -p '{"data":{"mode":"permissive"}}'`)).stdout).toBe('configmap/settings patched\n');
    expect((await lab.run(`kubectl patch cm/settings --type merge -p '{"data":{"mode":"permissive"}}'`)).stdout).toBe('configmap/settings patched (no change)\n');
    expect((await lab.run(`kubectl patch deploy web --type json -p '[{"op":"replace","path":"/spec/replicas","value":4}]'`)).stdout).toBe('deployment.apps/web patched\n');
    expect((await lab.run("kubectl get deploy web -o jsonpath='{.spec.replicas}'")).stdout).toBe('4');
    expect((await lab.run(`kubectl patch deploy web --type yaml -p '{}'`)).stderr).toBe('error: --type must be one of [json merge strategic], not "yaml"\n');
  });

  it('a custom resource refuses a strategic merge patch, as the apiserver does', async () => {
    lab.stores.west!.registerKind({ group: 'spire.spiffe.io', version: 'v1alpha1', kind: 'ClusterSPIFFEID', plural: 'clusterspiffeids', namespaced: false, hasStatus: true });
    expect((await lab.run('kubectl apply -f csid.yaml')).stdout).toBe('clusterspiffeid.spire.spiffe.io/workloads created\n');
    const r = await lab.run(`kubectl patch clusterspiffeid workloads -p '{"spec":{"hint":"x"}}'`);
    expect(r).toEqual({
      stdout: '',
      stderr:
        'error: application/strategic-merge-patch+json is not supported by spire.spiffe.io/v1alpha1, Kind=ClusterSPIFFEID: the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml\n',
      exitCode: 1,
    });
    expect((await lab.run(`kubectl patch clusterspiffeid workloads --type merge -p '{"spec":{"hint":"x"}}'`)).stdout).toBe('clusterspiffeid.spire.spiffe.io/workloads patched\n');
  });
});
