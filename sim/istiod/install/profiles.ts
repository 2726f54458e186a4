/**
 * IstioOperator profiles as istioctl reads them (istio:manifests/profiles/*.yaml, identical in 1.24.3 and
 * 1.27.0 for the fields kept here). Every profile is applied on top of `default` (operator/pkg/render/
 * manifest.go `readProfile`); lists such as `components.ingressGateways` replace, maps merge.
 * Simplified: `spec.hub`/`spec.tag` of the default profile (gcr.io/istio-testing:latest) are left out
 * because a released istioctl always overlays its own hub and tag (`hubTagOverlay`).
 */
type Obj = Record<string, unknown>;

const DEFAULT: Obj = {
  apiVersion: 'install.istio.io/v1alpha1',
  kind: 'IstioOperator',
  metadata: { namespace: 'istio-system' },
  spec: {
    components: {
      base: { enabled: true },
      pilot: { enabled: true },
      ingressGateways: [{ name: 'istio-ingressgateway', enabled: true }],
      egressGateways: [{ name: 'istio-egressgateway', enabled: false }],
    },
    values: {
      defaultRevision: '',
      global: { istioNamespace: 'istio-system', configValidation: true },
      gateways: { 'istio-ingressgateway': {}, 'istio-egressgateway': {} },
      ztunnel: { resourceName: 'ztunnel' },
    },
  },
};

const spec = (s: Obj): Obj => ({ apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', spec: s });
const noIngress = [{ name: 'istio-ingressgateway', enabled: false }];

export const PROFILES: Readonly<Record<string, Obj>> = {
  default: DEFAULT,
  minimal: spec({ components: { ingressGateways: noIngress } }),
  empty: spec({ components: { base: { enabled: false }, pilot: { enabled: false }, ingressGateways: noIngress } }),
  demo: spec({ components: { egressGateways: [{ name: 'istio-egressgateway', enabled: true }] }, values: { profile: 'demo' } }),
  remote: spec({ components: { base: { enabled: true }, pilot: { enabled: true }, ingressGateways: noIngress }, values: { profile: 'remote' } }),
  stable: spec({ values: { profile: 'stable' } }),
  preview: spec({ values: { profile: 'preview' } }),
  ambient: spec({ components: { cni: { enabled: true }, ztunnel: { enabled: true }, ingressGateways: noIngress }, values: { profile: 'ambient' } }),
  openshift: spec({ components: { cni: { enabled: true, namespace: 'kube-system' } }, values: { global: { platform: 'openshift' } } }),
  'openshift-ambient': spec({
    components: { cni: { enabled: true, namespace: 'kube-system' }, ztunnel: { enabled: true, namespace: 'kube-system' }, ingressGateways: noIngress },
    values: { profile: 'ambient', global: { platform: 'openshift' } },
  }),
};

export const profileNames = (): string[] => Object.keys(PROFILES).sort();
