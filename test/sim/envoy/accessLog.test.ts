// Istio's default access-log line, held to lines from a real proxy (istio#51267) and the spec (§3.4, §6.5).
import { describe, expect, it } from 'vitest';
import { accessLogLine, filterChainNotFoundLine, inboundLine, passthroughLine, tcpAccessLogLine } from '../../../sim/envoy/accessLog.ts';
import { rbacDenied } from '../../../sim/envoy/localReply.ts';

describe('access log', () => {
  it('reproduces an inbound 503 from istio#51267 byte for byte', () => {
    const line = accessLogLine({
      startTime: Date.parse('2024-05-28T15:12:57.143Z'),
      method: 'POST',
      path: '/plugins/high-availability/event/ref-updated',
      protocol: 'HTTP/1.1',
      code: 503,
      flags: 'UF',
      details: 'upstream_reset_before_response_started{remote_connection_failure,delayed connect error: 111}',
      transportFailureReason: 'delayed connect error: 111',
      bytesReceived: 398,
      bytesSent: 152,
      duration: 0,
      userAgent: 'Apache-HttpClient/4.5.14 (Java/17.0.10)',
      requestId: '87383523-4754-4ac6-9acd-5e63d4cebb65',
      authority: 'redacted.svc.cluster.local:8080',
      upstreamHost: '100.72.2.83:8080',
      upstreamCluster: 'inbound|8080||',
      downstreamLocalAddress: '100.72.2.83:8080',
      downstreamRemoteAddress: '100.72.9.85:44759',
      routeName: 'default',
    });
    expect(line).toBe(
      '[2024-05-28T15:12:57.143Z] "POST /plugins/high-availability/event/ref-updated HTTP/1.1" 503 UF upstream_reset_before_response_started{remote_connection_failure,delayed_connect_error:_111} - "delayed_connect_error:_111" 398 152 0 - "-" "Apache-HttpClient/4.5.14 (Java/17.0.10)" "87383523-4754-4ac6-9acd-5e63d4cebb65" "redacted.svc.cluster.local:8080" "100.72.2.83:8080" inbound|8080|| - 100.72.2.83:8080 100.72.9.85:44759 - default',
    );
  });

  it('reproduces a TCP line from istio#51267', () => {
    expect(
      tcpAccessLogLine({
        startTime: Date.parse('2024-05-28T18:42:53.929Z'),
        flags: 'UF,URX',
        transportFailureReason: 'delayed connect error: 111',
        upstreamHost: '100.72.2.95:7801',
        upstreamCluster: 'InboundPassthroughClusterIpv4',
        downstreamLocalAddress: '100.72.2.95:7801',
        downstreamRemoteAddress: '100.72.9.97:33948',
      }),
    ).toBe('[2024-05-28T18:42:53.929Z] "- - -" 0 UF,URX - - "delayed_connect_error:_111" 0 0 0 - "-" "-" "-" "-" "100.72.2.95:7801" InboundPassthroughClusterIpv4 - 100.72.2.95:7801 100.72.9.97:33948 - -');
  });

  it('the server-side RBAC denial of spec §6.5', () => {
    const reply = rbacDenied();
    expect(
      accessLogLine({
        startTime: Date.parse('2026-01-15T09:00:00Z'),
        method: 'GET',
        path: '/hello',
        protocol: 'HTTP/1.1',
        code: reply.status,
        flags: reply.responseFlags,
        details: reply.responseCodeDetails,
        bytesSent: reply.body.length,
        userAgent: 'curl/8.16.0',
        requestId: 'b2c3',
        authority: 'helloworld:5000',
        upstreamCluster: 'inbound|5000||',
        downstreamLocalAddress: '10.244.0.12:5000',
        downstreamRemoteAddress: '10.244.0.9:41234',
        requestedServerName: 'outbound_.5000_._.helloworld.default.svc.cluster.local',
        routeName: 'default',
      }),
    ).toBe(
      '[2026-01-15T09:00:00.000Z] "GET /hello HTTP/1.1" 403 - rbac_access_denied_matched_policy[none] - "-" 0 19 0 - "-" "curl/8.16.0" "b2c3" "helloworld:5000" "-" inbound|5000|| - 10.244.0.12:5000 10.244.0.9:41234 outbound_.5000_._.helloworld.default.svc.cluster.local default',
    );
  });

  it('east-west gateway: no filter chain for the SNI (spec §3.4)', () => {
    expect(
      filterChainNotFoundLine({
        startTime: Date.parse('2026-01-15T09:00:00.250Z'),
        downstreamLocalAddress: '10.244.1.7:15443',
        downstreamRemoteAddress: '172.18.0.2:53122',
        requestedServerName: 'outbound_.80_._.svcB.apps.svc.cluster.local',
      }),
    ).toBe('[2026-01-15T09:00:00.250Z] "- - -" 0 NR filter_chain_not_found - "-" 0 0 0 - "-" "-" "-" "-" "-" - - 10.244.1.7:15443 172.18.0.2:53122 outbound_.80_._.svcB.apps.svc.cluster.local -');
  });

  it('east-west gateway: passthrough to a local pod (spec §3.4)', () => {
    expect(
      passthroughLine({
        startTime: Date.parse('2026-01-15T09:00:01Z'),
        bytesReceived: 1843,
        bytesSent: 2941,
        duration: 12,
        upstreamHost: '10.244.1.9:5000',
        upstreamCluster: 'outbound_.5000_._.helloworld.default.svc.cluster.local',
        upstreamLocalAddress: '10.244.1.7:40312',
        downstreamLocalAddress: '10.244.1.7:15443',
        downstreamRemoteAddress: '172.18.0.2:53124',
        requestedServerName: 'outbound_.5000_._.helloworld.default.svc.cluster.local',
      }),
    ).toBe(
      '[2026-01-15T09:00:01.000Z] "- - -" 0 - - - "-" 1843 2941 12 - "-" "-" "-" "-" "10.244.1.9:5000" outbound_.5000_._.helloworld.default.svc.cluster.local 10.244.1.7:40312 10.244.1.7:15443 172.18.0.2:53124 outbound_.5000_._.helloworld.default.svc.cluster.local -',
    );
  });
});

describe('the server sidecar\'s inbound line', () => {
  const base = { startTime: Date.parse('2026-01-15T09:00:02Z'), method: 'GET', path: '/hello', userAgent: 'curl/8.16.0', authority: 'helloworld:5000', podAddress: '10.12.1.115:5000', port: 5000, downstreamRemoteAddress: '10.12.0.19:51236', requestedServerName: 'outbound_.5000_._.helloworld.default.svc.cluster.local' };

  it('logs an RBAC denial as research §6.5 shows it: no upstream host, cluster inbound|5000||', () => {
    const r = rbacDenied();
    expect(inboundLine({ ...base, code: r.status, details: r.responseCodeDetails, bytesSent: r.body.length })).toBe(
      '[2026-01-15T09:00:02.000Z] "GET /hello HTTP/1.1" 403 - rbac_access_denied_matched_policy[none] - "-" 0 19 0 - "-" "curl/8.16.0" "-" "helloworld:5000" "-" inbound|5000|| - 10.12.1.115:5000 10.12.0.19:51236 outbound_.5000_._.helloworld.default.svc.cluster.local default',
    );
  });

  it('logs a served request with the pod as upstream host, from 127.0.0.6', () => {
    expect(inboundLine({ ...base, code: 200, details: 'via_upstream', bytesSent: 60, upstreamLocalAddress: '127.0.0.6:40000' })).toContain(
      '"GET /hello HTTP/1.1" 200 - via_upstream - "-" 0 60 0 - "-" "curl/8.16.0" "-" "helloworld:5000" "10.12.1.115:5000" inbound|5000|| 127.0.0.6:40000 10.12.1.115:5000 10.12.0.19:51236 outbound_.5000_._.',
    );
  });
});
