import { beforeEach, describe, expect, it } from 'vitest';
import { makeLab, runningPod, type Lab } from './harness.ts';

let lab: Lab;
beforeEach(() => {
  lab = makeLab([{ name: 'east' }, { name: 'west' }]);
  runningPod(lab.stores.east!, 'default', 'web-1', { labels: { app: 'web' } });
  runningPod(lab.stores.east!, 'default', 'web-2', { labels: { app: 'web' } });
  runningPod(lab.stores.east!, 'kube-system', 'dns-1', { labels: { app: 'dns' } });
});

const labels = (ns: string) => lab.stores.east!.find('namespaces', undefined, ns)!.metadata.labels ?? {};

describe('kubectl label', () => {
  it('labels a namespace, then reports not labeled for the same value and refuses another without --overwrite', async () => {
    expect(await lab.run('kubectl --context=east label namespace default istio-injection=enabled')).toEqual({ stdout: 'namespace/default labeled\n', stderr: '', exitCode: 0 });
    expect(labels('default')['istio-injection']).toBe('enabled');
    expect(lab.stores.west!.find('namespaces', undefined, 'default')!.metadata.labels?.['istio-injection']).toBeUndefined();
    expect(await lab.run('kubectl --context=east label namespace default istio-injection=enabled')).toEqual({ stdout: 'namespace/default not labeled\n', stderr: '', exitCode: 0 });
    expect(await lab.run('kubectl --context=east label namespace default istio-injection=disabled')).toEqual({
      stdout: '',
      stderr: "error: 'istio-injection' already has a value (enabled), and --overwrite is false\n",
      exitCode: 1,
    });
    expect((await lab.run('kubectl --context=east label namespace default istio-injection=disabled --overwrite')).stdout).toBe('namespace/default labeled\n');
    expect(labels('default')['istio-injection']).toBe('disabled');
  });

  it('removes with KEY-, says so for an absent key, and reports modified for a change plus a removal', async () => {
    await lab.run('kubectl --context=east label ns default a=1 b=2');
    expect((await lab.run('kubectl --context=east label ns default a-')).stdout).toBe('namespace/default unlabeled\n');
    expect((await lab.run('kubectl --context=east label ns default a-')).stdout).toBe('label "a" not found.\nnamespace/default not labeled\n');
    expect((await lab.run('kubectl --context=east label ns/default c=3 b-')).stdout).toBe('namespace/default modified\n');
    expect(labels('default')).toMatchObject({ c: '3' });
    expect(labels('default').b).toBeUndefined();
  });

  it('labels pods by name, by selector, with --all and across namespaces; oc too', async () => {
    expect((await lab.run('kubectl --context=east label pod web-1 version=v1')).stdout).toBe('pod/web-1 labeled\n');
    expect((await lab.run('kubectl --context=east label pods -l app=web team=mesh')).stdout).toBe('pod/web-1 labeled\npod/web-2 labeled\n');
    expect((await lab.run('oc --context=east label pods --all -A sidecar=yes')).stdout).toBe('pod/web-1 labeled\npod/web-2 labeled\npod/dns-1 labeled\n');
    expect((await lab.run('kubectl --context=east label pods -l app=none x=y')).stdout).toBe('');
  });

  it('labels deployments and custom resources with their group', async () => {
    lab.apply('east', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'helloworld-v1', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'helloworld' } }, template: { metadata: { labels: { app: 'helloworld' } }, spec: { containers: [{ name: 'h', image: 'h:1' }] } } },
    });
    expect((await lab.run('kubectl --context=east label deployment helloworld-v1 version=v1')).stdout).toBe('deployment.apps/helloworld-v1 labeled\n');
    expect((await lab.run('kubectl --context=east label deploy/helloworld-v1 version=v2 --overwrite --dry-run=server')).stdout).toBe('deployment.apps/helloworld-v1 labeled (server dry run)\n');
    expect((await lab.run('kubectl --context=east label deploy/helloworld-v1 version=v3 --overwrite --dry-run=client -o name')).stdout).toBe('deployment.apps/helloworld-v1\n');
    expect(lab.stores.east!.find('deployments', 'default', 'helloworld-v1')!.metadata.labels).toEqual({ version: 'v1' });
  });

  it('labels a custom resource (merge patch, so no strategic-merge 415) and annotates it', async () => {
    const s = lab.stores.east!;
    s.registerKind({ group: 'spire.spiffe.io', version: 'v1alpha1', kind: 'ClusterSPIFFEID', plural: 'clusterspiffeids', namespaced: false, hasStatus: true });
    lab.apply('east', { apiVersion: 'spire.spiffe.io/v1alpha1', kind: 'ClusterSPIFFEID', metadata: { name: 'default' }, spec: { spiffeIDTemplate: 'spiffe://x' } });
    expect((await lab.run('kubectl --context=east label clusterspiffeid default tier=mesh')).stdout).toBe('clusterspiffeid.spire.spiffe.io/default labeled\n');
    expect((await lab.run('kubectl --context=east annotate clusterspiffeids/default owner=platform')).stdout).toBe('clusterspiffeid.spire.spiffe.io/default annotated\n');
    expect(s.find('clusterspiffeids', undefined, 'default')!.metadata).toMatchObject({ labels: { tier: 'mesh' }, annotations: { owner: 'platform' } });
  });

  it("words kubectl's argument errors", async () => {
    const e = (r: { stderr: string; exitCode: number }) => [r.stderr, r.exitCode];
    expect(e(await lab.run('kubectl --context=east label ns default'))).toEqual(['error: at least one label update is required\n', 1]);
    expect(e(await lab.run('kubectl --context=east label a=b'))).toEqual(['error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n', 1]);
    expect(e(await lab.run('kubectl --context=east label ns a=b default'))).toEqual(['error: all resources must be specified before label changes: default\n', 1]);
    expect(e(await lab.run('kubectl --context=east label ns default a=b=c'))).toEqual(['error: invalid label spec: a=b=c\n', 1]);
    expect(e(await lab.run('kubectl --context=east label ns default a=b a-'))).toEqual(['error: can not both modify and remove a label in the same command\n', 1]);
    expect(e(await lab.run('kubectl --context=east label pods a=b'))).toEqual(['error: resource(s) were provided, but no name was specified\n', 1]);
    expect(e(await lab.run('kubectl --context=east label pods --all -l app=web a=b'))).toEqual(['error: cannot set --all and --selector at the same time\n', 1]);
    expect(e(await lab.run('kubectl --context=east label ns nope a=b'))).toEqual(['Error from server (NotFound): namespaces "nope" not found\n', 1]);
    await lab.run('kubectl --context=east label pod web-1 a=1 b=2');
    expect(e(await lab.run('kubectl --context=east label pod web-1 a=3 b=4'))).toEqual(["'a' already has a value (1), and --overwrite is false\n'b' already has a value (2), and --overwrite is false\n", 1]);
    expect((await lab.run('kubectl --context=east label pod web-1 web-2 a=3')).stderr).toBe("error: 'a' already has a value (1), and --overwrite is false\n");
    const bad = await lab.run("kubectl --context=east label ns default 'a=not ok'");
    expect(bad.stderr).toMatch(/^error: invalid label value: "a=not ok": a valid label must be an empty string or consist of alphanumeric characters/);
  });

  it('lists labels with --list', async () => {
    await lab.run('kubectl --context=east label pod web-1 version=v1');
    expect((await lab.run('kubectl --context=east label pod web-1 --list')).stdout).toBe('app=web\nversion=v1\n');
  });
});

describe('kubectl annotate', () => {
  it('annotates, says annotated even when nothing changed, and refuses a different value without --overwrite', async () => {
    expect((await lab.run("kubectl --context=east annotate pod web-1 sidecar.istio.io/inject='false'")).stdout).toBe('pod/web-1 annotated\n');
    expect((await lab.run('kubectl --context=east annotate pod web-1 sidecar.istio.io/inject=false')).stdout).toBe('pod/web-1 annotated\n');
    expect(await lab.run('kubectl --context=east annotate pod web-1 sidecar.istio.io/inject=true')).toEqual({
      stdout: '',
      stderr: "error: --overwrite is false but found the following declared annotation(s): 'sidecar.istio.io/inject' already has a value (false)\n",
      exitCode: 1,
    });
    expect((await lab.run('kubectl --context=east annotate pod web-1 sidecar.istio.io/inject=true --overwrite')).stdout).toBe('pod/web-1 annotated\n');
    expect(lab.stores.east!.find('pods', 'default', 'web-1')!.metadata.annotations?.['sidecar.istio.io/inject']).toBe('true');
    expect((await lab.run('kubectl --context=east annotate pod web-1 sidecar.istio.io/inject-')).stdout).toBe('pod/web-1 annotated\n');
    expect(lab.stores.east!.find('pods', 'default', 'web-1')!.metadata.annotations?.['sidecar.istio.io/inject']).toBeUndefined();
  });

  it('keeps everything after the first = as the value and words its own errors', async () => {
    expect((await lab.run("kubectl --context=east annotate ns default note='a=b c'")).stdout).toBe('namespace/default annotated\n');
    expect(lab.stores.east!.find('namespaces', undefined, 'default')!.metadata.annotations?.note).toBe('a=b c');
    expect((await lab.run('kubectl --context=east annotate ns default')).stderr).toBe('error: at least one annotation update is required\n');
    expect((await lab.run('kubectl --context=east annotate ns default x=1 x-')).stderr).toBe('error: can not both modify and remove the following annotation(s) in the same command: x\n');
    expect((await lab.run('kubectl --context=east annotate pods -l app=web team=mesh')).stdout).toBe('pod/web-1 annotated\npod/web-2 annotated\n');
  });
});
