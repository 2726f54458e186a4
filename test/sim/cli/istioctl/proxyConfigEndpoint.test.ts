// `istioctl proxy-config endpoint`: layout per istioctl/pkg/writer/envoy/clusters/clusters.go, the empty
// table from istioctl/pkg/proxyconfig/proxyconfig_test.go, the example of research §6.2.
import { describe, expect, it } from 'vitest';
import { endpointJson, endpointSummary, type EndpointHost } from '../../../../sim/cli/istioctl/proxyConfigEndpoint.ts';

const HW = 'outbound|5000||helloworld.default.svc.cluster.local';
const hosts: EndpointHost[] = [
  { address: '34.74.100.144', port: 15443, cluster: HW, healthy: true },
  { address: '10.60.2.9', port: 5000, cluster: HW, healthy: true },
];

describe('istioctl proxy-config endpoint', () => {
  it('an empty table is the header (upstream test)', () => {
    expect(endpointSummary([])).toBe('ENDPOINT     STATUS     OUTLIER CHECK     CLUSTER\n');
  });

  it('local pod and remote gateway, as in research §6.2', () => {
    expect(endpointSummary(hosts)).toBe(
      'ENDPOINT                STATUS      OUTLIER CHECK     CLUSTER\n' +
        '10.60.2.9:5000          HEALTHY     OK                outbound|5000||helloworld.default.svc.cluster.local\n' +
        '34.74.100.144:15443     HEALTHY     OK                outbound|5000||helloworld.default.svc.cluster.local\n',
    );
  });

  it('sorts by address as a string, then port as a number, then cluster', () => {
    const out = endpointSummary([
      { address: '10.0.0.9', port: 80, cluster: 'b', healthy: true },
      { address: '10.0.0.10', port: 9090, cluster: 'a', healthy: true },
      { address: '10.0.0.10', port: 443, cluster: 'z', healthy: true },
      { address: '10.0.0.10', port: 443, cluster: 'c', healthy: false, outlierFailed: true },
    ]);
    expect(out.split('\n').slice(1, -1).map((l) => l.split(/\s+/).filter(Boolean))).toEqual([
      ['10.0.0.10:443', 'UNHEALTHY', 'FAILED', 'c'],
      ['10.0.0.10:443', 'HEALTHY', 'OK', 'z'],
      ['10.0.0.10:9090', 'HEALTHY', 'OK', 'a'],
      ['10.0.0.9:80', 'HEALTHY', 'OK', 'b'],
    ]);
  });

  it('filters by cluster and status case-insensitively, by port exactly; port 0 prints the bare address', () => {
    const all: EndpointHost[] = [...hosts, { address: 'unix://./etc/istio/proxy/XDS', port: 0, cluster: 'xds-grpc', healthy: true }, { address: '10.60.2.10', port: 5000, cluster: HW, healthy: false }];
    expect(endpointSummary(all, { cluster: 'XDS-GRPC' })).toBe('ENDPOINT                         STATUS      OUTLIER CHECK     CLUSTER\nunix://./etc/istio/proxy/XDS     HEALTHY     OK                xds-grpc\n');
    expect(endpointSummary(all, { status: 'unhealthy' })).toContain('10.60.2.10:5000     UNHEALTHY');
    expect(endpointSummary(all, { port: 15443 }).split('\n')).toHaveLength(3);
    expect(endpointSummary(all, { address: '10.60.2.9' }).split('\n')[1]).toMatch(/^10\.60\.2\.9:5000 /);
  });

  it('-o json: matching clusters with all their hosts, protojson names, 4-space indent', () => {
    const json = endpointJson([...hosts, { address: '10.60.2.10', port: 5000, cluster: 'outbound|80||other', healthy: true, outlierFailed: true }], { port: 5000 });
    expect(json.endsWith('}\n]\n')).toBe(true);
    const parsed = JSON.parse(json) as { name: string; hostStatuses: unknown[] }[];
    expect(parsed.map((c) => c.name)).toEqual([HW, 'outbound|80||other']);
    expect(parsed[0]!.hostStatuses).toHaveLength(2);
    expect(parsed[1]!.hostStatuses[0]).toEqual({ address: { socketAddress: { address: '10.60.2.10', portValue: 5000 } }, healthStatus: { failedOutlierCheck: true, edsHealthStatus: 'HEALTHY' } });
    expect(json).toMatch(/^\[\n {4}\{\n {8}"name": /);
    expect(endpointJson([])).toBe('[]\n');
  });
});
