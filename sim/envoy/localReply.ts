/**
 * Envoy's local replies as curl sees them (`content-type: text/plain`, no trailing newline) and the
 * response flags / response-code details / transport failure reason the access log records for them
 * (research/istio-spec.md §6.5, §6.6).
 *
 * Body of an upstream reset (envoy: source/common/router/router.cc `onUpstreamReset`):
 *   `upstream connect error or disconnect/reset before headers. ` + (`retried and the latest ` when a retry
 *   happened) + `reset reason: <reason>` + (`, transport failure reason: <detail>` when there is one).
 * Reasons are envoy: source/common/http/utility.cc `resetReasonToString`.
 *
 * Two wordings, `envoyStyle`:
 * - `new` — what the lab's Istio (1.24+, Envoy 1.32+) prints: `remote connection failure`,
 *   `TLS_error:|<code>:<lib>:OPENSSL_internal:<reason>:TLS_error_end` (envoy: ssl_socket.cc), and the
 *   connect errno as text (`delayed connect error: Connection refused`: connection_impl.cc passes the errno
 *   through `errorDetails()` = strerror since envoyproxy/envoy#35154, seen with Istio 1.23.3 in istio#54399);
 * - `old` — pre-Envoy-1.26 wording (`connection failure`, `TLS error: <code>:…`, `delayed connect error: 111`,
 *   details separated by `,`), as in istio#34920, istio#39940, istio#41090.
 * The releases in between (Istio ≈1.18–1.22: `remote connection failure` with `111`) are not modelled.
 */

export type EnvoyStyle = 'new' | 'old';

/** BoringSSL errors a sidecar meets on the mTLS path (packed error code, library, reason). */
export type TlsErrorCode = 'CERTIFICATE_VERIFY_FAILED' | 'WRONG_VERSION_NUMBER' | 'SSLV3_ALERT_CERTIFICATE_UNKNOWN' | 'CONNECTION_RESET';

export type UpstreamFailure =
  /** The TLS handshake failed; `validatorDetail` is what newer Envoy appends (e.g. `verify cert failed: SAN match`). */
  | { readonly kind: 'tls'; readonly code: TlsErrorCode; readonly validatorDetail?: string }
  /** TCP RST on connect: nothing listens (e.g. no AUTO_PASSTHROUGH listener on 15443). */
  | { readonly kind: 'refused' }
  /** The cluster's connect_timeout (mesh default 10 s) elapsed: e.g. a remote pod IP used directly. */
  | { readonly kind: 'timeout' }
  /** Connected, then the peer closed before answering: plaintext to a STRICT server. */
  | { readonly kind: 'termination' }
  /** Envoy has no `default` secret yet, so it cannot start the handshake. */
  | { readonly kind: 'sds-not-ready' }
  /** The upstream reset the stream (HTTP/2 RST_STREAM). */
  | { readonly kind: 'remote-reset' };

export interface LocalReply {
  readonly status: number;
  /** What curl prints: no trailing newline. */
  readonly body: string;
  readonly contentType: 'text/plain';
  /** `%RESPONSE_FLAGS%`: comma-separated, `-` when none. */
  readonly responseFlags: string;
  /** `%RESPONSE_CODE_DETAILS%`, whitespace already replaced by `_`. */
  readonly responseCodeDetails: string;
  /** `%UPSTREAM_TRANSPORT_FAILURE_REASON%` as Envoy holds it (with spaces; the access log replaces them); '' when none. */
  readonly transportFailureReason: string;
  /** The research marks (part of) this text inferred/unverified: the UI labels it `Unverified:`. */
  readonly unverified?: true;
  /** Why it is unverified. */
  readonly note?: string;
}

const RESET_PREFIX = 'upstream connect error or disconnect/reset before headers. ';

/** Packed BoringSSL error codes (ERR_PACK(lib, reason)) with library text; research §6.6. */
const TLS_ERRORS: Readonly<Record<TlsErrorCode, { readonly code: number; readonly lib: string; readonly reason: string }>> = {
  CERTIFICATE_VERIFY_FAILED: { code: 268435581, lib: 'SSL routines', reason: 'CERTIFICATE_VERIFY_FAILED' },
  WRONG_VERSION_NUMBER: { code: 268435703, lib: 'SSL routines', reason: 'WRONG_VERSION_NUMBER' },
  SSLV3_ALERT_CERTIFICATE_UNKNOWN: { code: 268436502, lib: 'SSL routines', reason: 'SSLV3_ALERT_CERTIFICATE_UNKNOWN' },
  CONNECTION_RESET: { code: 33554536, lib: 'system library', reason: 'Connection reset by peer' },
};

/** envoy: ssl_socket.cc `NotReadyReason` (the same text in every Envoy version). */
export const SDS_NOT_READY_REASON = 'TLS error: Secret is not supplied by SDS';

/** The TLS transport failure reason (envoy: ssl_socket.cc `ssl_transport_failure_reason_format`). */
export function tlsFailureReason(code: TlsErrorCode, envoyStyle: EnvoyStyle = 'new', validatorDetail?: string): string {
  const e = TLS_ERRORS[code];
  const packed = `${e.code}:${e.lib}:OPENSSL_internal:${e.reason}`;
  if (envoyStyle === 'old') return `TLS error: ${packed}`;
  return `TLS_error:|${packed}${validatorDetail ? `:${validatorDetail}` : ''}:TLS_error_end`;
}

interface ResetParts {
  readonly reason: string;
  readonly transport: string;
  readonly flag: 'UF' | 'UC' | 'UR';
  readonly unverified?: string;
}

function resetParts(failure: UpstreamFailure, style: EnvoyStyle): ResetParts {
  const connectFailure = style === 'new' ? 'remote connection failure' : 'connection failure';
  switch (failure.kind) {
    case 'tls': {
      const transport = tlsFailureReason(failure.code, style, style === 'new' ? failure.validatorDetail : undefined);
      if (failure.code === 'SSLV3_ALERT_CERTIFICATE_UNKNOWN')
        return { reason: connectFailure, transport, flag: 'UF', unverified: 'the client-side body when the server rejects the client certificate (TLS 1.3) is unverified (istio#23916 shows only the alert)' };
      if (failure.validatorDetail && style === 'new')
        return { reason: connectFailure, transport, flag: 'UF', unverified: 'the Envoy version that appends the validator detail before :TLS_error_end is unverified' };
      return { reason: connectFailure, transport, flag: 'UF' };
    }
    case 'refused':
      return { reason: connectFailure, transport: `delayed connect error: ${style === 'new' ? 'Connection refused' : '111'}`, flag: 'UF' };
    case 'timeout':
      return { reason: 'connection timeout', transport: '', flag: 'UF', unverified: 'inferred: connect timeout wording and empty transport failure reason not seen in a trace' };
    case 'termination':
      return { reason: 'connection termination', transport: '', flag: 'UC', unverified: 'inferred: plaintext to a STRICT server closing the connection' };
    case 'sds-not-ready':
      return { reason: connectFailure, transport: SDS_NOT_READY_REASON, flag: 'UF', unverified: 'the reset reason before the SDS not-ready detail is inferred' };
    case 'remote-reset':
      return { reason: 'remote reset', transport: '', flag: 'UR' };
  }
}

/** The body curl prints for an upstream reset before headers (no trailing newline). */
export function upstreamResetBody(failure: UpstreamFailure, retried: boolean, envoyStyle: EnvoyStyle = 'new'): string {
  const p = resetParts(failure, envoyStyle);
  return `${RESET_PREFIX}${retried ? 'retried and the latest ' : ''}reset reason: ${p.reason}${p.transport ? `, transport failure reason: ${p.transport}` : ''}`;
}

/** Envoy's response-code details never contain whitespace (StringUtil::replaceAllEmptySpace). */
export const noWhitespace = (s: string): string => s.replace(/\s/g, '_');

/**
 * The whole 503 for an upstream reset: body, flags (`UF`/`UC`/`UR`, plus `URX` once retries are spent) and
 * details `upstream_reset_before_response_started{<reason>|<transport reason>}` (`,` in the old style).
 */
export function upstreamFailureReply(failure: UpstreamFailure, retried: boolean, envoyStyle: EnvoyStyle = 'new'): LocalReply {
  const p = resetParts(failure, envoyStyle);
  const sep = envoyStyle === 'new' ? '|' : ',';
  const details = noWhitespace(`upstream_reset_before_response_started{${p.reason}${p.transport ? `${sep}${p.transport}` : ''}}`);
  return {
    status: 503,
    body: upstreamResetBody(failure, retried, envoyStyle),
    contentType: 'text/plain',
    responseFlags: retried ? `${p.flag},URX` : p.flag,
    responseCodeDetails: details,
    transportFailureReason: p.transport,
    ...(p.unverified ? { unverified: true as const, note: p.unverified } : {}),
  };
}

/** The cluster has no healthy endpoint (envoy router `no_healthy_upstream`, flag UH). */
export function noHealthyUpstream(): LocalReply {
  return { status: 503, body: 'no healthy upstream', contentType: 'text/plain', responseFlags: 'UH', responseCodeDetails: 'no_healthy_upstream', transportFailureReason: '' };
}

/**
 * An AuthorizationPolicy denial at the server sidecar (envoy RBAC filter local reply, research §4.4):
 * `matchedPolicy` is the Envoy policy id of a matching DENY (`ns[default]-policy[deny-all]-rule[0]`),
 * absent when no ALLOW matched. RBAC has no response flag.
 */
export function rbacDenied(matchedPolicy?: string): LocalReply {
  return {
    status: 403,
    body: 'RBAC: access denied',
    contentType: 'text/plain',
    responseFlags: '-',
    responseCodeDetails: `rbac_access_denied_matched_policy[${matchedPolicy ?? 'none'}]`,
    transportFailureReason: '',
  };
}

/** Envoy's RBAC policy id for rule `rule` of policy `ns/name` (pilot/pkg/security/authz/model). */
export const rbacPolicyId = (namespace: string, name: string, rule: number): string => `ns[${namespace}]-policy[${name}]-rule[${rule}]`;

/** curl against a STRICT server without a sidecar: the server resets the plaintext connection (exit 56). */
export const CURL_RESET_BY_PEER = { exitCode: 56, stderr: 'curl: (56) Recv failure: Connection reset by peer' } as const;
