// Istio CNI's istio-validation init container: passes where an istio-cni-node pod runs, else exits 126 and
// crash-loops (the pod stays Pending, `Init:Error` then `Init:CrashLoopBackOff`) until the CNI agent repairs it.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../sim/core/clock.ts';
import { Rng } from '../../../sim/core/rng.ts';
import { CniValidation, VALIDATION_CONTAINER } from '../../../sim/world/cniValidation.ts';
import { ClusterStore } from '../../../sim/kube/store.ts';
import type { KubeObject } from '../../../sim/kube/object.ts';

function lab() {
  const clock = new VirtualClock(Date.UTC(2026, 0, 15, 9));
  const store = new ClusterStore({ clock, rng: new Rng('cni') });
  const logs = new Map<string, string>();
  let resyncs = 0;
  const cni = new CniValidation({ store, clock, setLog: (ns, pod, c, text) => logs.set(`${ns}/${pod}/${c}`, text), resync: () => resyncs++ });
  store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const node = store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } });
  if (!node.ok) throw new Error(node.error.message);
  const pod = (name: string, inits: string[], labels: Record<string, string> = {}): KubeObject => {
    const r = store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', labels },
      spec: {
        nodeName: 'node-1',
        initContainers: inits.map((n) => ({ name: n, image: 'docker.io/istio/proxyv2:1.27.3', ...(n === 'istio-proxy' ? { restartPolicy: 'Always' } : { args: ['istio-iptables', '-p', '15001', '-z', '15006'] }) })),
        containers: [{ name: 'curl', image: 'curlimages/curl' }],
      },
      status: { phase: 'Pending' },
    });
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  const advance = (ms: number) => clock.advance(ms);
  const status = (name: string) => store.find('Pod', 'default', name)!.status as { initContainerStatuses: { name: string; restartCount: number; state: Record<string, { reason?: string; exitCode?: number; message?: string }> }[]; phase: string };
  return { clock, store, cni, node: node.value, pod, advance, status, logs, resyncs: () => resyncs };
}

describe('istio-validation', () => {
  it('does not hold pods without it, nor pods on a node where istio-cni-node runs', () => {
    const l = lab();
    expect(l.cni.gate(l.pod('plain', ['istio-init']), l.node)).toBe(true);
    const cniPod = l.pod('istio-cni-node-abcde', [], { 'k8s-app': 'istio-cni-node' });
    l.store.updateStatus({ ...cniPod, status: { phase: 'Running' } });
    expect(l.cni.gate(l.pod('curl', [VALIDATION_CONTAINER, 'istio-proxy']), l.node)).toBe(true);
  });

  it('fails with exit 126 without the CNI plugin, restarts with back-off, and passes once the CNI agent runs', () => {
    const l = lab();
    const p = l.pod('curl', [VALIDATION_CONTAINER, 'istio-proxy']);
    expect(l.cni.gate(p, l.node)).toEqual({ reason: 'PodInitializing' });
    l.advance(0);
    expect(l.status('curl').initContainerStatuses[0]).toMatchObject({ name: VALIDATION_CONTAINER, restartCount: 0, state: { running: {} } });
    l.advance(5_000);
    // First failure: terminated (kubectl: Init:Error), restarted at once.
    expect(l.status('curl').initContainerStatuses[0]!.state.terminated).toMatchObject({ exitCode: 126, reason: 'Error' });
    expect(l.status('curl').initContainerStatuses[1]!.state.waiting!.reason).toBe('PodInitializing');
    expect(l.status('curl').phase).toBe('Pending');
    const log = l.logs.get(`default/curl/${VALIDATION_CONTAINER}`)!;
    expect(log).toContain('\tinfo\tListening on 127.0.0.1:15006\n');
    expect(log.match(/\terror\tError connecting to 127\.0\.0\.6:15002: dial tcp 127\.0\.0\.1:0->127\.0\.0\.6:15002: connect: connection refused\n/g)).toHaveLength(5);
    expect(log).toContain('\terror\tiptables validation failed; workload is not ready for Istio.\n');
    l.advance(1_000 + 5_000);
    expect(l.status('curl').initContainerStatuses[0]).toMatchObject({ restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff', message: expect.stringMatching(/^back-off 10s restarting failed container=istio-validation pod=curl_default\(/) } } });
    expect(l.cni.gate(l.store.find('Pod', 'default', 'curl')!, l.node)).toEqual({ reason: 'PodInitializing' });
    // The DaemonSet arrives: the repair controller fixes the pod, its next run passes.
    const cniPod = l.pod('istio-cni-node-abcde', [], { 'k8s-app': 'istio-cni-node' });
    l.store.updateStatus({ ...cniPod, status: { phase: 'Running' } });
    expect(l.resyncs()).toBe(0);
    l.advance(10_000);
    expect(l.resyncs()).toBe(1);
    expect(l.logs.get(`default/curl/${VALIDATION_CONTAINER}`)).toMatch(/\tinfo\tValidation passed, iptables rules established\n$/);
    expect(l.cni.gate(l.store.find('Pod', 'default', 'curl')!, l.node)).toBe(true);
  });
});
