// The Sail operator on the Istio CR of seed 000 step 9 (values.meshConfig under spec.values) and the
// IstioCNI of step 8: what it renders, and the status it reports.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { VirtualClock } from '../../../../sim/core/clock.ts';
import { Rng } from '../../../../sim/core/rng.ts';
import { startSailOperator } from '../../../../sim/istiod/install/sail.ts';
import type { KubeObject } from '../../../../sim/kube/object.ts';
import { ClusterStore } from '../../../../sim/kube/store.ts';

const must = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

function cluster() {
  const store = new ClusterStore({ clock: new VirtualClock(Date.UTC(2026, 0, 15)), rng: new Rng('sail') });
  for (const kind of ['Istio', 'IstioCNI', 'IstioRevision']) store.registerKind({ group: 'sailoperator.io', version: 'v1', kind, plural: `${kind.toLowerCase()}s`, namespaced: false, hasStatus: true });
  for (const ns of ['istio-system', 'istio-cni']) must(store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));
  return store;
}

const TEMPLATE = 'spec:\n  containers:\n  - name: istio-proxy\n    volumeMounts:\n    - name: workload-socket\n      mountPath: /run/secrets/workload-spiffe-uds\n      readOnly: true\n';
const istioCr = (version = 'v1.24.3') => ({
  apiVersion: 'sailoperator.io/v1',
  kind: 'Istio',
  metadata: { name: 'default', namespace: 'istio-system' },
  spec: {
    namespace: 'istio-system',
    version,
    values: {
      global: {
        meshID: 'mesh1',
        multiCluster: { clusterName: 'cluster1' },
        network: 'network1',
        meshNetworks: {
          network1: { endpoints: [{ fromRegistry: 'cluster1' }], gateways: [{ address: '198.51.100.10', port: 15443 }] },
          network2: { endpoints: [{ fromRegistry: 'cluster2' }], gateways: [{ address: '198.51.101.10', port: 15443 }] },
        },
      },
      meshConfig: { defaultConfig: { proxyMetadata: { CREDENTIAL_SOCKET_EXISTS: 'true' } }, trustDomain: 'cluster1.example', trustDomainAliases: ['cluster2.example'] },
      sidecarInjectorWebhook: { templates: { spire: TEMPLATE, 'spire-gateway': TEMPLATE } },
    },
  },
});

const cm = (store: ClusterStore, name: string) => must(store.get('ConfigMap', 'istio-system', name)).data as { mesh: string; meshNetworks: string; config: string; values: string };
const conditions = (o: KubeObject | undefined) => Object.fromEntries(((o?.status as { conditions?: { type: string; status: string; reason?: string }[] })?.conditions ?? []).map((c) => [c.type, `${c.status}/${c.reason ?? ''}`]));

describe('Sail operator: Istio CR (seed 000 step 9)', () => {
  it('renders meshNetworks, trustDomainAliases, proxyMetadata and the templates from spec.values', () => {
    const store = cluster();
    startSailOperator(store);
    must(store.create(istioCr()));
    store.settle();
    const data = cm(store, 'istio');
    const mesh = parse(data.mesh);
    expect(mesh).toMatchObject({ trustDomain: 'cluster1.example', trustDomainAliases: ['cluster2.example'], defaultConfig: { meshId: 'mesh1', discoveryAddress: 'istiod.istio-system.svc:15012', proxyMetadata: { CREDENTIAL_SOCKET_EXISTS: 'true' } } });
    expect(parse(data.meshNetworks)).toEqual({ networks: istioCr().spec.values.global.meshNetworks });
    const inj = cm(store, 'istio-sidecar-injector');
    expect(parse(inj.config).templates.spire).toBe(TEMPLATE);
    const values = JSON.parse(inj.values);
    expect(values.global).toMatchObject({ network: 'network1', platform: 'openshift', istioNamespace: 'istio-system' });
    expect(values.pilot).toMatchObject({ cni: { enabled: true, provider: 'multus' }, env: { ENABLE_GATEWAY_API_MANUAL_DEPLOYMENT: 'false' } });
  });

  it('deploys istiod with the OSSM image and CLUSTER_ID, owned through the IstioRevision', () => {
    const store = cluster();
    startSailOperator(store);
    must(store.create(istioCr()));
    store.settle();
    const d = must(store.get({ apiVersion: 'apps/v1', kind: 'Deployment' }, 'istio-system', 'istiod'));
    const c = (d.spec as { template: { spec: { containers: { image: string; env: { name: string; value?: string }[] }[] } } }).template.spec.containers[0]!;
    expect(c.image).toBe('registry.redhat.io/openshift-service-mesh/istio-pilot-rhel9:1.24.3');
    expect(c.env).toContainEqual({ name: 'CLUSTER_ID', value: 'cluster1' });
    const rev = must(store.get({ group: 'sailoperator.io', kind: 'IstioRevision' }, undefined, 'default'));
    expect(d.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'IstioRevision', name: 'default', uid: rev.metadata.uid });
    expect(store.find('ServiceAccount', 'istio-system', 'istio-reader-service-account')).toBeDefined();
  });

  it('reports IstiodNotReady, then Healthy once istiod has a ready replica; CNI missing is a dependency problem', () => {
    const store = cluster();
    startSailOperator(store);
    must(store.create(istioCr()));
    store.settle();
    const get = () => store.find({ group: 'sailoperator.io', kind: 'Istio' }, undefined, 'default');
    expect(conditions(get())).toMatchObject({ Reconciled: 'True/', Ready: 'False/IstiodNotReady', DependenciesHealthy: 'False/IstioCNINotFound' });
    const d = must(store.get({ apiVersion: 'apps/v1', kind: 'Deployment' }, 'istio-system', 'istiod'));
    must(store.updateStatus({ ...d, status: { replicas: 1, readyReplicas: 1, availableReplicas: 1 } }));
    store.settle();
    expect(conditions(get())).toMatchObject({ Ready: 'True/Healthy' });
    expect(get()?.status).toMatchObject({ state: 'Healthy', activeRevisionName: 'default', revisions: { total: 1, ready: 1, inUse: 0 } });
  });

  it('an unknown version fails reconciliation', () => {
    const store = cluster();
    startSailOperator(store);
    must(store.create(istioCr('v1.25.0')));
    store.settle();
    expect(conditions(store.find({ group: 'sailoperator.io', kind: 'Istio' }, undefined, 'default'))).toMatchObject({ Reconciled: 'False/ReconcileError' });
    expect(store.find({ apiVersion: 'apps/v1', kind: 'Deployment' }, 'istio-system', 'istiod')).toBeUndefined();
  });
});

describe('Sail operator: a target namespace that does not exist (seed 000 never creates istio-system)', () => {
  it('reports ossm:pkg/validation ValidateTargetNamespace\'s message, with the name quoted', () => {
    const store = new ClusterStore({ clock: new VirtualClock(Date.UTC(2026, 0, 15)), rng: new Rng('sail') });
    for (const kind of ['Istio', 'IstioCNI', 'IstioRevision']) store.registerKind({ group: 'sailoperator.io', version: 'v1', kind, plural: `${kind.toLowerCase()}s`, namespaced: false, hasStatus: true });
    startSailOperator(store);
    must(store.create(istioCr()));
    store.settle();
    const status = store.find({ group: 'sailoperator.io', kind: 'Istio' }, undefined, 'default')?.status as { conditions: { type: string; message?: string }[] };
    expect(status.conditions.find((c) => c.type === 'Reconciled')?.message).toBe('namespace "istio-system" doesn\'t exist');
  });
});

describe('Sail operator: IstioCNI (seed 000 step 8)', () => {
  it('deploys istio-cni-node and reports no pods scheduled until the DaemonSet has some', () => {
    const store = cluster();
    startSailOperator(store);
    must(store.create({ apiVersion: 'sailoperator.io/v1', kind: 'IstioCNI', metadata: { name: 'default' }, spec: { namespace: 'istio-cni', version: 'v1.24.3' } }));
    store.settle();
    const ds = must(store.get({ apiVersion: 'apps/v1', kind: 'DaemonSet' }, 'istio-cni', 'istio-cni-node'));
    expect(ds.metadata.labels?.['k8s-app']).toBe('istio-cni-node');
    expect((ds.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image).toBe('registry.redhat.io/openshift-service-mesh/istio-cni-rhel9:1.24.3');
    const cni = store.find({ group: 'sailoperator.io', kind: 'IstioCNI' }, undefined, 'default');
    expect(conditions(cni)).toMatchObject({ Ready: 'False/DaemonSetNotReady' });
  });
});
