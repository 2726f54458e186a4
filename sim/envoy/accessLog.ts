/**
 * Istio's default TEXT access-log line (istio: pilot/pkg/model/telemetry_logging.go `EnvoyTextLogFormat`,
 * Istio 1.9 onwards; research/istio-spec.md §6.5):
 *
 *   [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE%
 *   %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS%
 *   "%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED% %BYTES_SENT% %DURATION%
 *   %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%"
 *   "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER_RAW% %UPSTREAM_LOCAL_ADDRESS%
 *   %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%
 *
 * Envoy's substitution formatter prints `-` for a missing value (also inside the quotes); START_TIME's
 * default format is `%Y-%m-%dT%H:%M:%E3SZ` (UTC, milliseconds). Response-code details and the transport
 * failure reason have whitespace replaced by `_` (e.g. `"delayed_connect_error:_111"` in istio#51267).
 * A TCP connection (tcp_proxy, e.g. the east-west gateway) has no method/path/protocol and code 0:
 * `"- - -" 0 …` (research §3.4).
 * Lines are returned without the terminating `\n` (the format ends with one; the log writer adds it).
 */
import { noWhitespace } from './localReply.ts';

export interface AccessLogRecord {
  /** %START_TIME%, ms since the epoch. */
  readonly startTime: number;
  readonly method?: string;
  readonly path?: string;
  /** `HTTP/1.1`, `HTTP/2`… */
  readonly protocol?: string;
  /** 0 when no response was sent (TCP). */
  readonly code: number;
  /** Response flags (`UF,URX`); absent or '' ⇒ `-`. */
  readonly flags?: string;
  readonly details?: string;
  readonly terminationDetails?: string;
  readonly transportFailureReason?: string;
  readonly bytesReceived?: number;
  readonly bytesSent?: number;
  /** ms. */
  readonly duration?: number;
  /** x-envoy-upstream-service-time, ms. */
  readonly upstreamServiceTime?: number;
  readonly xForwardedFor?: string;
  readonly userAgent?: string;
  readonly requestId?: string;
  readonly authority?: string;
  /** `ip:port`. */
  readonly upstreamHost?: string;
  /** Raw cluster name (`outbound|5000||helloworld.default.svc.cluster.local`). */
  readonly upstreamCluster?: string;
  readonly upstreamLocalAddress?: string;
  readonly downstreamLocalAddress?: string;
  readonly downstreamRemoteAddress?: string;
  /** SNI. */
  readonly requestedServerName?: string;
  readonly routeName?: string;
}

const dash = (v: string | number | undefined): string => (v === undefined || v === '' ? '-' : String(v));

/** Envoy's default %START_TIME%: `[2026-01-15T09:00:00.000Z]` without the brackets. */
export const envoyStartTime = (ms: number): string => new Date(ms).toISOString();

/** One access-log line in Istio's default TEXT format (no trailing newline). */
export function accessLogLine(r: AccessLogRecord): string {
  const details = r.details ? noWhitespace(r.details) : undefined;
  const tfr = r.transportFailureReason ? noWhitespace(r.transportFailureReason) : undefined;
  return (
    `[${envoyStartTime(r.startTime)}] "${dash(r.method)} ${dash(r.path)} ${dash(r.protocol)}" ${r.code} ${dash(r.flags)} ` +
    `${dash(details)} ${dash(r.terminationDetails)} "${dash(tfr)}" ${r.bytesReceived ?? 0} ${r.bytesSent ?? 0} ${r.duration ?? 0} ` +
    `${dash(r.upstreamServiceTime)} "${dash(r.xForwardedFor)}" "${dash(r.userAgent)}" "${dash(r.requestId)}" ` +
    `"${dash(r.authority)}" "${dash(r.upstreamHost)}" ${dash(r.upstreamCluster)} ${dash(r.upstreamLocalAddress)} ` +
    `${dash(r.downstreamLocalAddress)} ${dash(r.downstreamRemoteAddress)} ${dash(r.requestedServerName)} ${dash(r.routeName)}`
  );
}

/** A TCP (tcp_proxy) connection: no HTTP fields, response code 0. */
export type TcpAccessLogRecord = Omit<AccessLogRecord, 'method' | 'path' | 'protocol' | 'code' | 'upstreamServiceTime' | 'xForwardedFor' | 'userAgent' | 'requestId' | 'authority'>;

export function tcpAccessLogLine(r: TcpAccessLogRecord): string {
  return accessLogLine({ ...r, code: 0 });
}

/**
 * The east-west gateway closing a connection no filter chain matches (unknown SNI, no SNI, non-Istio ALPN,
 * plaintext): `"- - -" 0 NR filter_chain_not_found - "-" 0 0 0 - "-" "-" "-" "-" "-" - - <gw>:15443 <src> <sni> -`
 * (istio#40624; research §3.4).
 */
export function filterChainNotFoundLine(a: {
  readonly startTime: number;
  readonly downstreamLocalAddress: string;
  readonly downstreamRemoteAddress: string;
  readonly requestedServerName?: string;
}): string {
  return tcpAccessLogLine({ ...a, flags: 'NR', details: 'filter_chain_not_found' });
}

/**
 * The east-west gateway passing an mTLS connection through to a local pod (AUTO_PASSTHROUGH, SNI-DNAT
 * cluster `outbound_.<port>_.<subset>_.<host>`): no flags, the pod as upstream host (research §3.4).
 */
export function passthroughLine(a: {
  readonly startTime: number;
  readonly bytesReceived: number;
  readonly bytesSent: number;
  readonly duration: number;
  readonly upstreamHost: string;
  readonly upstreamCluster: string;
  readonly upstreamLocalAddress?: string;
  readonly downstreamLocalAddress: string;
  readonly downstreamRemoteAddress: string;
  readonly requestedServerName: string;
}): string {
  return tcpAccessLogLine(a);
}

/**
 * The server sidecar's line for an inbound HTTP request (research §6.5): upstream cluster
 * `inbound|<port>||`, the client's SNI, route `default`. A request RBAC denies never leaves Envoy, so it
 * has no upstream host or upstream local address; a served one goes to the app from 127.0.0.6
 * (Istio's inbound passthrough source address).
 */
export function inboundLine(a: {
  readonly startTime: number;
  readonly method: string;
  readonly path: string;
  readonly code: number;
  readonly details: string;
  readonly bytesSent: number;
  readonly userAgent: string;
  readonly authority: string;
  /** `podIP:port` the request was for. */
  readonly podAddress: string;
  readonly port: number;
  readonly downstreamRemoteAddress: string;
  readonly requestedServerName?: string;
  /** Set when the request reached the app: `127.0.0.6:<port>`. */
  readonly upstreamLocalAddress?: string;
}): string {
  const served = a.upstreamLocalAddress !== undefined;
  return accessLogLine({
    startTime: a.startTime, method: a.method, path: a.path, protocol: 'HTTP/1.1', code: a.code, details: a.details, bytesSent: a.bytesSent, userAgent: a.userAgent, authority: a.authority,
    ...(served ? { upstreamHost: a.podAddress, upstreamLocalAddress: a.upstreamLocalAddress } : {}),
    upstreamCluster: `inbound|${a.port}||`, downstreamLocalAddress: a.podAddress, downstreamRemoteAddress: a.downstreamRemoteAddress,
    ...(a.requestedServerName ? { requestedServerName: a.requestedServerName } : {}), routeName: 'default',
  });
}
