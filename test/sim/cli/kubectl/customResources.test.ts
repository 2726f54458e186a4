import { describe, expect, it } from 'vitest';
import { makeLab } from './harness.ts';

describe('custom resources', () => {
  it('tables use the CRD\'s additionalPrinterColumns, NAME and AGE otherwise; describe is the generic describer', async () => {
    const lab = makeLab();
    const s = lab.stores.west!;
    s.registerKind({ group: 'spire.spiffe.io', version: 'v1alpha1', kind: 'ClusterFederatedTrustDomain', plural: 'clusterfederatedtrustdomains', namespaced: false, hasStatus: false });
    s.registerKind({ group: 'spire.spiffe.io', version: 'v1alpha1', kind: 'ClusterSPIFFEID', plural: 'clusterspiffeids', namespaced: false, hasStatus: true });
    s.registerKind({ group: 'networking.istio.io', version: 'v1', kind: 'DestinationRule', plural: 'destinationrules', namespaced: true, hasStatus: true, shortNames: ['dr'] });
    lab.apply(
      'west',
      {
        apiVersion: 'spire.spiffe.io/v1alpha1',
        kind: 'ClusterFederatedTrustDomain',
        metadata: { name: 'east' },
        spec: { trustDomain: 'east.example.com', bundleEndpointURL: 'https://spire-east.example.com:8443', bundleEndpointProfile: { type: 'https_spiffe', endpointSPIFFEID: 'spiffe://east.example.com/spire/server' } },
      },
      { apiVersion: 'spire.spiffe.io/v1alpha1', kind: 'ClusterSPIFFEID', metadata: { name: 'default' }, spec: { spiffeIDTemplate: 'spiffe://x' } },
      { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'web', namespace: 'default' }, spec: { host: 'web.default.svc.cluster.local' } },
    );
    lab.clock.advance(26 * 3600_000);
    expect((await lab.run('kubectl get clusterfederatedtrustdomains')).stdout).toBe(
      'NAME   TRUST DOMAIN       ENDPOINT URL\neast   east.example.com   https://spire-east.example.com:8443\n',
    );
    expect((await lab.run('kubectl get clusterspiffeid.spire.spiffe.io')).stdout).toBe('NAME      AGE\ndefault   26h\n');
    expect((await lab.run('kubectl get dr')).stdout).toBe('NAME   HOST                            AGE\nweb    web.default.svc.cluster.local   26h\n');
    const d = await lab.run('kubectl describe clusterfederatedtrustdomain east');
    expect(d.stdout).toContain('Name:         east\nNamespace:    \nLabels:       <none>\nAnnotations:  <none>\nAPI Version:  spire.spiffe.io/v1alpha1\n');
    expect(d.stdout).toContain('Spec:\n  Bundle Endpoint Profile:\n    Endpoint SPIFFEID:  spiffe://east.example.com/spire/server\n    Type:               https_spiffe\n');
    expect(d.stdout).toMatch(/Events:\s+<none>\n$/);
  });

  it('describe pod shows the usual header fields', async () => {
    const lab = makeLab();
    lab.apply('west', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', labels: { a: 'b', c: 'd' } }, spec: { containers: [{ name: 'main', image: 'busybox' }] } });
    const r = await lab.run('kubectl describe po p');
    expect(r.stdout).toMatch(/^Name: {13}p\nNamespace: {8}default\n/);
    expect(r.stdout).toContain('Labels:           a=b\n                  c=d\n');
    expect(r.stdout).toContain('Containers:\n  main:\n    Image:');
  });
});
