// pilot-agent (Istio pkg/log) and Envoy (bootstrap text_format) log lines.
import { describe, expect, it } from 'vitest';
import {
  agentLogLine,
  configNotReadyReason,
  envoyLogLine,
  envoyNotReady,
  existingWorkloadSocket,
  caEndpoint,
  FILE_MOUNTED_CERTS,
  istioLogTime,
  SDS_GRPC_STARTING,
  udsReadOnlyError,
  udsSetupFailures,
  sdsListening,
  STARTING_DEFAULT_SDS,
} from '../../../sim/envoy/pilotAgentLog.ts';

const T = Date.parse('2026-01-15T09:00:00Z');

describe('pilot-agent log lines', () => {
  it('time has microseconds, UTC', () => {
    expect(istioLogTime(T)).toBe('2026-01-15T09:00:00.000000Z');
    expect(istioLogTime(T + 123)).toBe('2026-01-15T09:00:00.123000Z');
  });

  it('scoped line: time, level, scope, message separated by tabs', () => {
    expect(agentLogLine(T, SDS_GRPC_STARTING)).toBe('2026-01-15T09:00:00.000000Z\tinfo\tsds\tStarting SDS grpc server');
    expect(agentLogLine(T, sdsListening(false))).toBe(
      '2026-01-15T09:00:00.000000Z\tinfo\tsds\tStarting SDS server for workload certificates, will listen on "var/run/secrets/workload-spiffe-uds/socket"',
    );
    expect(agentLogLine(T, sdsListening(true))).toBe(
      '2026-01-15T09:00:00.000000Z\tinfo\tsds\tStarting SDS server for file certificates only, will listen on "./var/run/secrets/credential-uds/files-socket"',
    );
  });

  it('the default scope has no scope column', () => {
    expect(agentLogLine(T, existingWorkloadSocket())).toBe(
      '2026-01-15T09:00:00.000000Z\tinfo\tExisting workload SDS socket found at var/run/secrets/workload-spiffe-uds/socket. Default Istio SDS Server will only serve files',
    );
    expect(agentLogLine(T, STARTING_DEFAULT_SDS)).toBe('2026-01-15T09:00:00.000000Z\tinfo\tStarting default Istio SDS Server');
  });

  it('CA client or none, as newSecretManager logs it', () => {
    expect(agentLogLine(T, caEndpoint('istiod.istio-system.svc:15012'))).toBe('2026-01-15T09:00:00.000000Z\tinfo\tCA Endpoint istiod.istio-system.svc:15012, provider Citadel');
    expect(agentLogLine(T, FILE_MOUNTED_CERTS)).toBe('2026-01-15T09:00:00.000000Z\tinfo\tWorkload is using file mounted certificates. Skipping connecting to CA');
  });

  it('a read-only socket directory: five UDS failures at 0, 1, 3, 7, 15 s, the warning at 31 s (istio#58516)', () => {
    const err = udsReadOnlyError('var/run/secrets/workload-spiffe-uds/socket', true);
    expect(err).toBe('failed to remove unix://var/run/secrets/workload-spiffe-uds/socket: remove var/run/secrets/workload-spiffe-uds/socket: read-only file system');
    expect(udsReadOnlyError('var/run/secrets/workload-spiffe-uds/socket', false)).toBe(
      'failed to listen on unix socket "var/run/secrets/workload-spiffe-uds/socket": listen unix var/run/secrets/workload-spiffe-uds/socket: bind: read-only file system',
    );
    const lines = udsSetupFailures(err);
    expect(lines.map((l) => l.afterMs)).toEqual([0, 1000, 3000, 7000, 15000, 31000]);
    expect(agentLogLine(T, lines[0]!.entry)).toBe(`2026-01-15T09:00:00.000000Z\terror\tsds\tSDS grpc server for workload proxies failed to set up UDS: ${err}`);
    expect(agentLogLine(T, lines[5]!.entry)).toBe('2026-01-15T09:00:00.000000Z\twarn\tsds\tSDS grpc server could not be started');
  });

  it('readiness warnings', () => {
    const reason = configNotReadyReason({ cdsSuccess: 0, cdsRejected: 0, ldsSuccess: 0, ldsRejected: 0 });
    expect(agentLogLine(T, envoyNotReady(reason!))).toBe(
      '2026-01-15T09:00:00.000000Z\twarn\tEnvoy proxy is NOT ready: config not received from XDS server (is Istiod running?): cds updates: 0 successful, 0 rejected; lds updates: 0 successful, 0 rejected',
    );
    expect(configNotReadyReason({ cdsSuccess: 1, cdsRejected: 0, ldsSuccess: 0, ldsRejected: 1 })).toMatch(/^config received from XDS server, but was rejected: /);
    expect(configNotReadyReason({ cdsSuccess: 1, cdsRejected: 0, ldsSuccess: 0, ldsRejected: 0 })).toMatch(/^config not fully received from XDS server: /);
    expect(configNotReadyReason({ cdsSuccess: 1, cdsRejected: 0, ldsSuccess: 1, ldsRejected: 0 })).toBeUndefined();
  });

  it('labels follow the message after a tab', () => {
    expect(agentLogLine(T, { level: 'info', scope: 'cache', message: 'generated new workload certificate', labels: { resourceName: 'default' } })).toBe(
      '2026-01-15T09:00:00.000000Z\tinfo\tcache\tgenerated new workload certificate\tresourceName=default',
    );
  });
});

describe('Envoy log lines', () => {
  it('follow the bootstrap text_format (as in istio#48267)', () => {
    expect(
      envoyLogLine(Date.parse('2023-12-08T07:39:50.405Z'), {
        level: 'debug',
        logger: 'pool',
        source: 'external/envoy/source/common/http/conn_pool_base.cc:78',
        message: 'queueing stream due to no available connections (ready=0 busy=0 connecting=0)',
        thread: 23,
      }),
    ).toBe(
      '2023-12-08T07:39:50.405000Z\tdebug\tenvoy pool external/envoy/source/common/http/conn_pool_base.cc:78\tqueueing stream due to no available connections (ready=0 busy=0 connecting=0)\tthread=23',
    );
  });
});
