// Seed 001's own files on an OpenShift cluster: OLM installs the operator from the Subscription, the
// operator renders SPIRE from the CRs, the SPIRE models start from what it rendered.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { playScenario } from '../../../sim/scenario/index.ts';
import { scenarioFromText } from '../../helpers/scenario.ts';
import { repoRoot } from '../../helpers/shared.ts';

const seedFile = (name: string) => readFileSync(join(repoRoot, 'test/fixtures/seeds/001', name), 'utf8');
const NS = 'zero-trust-workload-identity-manager';

const scenario = (createOnly: boolean) =>
  scenarioFromText(`apiVersion: fedlab.dev/v1
kind: Scenario
metadata: { id: seed001-install, title: Seed 001 install }
versions: { kubernetes: "1.33", ztwim: "1.0.0" }
clusters:
  - name: cluster1
    trustDomain: apps.cluster1.example.com
    platform: openshift
    profile: ztwim
    baseDomain: cluster1.example.com
    nodes: 2
    manifests:
      - file: operator-install.yaml
${createOnly ? `        patches:
          - kind: Subscription
            name: openshift-zero-trust-workload-identity-manager
            namespace: ${NS}
            type: merge
            patch: { spec: { config: { env: [{ name: CREATE_ONLY_MODE, value: "true" }] } } }
` : ''}steps:
  - advance: 30s
  - apply:
      file: spire-stack.yaml
  - advance: 2m
`);

// The guide's envsubst values, and the one change ZTWIM 1.0 needs (persistence.type is not a field).
const files: Record<string, string> = {
  'operator-install.yaml': seedFile('operator-install.yaml'),
  'spire-stack.yaml': seedFile('spire-stack.yaml')
    .replaceAll('${APP_DOMAIN}', 'apps.cluster1.example.com')
    .replaceAll('${CLUSTER_NAME}', 'cluster1')
    .replaceAll('${JWT_ISSUER_ENDPOINT}', 'oidc-discovery.apps.cluster1.example.com')
    .replace(/^ {4}type: pvc\n/m, ''),
};

const play = (createOnly: boolean) => playScenario(scenario(createOnly), { variant: 'broken', crypto: globalThis.crypto, readFile: (p) => files[p] });

describe('ZTWIM on OpenShift, installed through OLM', () => {
  it('runs SPIRE from the operator\'s rendering: the product binary answers, drift is reverted', async () => {
    const r = await play(false);
    expect(r.steps.filter((s) => !s.ok)).toEqual([]);
    const csv = await r.world.run(`oc get csv -n ${NS}`);
    expect(csv.stdout).toMatch(/zero-trust-workload-identity-manager\.v1\.0\.0\s+Zero Trust Workload Identity Manager\s+1\.0\.0\s+Succeeded/);
    expect((await r.world.run(`oc -n ${NS} exec spire-server-0 -c spire-server -- /spire-server healthcheck`)).stdout).toBe('Server is healthy.\n');
    const wrongPath = await r.world.run(`oc -n ${NS} exec spire-server-0 -c spire-server -- /opt/spire/bin/spire-server healthcheck`);
    expect(wrongPath.exitCode).toBe(126);
    // a manual edit of the rendered server.conf is put back by the operator
    await r.world.run(`oc -n ${NS} patch configmap spire-server --type merge -p '{"data":{"server.conf":"{}"}}'`);
    expect((await r.world.run(`oc -n ${NS} get configmap spire-server -o jsonpath='{.data.server\\.conf}'`)).stdout).toContain('"trust_domain": "apps.cluster1.example.com"');
  }, 60_000);

  it('with CREATE_ONLY_MODE from the Subscription, a manual edit survives', async () => {
    const r = await play(true);
    expect(r.steps.filter((s) => !s.ok)).toEqual([]);
    await r.world.run(`oc -n ${NS} patch configmap spire-server --type merge -p '{"data":{"server.conf":"{}"}}'`);
    expect((await r.world.run(`oc -n ${NS} get configmap spire-server -o jsonpath='{.data.server\\.conf}'`)).stdout).toBe('{}');
  }, 60_000);

  it('a replaced spire-server-0 reloads its CA and datastore from the spire-data PVC, and the agents reconnect', async () => {
    const r = await play(false);
    const server = (cmd: string) => r.world.run(`oc -n ${NS} exec spire-server-0 -c spire-server -- /spire-server ${cmd}`);
    const before = (await server('bundle show')).stdout;
    const entries = (await server('entry count')).stdout;
    const restartAt = r.world.clock.now();
    await r.world.run(`oc -n ${NS} delete pod spire-server-0`);
    await r.world.advance(60_000);
    const log = (await r.world.run(`oc -n ${NS} logs spire-server-0 -c spire-server`)).stdout;
    expect(log).toContain('msg="X509 CA activated"');
    expect(log).not.toContain('msg="X509 CA prepared"');
    expect((await server('bundle show')).stdout).toBe(before);
    expect((await server('entry count')).stdout).toBe(entries);
    // The agents redial the Service and reach the new server (holding on to the old one, every sync would fail).
    const failures = r.world.events.all().filter((e) => e.type === 'spire.agent.sync.failed' && e.time > restartAt);
    expect(failures).toEqual([]);
  }, 60_000);
});

describe('OpenShift ships openshift-operators with the global-operators OperatorGroup', () => {
  it('an "All namespaces" Subscription there (OSSM 3, seed 000 Step 7) installs the CSV of the cluster\'s ossm version', async () => {
    const s = scenarioFromText(`apiVersion: fedlab.dev/v1
kind: Scenario
metadata: { id: ossm-install, title: OSSM install }
versions: { kubernetes: "1.33", ossm: "3.2.1" }
clusters:
  - name: cluster1
    trustDomain: apps.cluster1.example.com
    platform: openshift
steps:
  - apply:
      inline: |
        apiVersion: operators.coreos.com/v1alpha1
        kind: Subscription
        metadata: { name: servicemeshoperator3, namespace: openshift-operators }
        spec: { channel: stable, installPlanApproval: Automatic, name: servicemeshoperator3, source: redhat-operators, sourceNamespace: openshift-marketplace }
  - advance: 1m
`);
    const r = await playScenario(s, { variant: 'broken', crypto: globalThis.crypto, readFile: () => '' });
    expect(r.steps.filter((x) => !x.ok)).toEqual([]);
    expect((await r.world.run('oc get operatorgroup -n openshift-operators')).stdout).toMatch(/^global-operators\s/m);
    expect((await r.world.run('oc get csv -n openshift-operators')).stdout).toMatch(/servicemeshoperator3\.v3\.2\.1\s+Red Hat OpenShift Service Mesh 3\s+3\.2\.1\s+Succeeded/);
  }, 60_000);
});
