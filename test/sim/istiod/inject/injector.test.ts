import { describe, expect, it } from 'vitest';
import { injectPod, injectionWanted, detectNativeSidecar, userVolumeEntries, type PodLike } from '../../../../sim/istiod/inject/index.ts';
import { podInvalidMessage, validatePodSpec } from '../../../../sim/kube/podValidation.ts';
import { GOLDEN_NODES, OLD_NODES, kubeInjectContext, podTemplateOf, spireConfig } from './fixtures.ts';

type Obj = Record<string, unknown>;

/** The upstream 1.29 sample's `spire` template (samples/security/spire-trust-domain-federation/istio.tmpl): targets initContainers. */
const SPIRE_INIT = `spec:
  initContainers:
  - name: istio-proxy
    volumeMounts:
    - name: workload-socket
      mountPath: /var/run/secrets/workload-spiffe-uds
  volumes:
  - name: workload-socket
    csi:
      driver: "csi.spiffe.io"
      readOnly: true
`;

const names = (list: unknown): string[] => (Array.isArray(list) ? list.map((c) => String((c as Obj).name)) : []);
const containerOf = (pod: PodLike, list: 'containers' | 'initContainers', name: string): Obj | undefined =>
  (pod.spec[list] as Obj[] | undefined)?.find((c) => c.name === name);
const envOf = (c: Obj | undefined): [string, unknown][] => ((c?.env as Obj[] | undefined) ?? []).map((e) => [String(e.name), e.value]);

function inject(file: string, name: string, config = spireConfig(), nodes = GOLDEN_NODES): PodLike {
  const r = injectPod(podTemplateOf(file), kubeInjectContext(name, config, nodes));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('native sidecars and the duplicate istio-proxy (M10)', () => {
  it('kubelet 1.32 under auto: proxy in containers, the spire patch merges into it, the pod is valid', () => {
    const pod = inject('sidecar-spire.yaml', 'hello', spireConfig(), OLD_NODES);
    expect(names(pod.spec.containers)).toEqual(['hello', 'istio-proxy']);
    expect(names(pod.spec.initContainers)).toEqual(['istio-init']);
    expect(validatePodSpec(pod)).toEqual([]);
    const proxy = containerOf(pod, 'containers', 'istio-proxy');
    expect(proxy?.image).toBe('registry.istio.io/testing/proxyv2:latest');
    expect(proxy?.restartPolicy).toBeUndefined();
    expect((proxy?.volumeMounts as Obj[])[0]).toEqual({ mountPath: '/var/run/secrets/workload-spiffe-uds', name: 'workload-socket', readOnly: true });
  });

  it('1.26 never goes native by default (ENABLE_NATIVE_SIDECARS was a bool, default false)', () => {
    const pod = inject('sidecar-spire.yaml', 'hello', spireConfig({ istioVersion: '1.26.0', nativeSidecars: 'auto' }));
    expect(validatePodSpec(pod)).toEqual([]);
    expect(names(pod.spec.containers)).toEqual(['hello', 'istio-proxy']);
  });

  it('the pod annotation sidecar.istio.io/nativeSidecar=false wins over auto', () => {
    const tpl = podTemplateOf('sidecar-spire.yaml');
    (tpl.metadata?.annotations as Record<string, string>)['sidecar.istio.io/nativeSidecar'] = 'false';
    const r = injectPod(tpl, kubeInjectContext('hello', spireConfig()));
    if (!r.ok) throw new Error(r.error.message);
    expect(validatePodSpec(r.value)).toEqual([]);
  });

  it('the 1.29 sample template (initContainers) works with native sidecars and breaks without (mirror image)', () => {
    const native = inject('sidecar-spire.yaml', 'hello', spireConfig({ templates: { spire: SPIRE_INIT } }));
    expect(validatePodSpec(native)).toEqual([]);
    expect(names(native.spec.initContainers)).toEqual(['istio-init', 'istio-proxy']);
    expect((native.spec.volumes as Obj[])[0]).toEqual({ name: 'workload-socket', csi: { driver: 'csi.spiffe.io', readOnly: true } });

    const classic = inject('sidecar-spire.yaml', 'hello', spireConfig({ templates: { spire: SPIRE_INIT }, nativeSidecars: 'false' }));
    // reorderPod sees istio-proxy among the init containers and uses the native order: istio-init first.
    expect(names(classic.spec.initContainers)).toEqual(['istio-init', 'istio-proxy']);
    expect(names(classic.spec.containers)).toEqual(['hello', 'istio-proxy']);
    expect(validatePodSpec(classic)).toEqual(['spec.initContainers[1].image: Required value', 'spec.initContainers[1].name: Duplicate value: "istio-proxy"']);
  });

  it('a user-declared istio-proxy in containers is moved to initContainers with native sidecars (the "weird hack")', () => {
    const tpl = podTemplateOf('sidecar-spire.yaml');
    (tpl.spec.containers as Obj[]).push({ name: 'istio-proxy', image: 'auto', resources: { limits: { memory: '2Gi' } } });
    (tpl.metadata?.annotations as Record<string, string>)['inject.istio.io/templates'] = 'sidecar';
    const r = injectPod(tpl, kubeInjectContext('hello', spireConfig()));
    if (!r.ok) throw new Error(r.error.message);
    expect(names(r.value.spec.containers)).toEqual(['hello']);
    expect(validatePodSpec(r.value)).toEqual([]);
    const proxy = containerOf(r.value, 'initContainers', 'istio-proxy');
    expect(proxy?.image).toBe('registry.istio.io/testing/proxyv2:latest');
    expect((proxy?.resources as Obj).limits).toEqual({ cpu: '2', memory: '2Gi' });
  });
});

describe('gateway template versions', () => {
  it('before 1.27 emptyDir: {} plus the csi overlay is two volume sources', () => {
    const pod = inject('gateway-spire.yaml', 'istio-ingressgateway', spireConfig({ istioVersion: '1.26.3' }));
    expect((pod.spec.volumes as Obj[])[0]).toEqual({ name: 'workload-socket', emptyDir: {}, csi: { driver: 'csi.spiffe.io', readOnly: true } });
    const msgs = validatePodSpec(pod);
    expect(msgs).toEqual(['spec.volumes[0].csi: Forbidden: may not specify more than 1 volume type', 'spec.containers[0].volumeMounts[0].name: Not found: "workload-socket"']);
    // istio commit e5907438192's message, from a real cluster.
    expect(podInvalidMessage('<pod-name>', msgs)).toBe(
      'Pod "<pod-name>" is invalid: [spec.volumes[0].csi: Forbidden: may not specify more than 1 volume type, spec.containers[0].volumeMounts[0].name: Not found: "workload-socket"]',
    );
  });

  it('from 1.27 the csi volume replaces the null emptyDir', () => {
    const pod = inject('gateway-spire.yaml', 'istio-ingressgateway', spireConfig({ istioVersion: '1.27.0' }));
    expect(validatePodSpec(pod)).toEqual([]);
  });

  it('is never native, even with ENABLE_NATIVE_SIDECARS=true', () => {
    const pod = inject('gateway-spire.yaml', 'istio-ingressgateway', spireConfig({ nativeSidecars: 'true' }));
    expect(pod.spec.initContainers).toBeUndefined();
    expect(names(pod.spec.containers)).toEqual(['istio-proxy']);
  });

  it('version-gated env: GOMAXPROCS through 1.30, divisor from 1.29', () => {
    const old = containerOf(inject('gateway-spire.yaml', 'gw', spireConfig({ istioVersion: '1.24.3' })), 'containers', 'istio-proxy');
    const env = (old?.env as Obj[]).find((e) => e.name === 'GOMAXPROCS');
    expect(env?.valueFrom).toEqual({ resourceFieldRef: { resource: 'limits.cpu' } });
    const master = containerOf(inject('gateway-spire.yaml', 'gw'), 'containers', 'istio-proxy');
    expect(envOf(master).map(([n]) => n)).not.toContain('GOMAXPROCS');
  });
});

describe('templates', () => {
  it('an unknown template name is refused with upstream wording', () => {
    const tpl = podTemplateOf('sidecar-spire.yaml');
    (tpl.metadata?.annotations as Record<string, string>)['inject.istio.io/templates'] = 'sidecar,spire-workload';
    const r = injectPod(tpl, kubeInjectContext('hello', spireConfig()));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('istiod/inject-template-not-found');
    expect(r.error.message).toBe(
      'failed to run injection template: requested template "spire-workload" not found; have agentgateway, agentgateway-waypoint, gateway, grpc-agent, grpc-simple, kube-gateway, sidecar, spire, waypoint',
    );
  });

  it('a custom template with Go template actions is refused clearly', () => {
    const r = injectPod(podTemplateOf('sidecar-spire.yaml'), kubeInjectContext('hello', spireConfig({ templates: { spire: 'spec:\n  containers: {{ .Foo }}\n' } })));
    expect(r.ok ? undefined : r.error.code).toBe('istiod/inject-template-unsupported');
  });

  it('defaults to the sidecar template; proxyMetadata becomes istio-proxy env; network label and env from values', () => {
    const tpl = podTemplateOf('sidecar-spire.yaml');
    delete (tpl.metadata?.annotations as Record<string, string>)['inject.istio.io/templates'];
    const values = { global: { network: 'network1', meshID: 'mesh1', multiCluster: { clusterName: 'west' } } };
    const config = spireConfig({ values, templates: {}, meshConfig: { trustDomain: 'west.local', defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' } } } });
    const r = injectPod(tpl, kubeInjectContext('hello', config));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.metadata?.labels?.['topology.istio.io/network']).toBe('network1');
    const env = envOf(containerOf(r.value, 'initContainers', 'istio-proxy'));
    // updateClusterEnvs: ISTIO_META_CLUSTER_ID / ISTIO_META_NETWORK are moved to the end, sorted.
    expect(env.slice(-5)).toEqual([
      ['ISTIO_META_MESH_ID', 'mesh1'],
      ['TRUST_DOMAIN', 'west.local'],
      ['ISTIO_META_DNS_CAPTURE', 'true'],
      ['ISTIO_META_CLUSTER_ID', 'west'],
      ['ISTIO_META_NETWORK', 'network1'],
    ]);
    expect(env.find(([n]) => n === 'PROXY_CONFIG')?.[1]).toBe('{"proxyMetadata":{"ISTIO_META_DNS_CAPTURE":"true"}}\n');
    expect(validatePodSpec(r.value)).toEqual([]);
  });

  it('Istio CNI: istio-validation instead of istio-init', () => {
    const pod = inject('sidecar-spire.yaml', 'hello', spireConfig({ values: { pilot: { cni: { enabled: true } } } }));
    expect(names(pod.spec.initContainers)).toEqual(['istio-validation', 'istio-proxy']);
    const v = containerOf(pod, 'initContainers', 'istio-validation');
    expect((v?.args as string[]).slice(-2)).toEqual(['--run-validation', '--skip-rule-apply']);
    expect(v?.securityContext).toMatchObject({ runAsUser: 1337, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(pod.metadata?.annotations?.['sidecar.istio.io/interceptionMode']).toBe('REDIRECT');
  });
});

describe('userVolume annotations', () => {
  const annotate = (a: Record<string, string>) => {
    const tpl = podTemplateOf('sidecar-spire.yaml');
    Object.assign(tpl.metadata?.annotations as Record<string, string>, { 'inject.istio.io/templates': 'sidecar', ...a });
    return tpl;
  };
  const SPIRE_OBJECT = {
    'sidecar.istio.io/userVolume': '{"workload-socket":{"csi":{"driver":"csi.spiffe.io","readOnly":true}}}',
    'sidecar.istio.io/userVolumeMount': '{"workload-socket":{"mountPath":"/var/run/secrets/workload-spiffe-uds","readOnly":true}}',
  };

  it('the object form merges into the template workload-socket in either sidecar mode', () => {
    for (const nodes of [GOLDEN_NODES, OLD_NODES]) {
      const r = injectPod(annotate(SPIRE_OBJECT), kubeInjectContext('hello', spireConfig(), nodes));
      if (!r.ok) throw new Error(r.error.message);
      expect(validatePodSpec(r.value)).toEqual([]);
      expect((r.value.spec.volumes as Obj[])[0]).toEqual({ name: 'workload-socket', csi: { driver: 'csi.spiffe.io', readOnly: true } });
      const status = JSON.parse(String(r.value.metadata?.annotations?.['sidecar.istio.io/status'])) as Obj;
      expect((status.volumes as string[]).filter((n) => n === 'workload-socket')).toHaveLength(1);
    }
  });

  it('the array form (seed 000) keeps each element`s own name (last duplicate key wins); without one it is "0"', () => {
    expect(userVolumeEntries({ 'sidecar.istio.io/userVolume': '[{"name":"workload-socket","csi":{"driver":"csi.spiffe.io"}},{"emptyDir":{}}]' }, 'sidecar.istio.io/userVolume')).toEqual({
      ok: true,
      value: [
        { name: 'workload-socket', csi: { driver: 'csi.spiffe.io' } },
        { name: '1', emptyDir: {} },
      ],
    });
    const r = injectPod(
      annotate({
        'sidecar.istio.io/userVolume': '[{"name":"workload-socket","csi":{"driver":"csi.spiffe.io","readOnly":true}}]',
        'sidecar.istio.io/userVolumeMount': '[{"name":"workload-socket","mountPath":"/run/secrets/workload-spiffe-uds","readOnly":true}]',
      }),
      kubeInjectContext('hello', spireConfig()),
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(validatePodSpec(r.value)).toEqual([]);
    const mounts = containerOf(r.value, 'initContainers', 'istio-proxy')?.volumeMounts as Obj[];
    expect(mounts.filter((m) => m.name === 'workload-socket').map((m) => m.mountPath)).toEqual(['/var/run/secrets/workload-spiffe-uds', '/run/secrets/workload-spiffe-uds']);
  });

  it('invalid JSON fails the injection', () => {
    const r = injectPod(annotate({ 'sidecar.istio.io/userVolume': '{nope' }), kubeInjectContext('hello', spireConfig()));
    expect(r.ok ? undefined : r.error.code).toBe('istiod/inject-invalid-annotation');
  });
});

describe('injectionWanted and native detection', () => {
  const pod = (labels: Record<string, string> = {}, hostNetwork = false): PodLike => ({ metadata: { labels }, spec: { containers: [{ name: 'a', image: 'x' }], hostNetwork } });
  const cfg = { values: {} };
  it('follows the webhook selectors and injectRequired', () => {
    expect(injectionWanted(pod(), 'default', { 'istio-injection': 'enabled' }, cfg)).toBe(true);
    expect(injectionWanted(pod({ 'sidecar.istio.io/inject': 'false' }), 'default', { 'istio-injection': 'enabled' }, cfg)).toBe(false);
    expect(injectionWanted(pod(), 'default', { 'istio.io/rev': 'default' }, cfg)).toBe(true);
    expect(injectionWanted(pod(), 'default', { 'istio.io/rev': 'canary' }, cfg)).toBe(false);
    expect(injectionWanted(pod(), 'default', {}, cfg)).toBe(false);
    expect(injectionWanted(pod({ 'sidecar.istio.io/inject': 'true' }), 'default', {}, cfg)).toBe(true);
    expect(injectionWanted(pod({}, true), 'default', { 'istio-injection': 'enabled' }, cfg)).toBe(false);
    expect(injectionWanted(pod(), 'kube-system', { 'istio-injection': 'enabled' }, cfg)).toBe(false);
    expect(injectionWanted(pod(), 'default', { 'istio.io/rev': 'canary' }, { values: { revision: 'canary' } })).toBe(true);
  });

  it('auto: the pod`s node if scheduled, else every node, kubelet ≥ 1.33', () => {
    const base = { istioVersion: '1.27.0', mode: 'auto' as const, nodes: OLD_NODES };
    expect(detectNativeSidecar(base)).toBe(false);
    expect(detectNativeSidecar({ ...base, nodeName: 'node-2' })).toBe(true);
    expect(detectNativeSidecar({ ...base, nodeName: 'node-9' })).toBe(false);
    expect(detectNativeSidecar({ ...base, istioVersion: '1.26.5', mode: 'true' })).toBe(true);
    expect(detectNativeSidecar({ ...base, istioVersion: '1.26.5', mode: 'auto', nodes: GOLDEN_NODES })).toBe(false);
  });
});
