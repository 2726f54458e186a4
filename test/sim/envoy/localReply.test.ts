// Envoy local replies held to bodies quoted in Istio issues and the research spec (§6.5, §6.6).
import { describe, expect, it } from 'vitest';
import { CURL_RESET_BY_PEER, noHealthyUpstream, rbacDenied, rbacPolicyId, tlsFailureReason, upstreamFailureReply, upstreamResetBody } from '../../../sim/envoy/localReply.ts';

const PREFIX = 'upstream connect error or disconnect/reset before headers. ';

describe('upstream reset bodies', () => {
  it('untrusted peer certificate, after retries (spec §6.6)', () => {
    expect(upstreamResetBody({ kind: 'tls', code: 'CERTIFICATE_VERIFY_FAILED' }, true, 'new')).toBe(
      `${PREFIX}retried and the latest reset reason: remote connection failure, transport failure reason: TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end`,
    );
  });

  it('old Envoy wording for the same failure (istio#34920)', () => {
    expect(upstreamResetBody({ kind: 'tls', code: 'CERTIFICATE_VERIFY_FAILED' }, false, 'old')).toBe(
      `${PREFIX}reset reason: connection failure, transport failure reason: TLS error: 268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED`,
    );
  });

  it('unknown SNI at the east-west gateway: byte for byte as in istio#59600', () => {
    const body = upstreamResetBody({ kind: 'tls', code: 'CONNECTION_RESET' }, true);
    expect(body).toBe(
      'upstream connect error or disconnect/reset before headers. retried and the latest reset reason: remote connection failure, transport failure reason: TLS_error:|33554536:system library:OPENSSL_internal:Connection reset by peer:TLS_error_end',
    );
    expect(body.endsWith('\n')).toBe(false);
  });

  it('old wording of the gateway reset (istio#39940 title)', () => {
    expect(upstreamResetBody({ kind: 'tls', code: 'CONNECTION_RESET' }, false, 'old')).toBe(
      'upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: TLS error: 33554536:system library:OPENSSL_internal:Connection reset by peer',
    );
  });

  it('mTLS to a plaintext server', () => {
    expect(tlsFailureReason('WRONG_VERSION_NUMBER')).toBe('TLS_error:|268435703:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER:TLS_error_end');
    expect(tlsFailureReason('WRONG_VERSION_NUMBER', 'old')).toBe('TLS error: 268435703:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER');
  });

  it('connection refused: errno text on new Envoy (istio#54399), the number on old (istio#41090)', () => {
    expect(upstreamResetBody({ kind: 'refused' }, false, 'new')).toBe(
      'upstream connect error or disconnect/reset before headers. reset reason: remote connection failure, transport failure reason: delayed connect error: Connection refused',
    );
    expect(upstreamResetBody({ kind: 'refused' }, false, 'old')).toBe(
      'upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: delayed connect error: 111',
    );
  });

  it('validator detail goes before :TLS_error_end and is flagged unverified', () => {
    const r = upstreamFailureReply({ kind: 'tls', code: 'CERTIFICATE_VERIFY_FAILED', validatorDetail: 'verify cert failed: SAN match' }, true);
    expect(r.transportFailureReason).toBe('TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:verify cert failed: SAN match:TLS_error_end');
    expect(r.unverified).toBe(true);
  });
});

describe('the whole reply', () => {
  it('503 UF,URX with the access-log details (spec §6.5)', () => {
    const r = upstreamFailureReply({ kind: 'tls', code: 'CERTIFICATE_VERIFY_FAILED' }, true);
    expect(r).toMatchObject({ status: 503, contentType: 'text/plain', responseFlags: 'UF,URX' });
    expect(r.responseCodeDetails).toBe(
      'upstream_reset_before_response_started{remote_connection_failure|TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end}',
    );
    expect(r.unverified).toBeUndefined();
  });

  it('old Envoy joins the details with a comma', () => {
    expect(upstreamFailureReply({ kind: 'refused' }, false, 'old').responseCodeDetails).toBe('upstream_reset_before_response_started{connection_failure,delayed_connect_error:_111}');
  });

  it('marks inferred texts', () => {
    expect(upstreamFailureReply({ kind: 'timeout' }, false)).toMatchObject({ body: `${PREFIX}reset reason: connection timeout`, responseFlags: 'UF', unverified: true });
    expect(upstreamFailureReply({ kind: 'termination' }, false)).toMatchObject({ body: `${PREFIX}reset reason: connection termination`, responseFlags: 'UC', unverified: true });
    expect(upstreamFailureReply({ kind: 'sds-not-ready' }, false)).toMatchObject({
      body: `${PREFIX}reset reason: remote connection failure, transport failure reason: TLS error: Secret is not supplied by SDS`,
      unverified: true,
    });
    expect(upstreamFailureReply({ kind: 'tls', code: 'SSLV3_ALERT_CERTIFICATE_UNKNOWN' }, false).unverified).toBe(true);
    expect(upstreamFailureReply({ kind: 'refused' }, true).unverified).toBeUndefined();
  });

  it('no healthy upstream', () => {
    expect(noHealthyUpstream()).toMatchObject({ status: 503, body: 'no healthy upstream', responseFlags: 'UH', responseCodeDetails: 'no_healthy_upstream' });
  });

  it('RBAC denial: 403, 19 bytes, the matched policy in the details (spec §4.4)', () => {
    const none = rbacDenied();
    expect(none).toMatchObject({ status: 403, body: 'RBAC: access denied', responseFlags: '-', responseCodeDetails: 'rbac_access_denied_matched_policy[none]' });
    expect(new TextEncoder().encode(none.body).length).toBe(19);
    expect(rbacDenied(rbacPolicyId('default', 'deny-all', 0)).responseCodeDetails).toBe('rbac_access_denied_matched_policy[ns[default]-policy[deny-all]-rule[0]]');
  });

  it('curl without a sidecar against STRICT', () => {
    expect(CURL_RESET_BY_PEER).toEqual({ exitCode: 56, stderr: 'curl: (56) Recv failure: Connection reset by peer' });
  });
});
