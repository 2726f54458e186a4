import { describe, expect, it } from 'vitest';
import type { CallView } from '../../../../sim/driver.ts';
import { callStages, callTitle } from '../../../../ui/views/call/stages.ts';

// The shape of M08's denied call (a 403 from helloworld-v2's RBAC through west's east-west gateway).
const denied = {
  index: 0,
  time: 0,
  seq: 1,
  client: { cluster: 'east', namespace: 'default', pod: 'curl-59cf6bc4b-6r6f7' },
  ok: false,
  trace: {
    from: 'east/default/curl-59cf6bc4b-6r6f7',
    request: { method: 'GET', host: 'helloworld.default.svc.cluster.local', authority: 'helloworld:5000', port: 5000, path: '/hello', userAgent: 'curl/8.16.0' },
    stages: [
      { stage: 'route', ok: true, detail: 'helloworld:5000 → cluster outbound|5000||helloworld.default.svc.cluster.local' },
      { stage: 'endpoint', ok: true, detail: '1 endpoint(s) of network west-network reached through gateway 198.51.101.2:15443' },
    ],
    attempts: [
      {
        endpoint: '198.51.101.2:15443',
        stages: [
          { stage: 'gateway', ok: true, detail: 'gateway routes SNI', refs: [{ kind: 'Gateway', namespace: 'istio-system', name: 'cross-network-gateway', cluster: 'west' }] },
          { stage: 'client-tls', ok: true, detail: 'curl accepts spiffe://west.local/ns/default/sa/default' },
          { stage: 'server-tls', ok: true, detail: 'helloworld-v2 accepts client spiffe://east.local/ns/default/sa/curl' },
          { stage: 'rbac', ok: false, detail: 'no ALLOW rule of default/allow-curl-from-east matches', refs: [{ kind: 'AuthorizationPolicy', namespace: 'default', name: 'allow-curl-from-east', cluster: 'west' }] },
        ],
      },
    ],
    response: { status: 403, body: 'RBAC: access denied', headers: {} },
    localReply: { status: 403, body: 'RBAC: access denied', contentType: 'text/plain', responseFlags: '-', responseCodeDetails: 'rbac_access_denied_matched_policy[none]', transportFailureReason: '' },
  },
} as unknown as CallView;

describe('call stages', () => {
  it('lays a denied call out in pipeline order with RBAC failing and the app not reached', () => {
    const s = callStages(denied);
    expect(s.strip.map((c) => `${c.stage}:${c.status}`)).toEqual(['route:ok', 'endpoint:ok', 'gateway:ok', 'client-tls:ok', 'server-tls:ok', 'rbac:fail', 'app:not-reached']);
    expect(s.rows[s.failing!]).toMatchObject({ stage: 'rbac', attempt: 1, endpoint: '198.51.101.2:15443' });
    expect(s.rows[s.failing!]!.refs[0]).toMatchObject({ kind: 'AuthorizationPolicy', cluster: 'west' });
    expect(s.summary).toBe('403 rbac_access_denied_matched_policy[none]: failed at RBAC — no ALLOW rule of default/allow-curl-from-east matches');
    expect(callTitle(denied)).toBe('east/curl-59cf6bc4b-6r6f7 → GET helloworld:5000/hello');
  });

  it('marks the app reached for a served call, and only the last attempt decides', () => {
    const retried = {
      ...denied,
      ok: true,
      trace: {
        ...denied.trace,
        attempts: [
          { endpoint: '10.0.0.1:5000', stages: [{ stage: 'client-tls', ok: false, detail: 'bad cert' }], failure: 'reset' },
          { endpoint: '10.0.0.2:5000', stages: [{ stage: 'client-tls', ok: true, detail: 'ok' }, { stage: 'server-tls', ok: true, detail: 'ok' }] },
        ],
        response: { status: 200, body: 'Hello', headers: {} },
        localReply: undefined,
        servedBy: { cluster: 'west', pod: 'helloworld-v2-x' },
      },
    } as unknown as CallView;
    const s = callStages(retried);
    expect(s.failing).toBeUndefined();
    expect(s.attempts).toBe(2);
    expect(s.strip.find((c) => c.stage === 'app')?.status).toBe('ok');
    expect(s.strip.find((c) => c.stage === 'rbac')?.status).toBe('not-reached');
    expect(s.rows.filter((r) => r.attempt === 1)).toHaveLength(1);
  });
});
