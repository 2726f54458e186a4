import { describe, expect, it } from 'vitest';
import { normalize } from '../../../sim/core/match.ts';

describe('normalize for guides (seed walkthroughs)', () => {
  it('pods: Deployment, DaemonSet and 63-character names match the guide\'s -xxxxx placeholders', () => {
    const lab = [
      'spire-agent-fgxjs',
      'spire-spiffe-oidc-discovery-provider-74d45574dc-p7nz6',
      'zero-trust-workload-identity-manager-controller-manager-cdj55l6',
      'spire-server-0',
    ].join('\n');
    const guide = ['spire-agent-yyyyy', 'spire-spiffe-oidc-discovery-provider-xxxxx', 'zero-trust-workload-identity-manager-controller-manager-xxxxx', 'spire-server-0'].join('\n');
    expect(normalize(lab, ['pods'])).toBe(normalize(guide, ['pods']));
    expect(normalize(lab, ['pods']).split('\n')[2]).toBe('zero-trust-workload-identity-manager-controller-manager-<pod>');
    // Words that are not generated suffixes stay.
    expect(normalize('mtls-client spire-server federation.apps.ci-ln-abc123.gcp-2.ci.openshift.org', ['pods'])).toBe('mtls-client spire-server federation.apps.ci-ln-abc123.gcp-2.ci.openshift.org');
  });

  it('ages and columns: a kubectl table equals a hand-padded one', () => {
    const lab = 'NAME                 READY   STATUS    RESTARTS   AGE\nspire-agent-fgxjs    1/1     Running   0          6m53s\nspire-server-0       2/2     Running   0          113s\n';
    const guide = 'NAME                       READY   STATUS    RESTARTS   AGE\nspire-agent-xxxxx          1/1     Running   0          3m\nspire-server-0             2/2     Running   0          10m\n';
    const n = ['pods', 'ages', 'columns'] as const;
    expect(normalize(lab, n)).toBe(normalize(guide, n));
    expect(normalize(lab, n).split('\n')[1]).toBe('spire-agent-<pod>   1/1   Running   0   <age>');
    expect(normalize('    URI:spiffe://td/ns/a', ['columns'])).toBe('    URI:spiffe://td/ns/a');
    expect(normalize('x509 sha256 1Gi 8443', ['ages'])).toBe('x509 sha256 1Gi 8443');
  });

  it('pem: the body of each PEM block, real or elided, becomes <pem>', () => {
    const lab = '* td\n-----BEGIN CERTIFICATE-----\nMIIB\nAAAA\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n';
    expect(normalize(lab, ['pem'])).toBe('* td\n-----BEGIN CERTIFICATE-----\n<pem>\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\n<pem>\n-----END CERTIFICATE-----\n');
    expect(normalize('-----BEGIN CERTIFICATE-----\n...certificate data...\n-----END CERTIFICATE-----', ['pem'])).toBe('-----BEGIN CERTIFICATE-----\n<pem>\n-----END CERTIFICATE-----');
  });
});
