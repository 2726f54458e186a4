import { describe, expect, it } from 'vitest';
import { podInvalidEvent, podInvalidMessage, validatePodSpec } from '../../../sim/kube/podValidation.ts';

const c = (name: string, extra: Record<string, unknown> = {}) => ({ name, image: 'img', ...extra });

describe('validatePodSpec', () => {
  it('accepts a plain pod; a volume with no source is defaulted to emptyDir', () => {
    expect(validatePodSpec({ spec: { containers: [c('a', { volumeMounts: [{ name: 'v', mountPath: '/v' }] })], volumes: [{ name: 'v' }] } })).toEqual([]);
  });

  it('reports an init container that reuses a regular container name on the init container', () => {
    const spec = { containers: [c('app'), { name: 'istio-proxy' }], initContainers: [c('istio-init'), c('istio-proxy', { restartPolicy: 'Always' })] };
    expect(validatePodSpec({ spec })).toEqual(['spec.containers[1].image: Required value', 'spec.initContainers[1].name: Duplicate value: "istio-proxy"']);
  });

  it('reports two volume sources on the later one, and the mount of the rejected volume as not found (volumes first)', () => {
    const spec = {
      containers: [c('istio-proxy', { volumeMounts: [{ name: 'workload-socket', mountPath: '/var/run/secrets/workload-spiffe-uds' }] })],
      volumes: [{ name: 'workload-socket', emptyDir: {}, csi: { driver: 'csi.spiffe.io' } }],
    };
    expect(validatePodSpec({ spec })).toEqual([
      'spec.volumes[0].csi: Forbidden: may not specify more than 1 volume type',
      'spec.containers[0].volumeMounts[0].name: Not found: "workload-socket"',
    ]);
  });

  it('duplicate names and mount paths', () => {
    const spec = {
      containers: [c('a', { volumeMounts: [{ name: 'v', mountPath: '/x' }, { name: 'v', mountPath: '/x' }] }), c('a')],
      volumes: [{ name: 'v', emptyDir: {} }, { name: 'v', emptyDir: {} }],
    };
    expect(validatePodSpec({ spec })).toEqual([
      'spec.volumes[1].name: Duplicate value: "v"',
      'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/x": must be unique',
      'spec.containers[1].name: Duplicate value: "a"',
    ]);
  });
});

describe('podInvalidMessage', () => {
  it('uses the aggregate format: one message bare, several bracketed, repeats dropped', () => {
    expect(podInvalidMessage('p', ['a: Required value'])).toBe('Pod "p" is invalid: a: Required value');
    expect(podInvalidMessage('p', ['a', 'b', 'a'])).toBe('Pod "p" is invalid: [a, b]');
    expect(podInvalidEvent('helloworld-v1-5f9c7-abcde', ['x', 'y'])).toBe('Error creating: Pod "helloworld-v1-5f9c7-abcde" is invalid: [x, y]');
  });
});
