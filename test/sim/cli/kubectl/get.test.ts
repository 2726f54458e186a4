import { beforeEach, describe, expect, it } from 'vitest';
import { makeLab, runningPod, type Lab } from './harness.ts';

let lab: Lab;

beforeEach(() => {
  lab = makeLab();
  const s = lab.stores.west!;
  runningPod(s, 'default', 'web-7d4b9-abcde', { labels: { app: 'web', tier: 'front' }, containers: ['web', 'istio-proxy'], ip: '10.128.0.7', restarts: 0 });
  runningPod(s, 'default', 'db-0', { labels: { app: 'db', tier: 'back' } });
  runningPod(s, 'kube-system', 'coredns-1', { labels: { app: 'dns' } });
  lab.apply(
    'west',
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, clusterIP: '172.30.12.4', ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'https', port: 443, protocol: 'TCP' }] } },
    { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels: { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': '' } }, status: {} },
  );
  const node = lab.stores.west!.find('nodes', undefined, 'node-1')!;
  node.status = { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.32.5' }, addresses: [{ type: 'InternalIP', address: '192.168.10.11' }] };
  lab.stores.west!.updateStatus(node);
  lab.clock.advance(3 * 60_000 + 20_000);
});

describe('kubectl get tables', () => {
  it('prints pods as kubectl does, AGE from the store clock', async () => {
    const r = await lab.run('kubectl get pods');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(
      ['NAME              READY   STATUS    RESTARTS   AGE', 'db-0              1/1     Running   0          3m20s', 'web-7d4b9-abcde   2/2     Running   0          3m20s', ''].join('\n'),
    );
  });

  it('prints deployments, services, nodes and namespaces', async () => {
    expect((await lab.run('kubectl get deploy')).stdout).toBe('NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    0/2     0            0           3m20s\n');
    expect((await lab.run('kubectl get svc')).stdout).toBe('NAME   TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)          AGE\nweb    ClusterIP   172.30.12.4   <none>        80/TCP,443/TCP   3m20s\n');
    expect((await lab.run('kubectl get no')).stdout).toBe('NAME     STATUS   ROLES                  AGE     VERSION\nnode-1   Ready    control-plane,worker   3m20s   v1.32.5\n');
    expect((await lab.run('kubectl get namespaces')).stdout).toBe('NAME          STATUS   AGE\ndefault       Active   3m20s\nkube-system   Active   3m20s\n');
  });

  it('-o wide adds the priority columns, --show-labels the LABELS column, -A the NAMESPACE column', async () => {
    const wide = await lab.run('kubectl get deployments.apps -o wide');
    expect(wide.stdout.split('\n')[0]).toBe('NAME   READY   UP-TO-DATE   AVAILABLE   AGE     CONTAINERS   IMAGES       SELECTOR');
    expect(wide.stdout.split('\n')[1]).toBe('web    0/2     0            0           3m20s   web          nginx:1.27   app=web');
    const labels = await lab.run('kubectl get po db-0 --show-labels');
    expect(labels.stdout).toBe('NAME   READY   STATUS    RESTARTS   AGE     LABELS\ndb-0   1/1     Running   0          3m20s   app=db,tier=back\n');
    const all = await lab.run('kubectl get pods -A -o wide');
    expect(all.stdout.split('\n')[0]).toBe('NAMESPACE     NAME              READY   STATUS    RESTARTS   AGE     IP           NODE     NOMINATED NODE   READINESS GATES');
    expect(all.stdout).toContain('kube-system   coredns-1');
  });

  it('selects with -l, including set-based selectors', async () => {
    expect((await lab.run("kubectl get pods -l 'tier in (front,middle)' -o name")).stdout).toBe('pod/web-7d4b9-abcde\n');
    expect((await lab.run("kubectl get pods -l 'app,tier notin (front)' -o name")).stdout).toBe('pod/db-0\n');
    expect((await lab.run('kubectl get pods -l !tier -A -o name')).stdout).toBe('pod/coredns-1\n');
    const none = await lab.run('kubectl get pods -l app=nothing');
    expect(none).toEqual({ stdout: '', stderr: 'No resources found in default namespace.\n', exitCode: 0 });
    const bad = await lab.run("kubectl get pods -l 'a in b'");
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/^Error from server \(BadRequest\): Unable to find "\/v1, Resource=pods" that match label selector "a in b"/);
  });

  it('says so when nothing is found, and reports NotFound per name', async () => {
    expect(await lab.run('kubectl get cm -n kube-system')).toEqual({ stdout: '', stderr: 'No resources found in kube-system namespace.\n', exitCode: 0 });
    const r = await lab.run('kubectl get pod db-0 nope');
    expect(r.stdout).toContain('db-0');
    expect(r.stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
    expect(r.exitCode).toBe(1);
    expect(await lab.run('kubectl get widgets')).toEqual({ stdout: '', stderr: 'error: the server doesn\'t have a resource type "widgets"\n', exitCode: 1 });
    expect((await lab.run('kubectl get pod nope --ignore-not-found')).exitCode).toBe(0);
  });

  it('prefixes names with the kind when several kinds are printed', async () => {
    const r = await lab.run('kubectl get deploy,svc');
    expect(r.stdout).toBe(
      'NAME                  READY   UP-TO-DATE   AVAILABLE   AGE\ndeployment.apps/web   0/2     0            0           3m20s\n\nNAME          TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)          AGE\nservice/web   ClusterIP   172.30.12.4   <none>        80/TCP,443/TCP   3m20s\n',
    );
  });
});

describe('kubectl get -o', () => {
  it('yaml: the object for one name, a List otherwise; keys sorted, timestamps quoted', async () => {
    const one = await lab.run('kubectl get svc web -o yaml');
    expect(one.stdout).toMatch(/^apiVersion: v1\nkind: Service\nmetadata:\n {2}creationTimestamp: "2026-03-01T10:00:00Z"\n/);
    expect(one.stdout).toContain('  ports:\n  - name: http\n    port: 80\n    protocol: TCP\n');
    const list = await lab.run('kubectl get svc -o yaml');
    expect(list.stdout).toMatch(/^apiVersion: v1\nitems:\n- apiVersion: v1\n {2}kind: Service\n/);
    expect(list.stdout).toMatch(/kind: List\nmetadata:\n {2}resourceVersion: ""\n$/);
  });

  it('json: Go-style indentation and a List', async () => {
    const r = await lab.run('kubectl get deploy web -o json');
    expect(r.stdout).toMatch(/^\{\n {4}"apiVersion": "apps\/v1",\n {4}"kind": "Deployment",\n/);
    expect(JSON.parse(r.stdout).spec.replicas).toBe(2);
    expect(JSON.parse((await lab.run('kubectl get pods -o json')).stdout).items).toHaveLength(2);
  });

  it('jsonpath: items[*], range, filters and literals', async () => {
    expect((await lab.run("kubectl get pods -o jsonpath='{.items[*].metadata.name}'")).stdout).toBe('db-0 web-7d4b9-abcde');
    expect((await lab.run(`kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}'`)).stdout).toBe('db-0\t10.128.0.5\nweb-7d4b9-abcde\t10.128.0.7\n');
    expect((await lab.run(`kubectl get pod db-0 -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}'`)).stdout).toBe('True');
    expect((await lab.run("kubectl get svc web -o jsonpath='{.spec.ports[0]}'")).stdout).toMatch(/^{"name":"http","port":80,"protocol":"TCP"/);
    expect((await lab.run("kubectl get svc web -o jsonpath='{.spec.missing}'")).stdout).toBe('');
  });

  it('jsonpath reads keys with escaped dots', async () => {
    lab.apply('west', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'trust-bundle', namespace: 'default' }, data: { 'bundle.spiffe': '{"keys":[]}', 'ca.crt': 'PEM' } });
    expect((await lab.run("kubectl get cm trust-bundle -o jsonpath='{.data.bundle\\.spiffe}'")).stdout).toBe('{"keys":[]}');
    expect((await lab.run('kubectl get cm trust-bundle -o jsonpath={.data.ca\\\\.crt}')).stdout).toBe('PEM');
    expect((await lab.run('kubectl get cm')).stdout).toBe('NAME           DATA   AGE\ntrust-bundle   2      0s\n');
  });

  it('refuses unknown output formats with kubectl\'s list', async () => {
    const r = await lab.run('kubectl get pods -o xml');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^error: unable to match a printer suitable for the output format "xml", allowed formats are: /);
  });
});
