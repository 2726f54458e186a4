import { describe, expect, it } from 'vitest';
import { formatTable } from '../../../sim/cli/kubectl/tabWriter.ts';
import { parseJsonPath, printValue } from '../../../sim/cli/kubectl/jsonPath.ts';
import type { KubeObject } from '../../../sim/kube/object.ts';
import { OLM_PRINTER_COLUMNS, mergeEnv, type EnvVar } from '../../../sim/openshift/index.ts';
import { World } from '../../../sim/world/world.ts';
import type { ClusterSpec } from '../../../sim/world/spec.ts';

const spec: ClusterSpec = {
  name: 'cluster1',
  trustDomain: 'apps.cluster1.example.com',
  baseDomain: 'cluster1.example.com',
  platform: 'openshift',
  profile: 'ztwim',
  versions: { kubernetes: '1.33', ztwim: '1.0.0' },
  nodes: [{ name: 'worker-0' }],
  podCIDR: '10.128.0.0/14',
  serviceCIDR: '172.30.0.0/16',
  manifests: [],
};

const NS = 'zero-trust-workload-identity-manager';
const NAMESPACE = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NS}\n`;
const OPERATOR_GROUP = `apiVersion: operators.coreos.com/v1\nkind: OperatorGroup\nmetadata:\n  name: zero-trust-workload-identity-manager-og\n  namespace: ${NS}\nspec:\n  upgradeStrategy: Default\n`;
const subscription = (env = 'true') => `apiVersion: operators.coreos.com/v1alpha1
kind: Subscription
metadata:
  name: openshift-zero-trust-workload-identity-manager
  namespace: ${NS}
spec:
  source: redhat-operators
  sourceNamespace: openshift-marketplace
  name: openshift-zero-trust-workload-identity-manager
  channel: stable-v1
  config:
    env:
    - name: CREATE_ONLY_MODE
      value: "${env}"
`;

async function olmWorld() {
  const world = await World.create([spec], { seed: 7, start: Date.UTC(2026, 0, 15, 9), crypto: globalThis.crypto });
  const cluster = world.cluster('cluster1')!;
  // An OpenShift cluster of the world runs OLM already.
  const olm = world.openshift.get('cluster1')!.olm;
  const installed: { pkg: string; namespace: string; env: readonly EnvVar[] }[] = [];
  olm.onOperatorInstalled((pkg, namespace, env) => installed.push({ pkg, namespace, env }));
  return { world, cluster, olm, installed };
}

const csvOf = (world: World) => world.cluster('cluster1')!.store.find({ group: 'operators.coreos.com', kind: 'ClusterServiceVersion' }, NS, 'zero-trust-workload-identity-manager.v1.0.0');

/** `oc get csv` with the printer columns OLM_PRINTER_COLUMNS gives the kubectl emulation. */
function csvTable(objects: readonly KubeObject[]): string {
  const cols = OLM_PRINTER_COLUMNS['operators.coreos.com/ClusterServiceVersion'].v1alpha1;
  const rows = objects.map((o) => [
    o.metadata.name,
    ...cols.map((c) => {
      const p = parseJsonPath(`{${c.jsonPath}}`);
      const found = p.ok ? (p.value.find(o)[0] ?? []) : [];
      return found.length === 0 ? '' : printValue(found[0]);
    }),
  ]);
  return formatTable([['NAME', ...cols.map((c) => c.name.toUpperCase())], ...rows]);
}

describe('OLM: a Subscription installs its operator', () => {
  it('goes Subscription → InstallPlan → CSV Pending → InstallReady → Installing → Succeeded, with the Subscription env in the operator Deployment', async () => {
    const { world, cluster, installed } = await olmWorld();
    const applied = await world.run('oc apply -f -', { stdin: NAMESPACE + '---\n' + OPERATOR_GROUP + '---\n' + subscription() });
    expect(applied.stderr).toBe('');
    expect(csvOf(world)).toBeUndefined();
    await world.advance(60_000);

    const phases = world.events.ofType('olm.csv.phase').map((e) => e.data.phase);
    expect(phases).toEqual(['Pending', 'InstallReady', 'Installing', 'Succeeded']);
    const csv = csvOf(world)!;
    expect(csv.status).toMatchObject({ phase: 'Succeeded', reason: 'InstallSucceeded', message: 'install strategy completed with no errors' });
    expect((csv.status as { conditions: { phase: string; reason: string }[] }).conditions.map((c) => `${c.phase}/${c.reason}`)).toEqual([
      'Pending/RequirementsUnknown',
      'InstallReady/AllRequirementsMet',
      'Installing/InstallSucceeded',
      'Succeeded/InstallSucceeded',
    ]);
    expect(csv.metadata.annotations).toMatchObject({ 'olm.operatorGroup': 'zero-trust-workload-identity-manager-og', 'olm.operatorNamespace': NS, 'olm.targetNamespaces': '' });

    const sub = cluster.store.find({ group: 'operators.coreos.com', kind: 'Subscription' }, NS, 'openshift-zero-trust-workload-identity-manager')!;
    expect(sub.status).toMatchObject({ state: 'AtLatestKnown', installedCSV: 'zero-trust-workload-identity-manager.v1.0.0', currentCSV: 'zero-trust-workload-identity-manager.v1.0.0' });
    const planName = (sub.status as { installPlanRef: { name: string } }).installPlanRef.name;
    expect(planName).toMatch(/^install-[a-z0-9]{5}$/);
    const plan = cluster.store.find({ group: 'operators.coreos.com', kind: 'InstallPlan' }, NS, planName)!;
    expect(plan.spec).toMatchObject({ approval: 'Automatic', approved: true, clusterServiceVersionNames: ['zero-trust-workload-identity-manager.v1.0.0'] });
    expect(plan.status).toMatchObject({ phase: 'Complete' });

    const deploy = cluster.store.find('Deployment', NS, 'zero-trust-workload-identity-manager-controller-manager')!;
    const env = (deploy.spec as { template: { spec: { containers: { name: string; env: EnvVar[] }[] } } }).template.spec.containers[0]!.env;
    expect(env[0]).toMatchObject({ name: 'OPERATOR_NAMESPACE' });
    expect(env.at(-1)).toEqual({ name: 'CREATE_ONLY_MODE', value: 'true' });
    expect(deploy.metadata.labels).toMatchObject({ 'olm.owner': 'zero-trust-workload-identity-manager.v1.0.0', 'olm.owner.kind': 'ClusterServiceVersion', 'olm.managed': 'true' });
    expect(deploy.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ClusterServiceVersion', name: 'zero-trust-workload-identity-manager.v1.0.0' });
    const pods = await world.run(`oc get pods -n ${NS} -o jsonpath='{.items[*].status.phase}'`);
    expect(pods.stdout).toBe('Running');

    expect(installed).toHaveLength(1);
    expect(installed[0]).toMatchObject({ pkg: 'openshift-zero-trust-workload-identity-manager', namespace: NS });
    expect(installed[0]!.env.find((e) => e.name === 'CREATE_ONLY_MODE')).toEqual({ name: 'CREATE_ONLY_MODE', value: 'true' });

    expect(csvTable([csv])).toBe(
      'NAME                                          DISPLAY                                VERSION   REPLACES   PHASE\n' +
        'zero-trust-workload-identity-manager.v1.0.0   Zero Trust Workload Identity Manager   1.0.0                Succeeded\n',
    );
  });

  it('rolls the operator Deployment and re-notifies when the Subscription env changes', async () => {
    const { world, cluster, installed } = await olmWorld();
    await world.run('oc apply -f -', { stdin: NAMESPACE + '---\n' + OPERATOR_GROUP + '---\n' + subscription('true') });
    await world.advance(60_000);
    const patched = await world.run(`oc -n ${NS} patch subscription openshift-zero-trust-workload-identity-manager --type=merge -p '{"spec":{"config":{"env":[{"name":"CREATE_ONLY_MODE","value":"false"}]}}}'`);
    expect(patched.stderr).toBe('');
    await world.advance(10_000);
    const deploy = cluster.store.find('Deployment', NS, 'zero-trust-workload-identity-manager-controller-manager')!;
    expect(deploy.metadata.generation).toBe(2);
    expect(installed.map((i) => i.env.find((e) => e.name === 'CREATE_ONLY_MODE')?.value)).toEqual(['true', 'false']);
  });

  it('fails the CSV without an OperatorGroup, and installs once one appears', async () => {
    const { world, cluster, installed } = await olmWorld();
    await world.run('oc apply -f -', { stdin: NAMESPACE + '---\n' + subscription() });
    await world.advance(30_000);
    expect(csvOf(world)!.status).toMatchObject({ phase: 'Failed', reason: 'NoOperatorGroup', message: 'csv in namespace with no operatorgroups' });
    expect(cluster.store.find('Deployment', NS, 'zero-trust-workload-identity-manager-controller-manager')).toBeUndefined();
    expect(installed).toEqual([]);
    await world.run('oc apply -f -', { stdin: OPERATOR_GROUP });
    await world.advance(30_000);
    expect(csvOf(world)!.status).toMatchObject({ phase: 'Succeeded' });
    expect(installed).toHaveLength(1);
  });

  it('reports an unknown package as OLM does (ResolutionFailed)', async () => {
    const { world, cluster } = await olmWorld();
    await world.run('oc apply -f -', { stdin: NAMESPACE + '---\n' + OPERATOR_GROUP + '---\n' + subscription().replace('  name: openshift-zero-trust-workload-identity-manager\n  channel', '  name: zero-trust-workload-identity-manager\n  channel') });
    await world.advance(30_000);
    const sub = cluster.store.find({ group: 'operators.coreos.com', kind: 'Subscription' }, NS, 'openshift-zero-trust-workload-identity-manager')!;
    expect((sub.status as { conditions: unknown[] }).conditions).toContainEqual(
      expect.objectContaining({
        type: 'ResolutionFailed',
        status: 'True',
        reason: 'ConstraintsNotSatisfiable',
        message: 'constraints not satisfiable: no operators found in package zero-trust-workload-identity-manager in the catalog referenced by subscription openshift-zero-trust-workload-identity-manager, subscription openshift-zero-trust-workload-identity-manager exists',
      }),
    );
    expect(csvOf(world)).toBeUndefined();
  });

  it('waits for approval with installPlanApproval: Manual', async () => {
    const { world, cluster } = await olmWorld();
    await world.run('oc apply -f -', { stdin: NAMESPACE + '---\n' + OPERATOR_GROUP + '---\n' + subscription().replace('  channel: stable-v1\n', '  channel: stable-v1\n  installPlanApproval: Manual\n') });
    await world.advance(30_000);
    const sub = cluster.store.find({ group: 'operators.coreos.com', kind: 'Subscription' }, NS, 'openshift-zero-trust-workload-identity-manager')!;
    expect(sub.status).toMatchObject({ state: 'UpgradePending' });
    const plan = (sub.status as { installPlanRef: { name: string } }).installPlanRef.name;
    expect(cluster.store.find({ group: 'operators.coreos.com', kind: 'InstallPlan' }, NS, plan)!.status).toMatchObject({ phase: 'RequiresApproval' });
    expect(csvOf(world)).toBeUndefined();
    await world.run(`oc -n ${NS} patch installplan ${plan} --type=merge -p '{"spec":{"approved":true}}'`);
    await world.advance(30_000);
    expect(csvOf(world)!.status).toMatchObject({ phase: 'Succeeded' });
  });

  it('merges env as OLM does: same names in place, new names appended in order', () => {
    expect(mergeEnv([{ name: 'A', value: '1' }, { name: 'B', value: '2' }], [{ name: 'C', value: '3' }, { name: 'A', value: 'x' }])).toEqual([
      { name: 'A', value: 'x' },
      { name: 'B', value: '2' },
      { name: 'C', value: '3' },
    ]);
  });
});
