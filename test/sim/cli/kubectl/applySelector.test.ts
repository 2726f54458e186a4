import { beforeEach, describe, expect, it } from 'vitest';
import { makeLab, type Lab } from './harness.ts';

// istio/istio samples/helloworld/helloworld.yaml
const HELLOWORLD = `apiVersion: v1
kind: Service
metadata:
  name: helloworld
  labels:
    app: helloworld
    service: helloworld
spec:
  ports:
  - port: 5000
    name: http
  selector:
    app: helloworld
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: helloworld-v1
  labels:
    app: helloworld
    version: v1
spec:
  replicas: 1
  selector:
    matchLabels:
      app: helloworld
      version: v1
  template:
    metadata:
      labels:
        app: helloworld
        version: v1
    spec:
      containers:
      - name: helloworld
        image: registry.istio.io/release/examples-helloworld-v1:1.0
        ports:
        - containerPort: 5000
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: helloworld-v2
  labels:
    app: helloworld
    version: v2
spec:
  replicas: 1
  selector:
    matchLabels:
      app: helloworld
      version: v2
  template:
    metadata:
      labels:
        app: helloworld
        version: v2
    spec:
      containers:
      - name: helloworld
        image: registry.istio.io/release/examples-helloworld-v2:1.0
        ports:
        - containerPort: 5000
`;

let lab: Lab;
beforeEach(() => {
  lab = makeLab([{ name: 'east' }, { name: 'west' }]);
  lab.shell.fs.write('/home/user/samples/helloworld/helloworld.yaml', HELLOWORLD);
});

describe('kubectl apply -l', () => {
  it('applies only the matching documents, as the multicluster guide does service then version', async () => {
    expect(await lab.run('kubectl apply --context=east -f samples/helloworld/helloworld.yaml -l service=helloworld')).toEqual({ stdout: 'service/helloworld created\n', stderr: '', exitCode: 0 });
    expect(await lab.run('kubectl apply --context=east -f samples/helloworld/helloworld.yaml -l version=v1')).toEqual({ stdout: 'deployment.apps/helloworld-v1 created\n', stderr: '', exitCode: 0 });
    expect(lab.stores.east!.find('deployments', 'default', 'helloworld-v2')).toBeUndefined();
    expect(lab.stores.west!.find('services', 'default', 'helloworld')).toBeUndefined();
    expect((await lab.run('kubectl apply --context=east -f samples/helloworld/helloworld.yaml --selector app=helloworld')).stdout).toBe(
      'service/helloworld unchanged\ndeployment.apps/helloworld-v1 unchanged\ndeployment.apps/helloworld-v2 created\n',
    );
  });

  it('says no objects passed to apply when nothing matches, and refuses a bad selector', async () => {
    expect(await lab.run('kubectl apply --context=east -f samples/helloworld/helloworld.yaml -l version=v3')).toEqual({ stdout: '', stderr: 'error: no objects passed to apply\n', exitCode: 1 });
    const bad = await lab.run("kubectl apply --context=east -f samples/helloworld/helloworld.yaml -l 'version in v1'");
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/^error: the provided selector "version in v1" is not valid: /);
  });
});
