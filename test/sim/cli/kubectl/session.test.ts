import { describe, expect, it } from 'vitest';
import { simError } from '../../../../sim/core/result.ts';
import { errorText, withSource } from '../../../../sim/cli/kubectl/session.ts';

describe('kubectl AddSourceToErr', () => {
  it('puts the source after the prefix of a status the server already worded (strict decoding)', () => {
    const e = simError('kube/strict-decoding', 'Error from server (BadRequest): ClusterFederatedTrustDomain in version "v1alpha1" cannot be handled as a ClusterFederatedTrustDomain: strict decoding error: unknown field "spec.bundleEndpointProfile.endpointSpiffeId"');
    expect(errorText(withSource(e, 'creating', 'STDIN'))).toBe(
      'Error from server (BadRequest): error when creating "STDIN": ClusterFederatedTrustDomain in version "v1alpha1" cannot be handled as a ClusterFederatedTrustDomain: strict decoding error: unknown field "spec.bundleEndpointProfile.endpointSpiffeId"',
    );
    // already sourced by the validator: left as it is
    const sourced = simError('kube/strict-decoding', 'Error from server (BadRequest): error when creating "f.yaml": Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "metadata.app"');
    expect(withSource(sourced, 'creating', 'f.yaml')).toBe(sourced.message);
    expect(errorText(withSource(simError('kube/x', 'error: boom'), 'creating', 'f.yaml'))).toBe('error: error when creating "f.yaml": boom');
  });
});
