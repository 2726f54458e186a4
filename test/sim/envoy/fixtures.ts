// Shared by the Envoy call tests: SPIRE-shaped CAs and SVIDs, and proxies holding them.
import { Proxy, type ProxyIdentity } from '../../../sim/envoy/proxy.ts';
import type { ProxyConfig } from '../../../sim/envoy/config.ts';
import { issueWithNewKey, spireCaTemplate, x509SvidTemplate, type Certificate } from '../../../sim/pki/index.ts';

export const NOW = Date.UTC(2026, 0, 15, 9, 0, 0);
export const HOST = 'helloworld.default.svc.cluster.local';
const crypto = globalThis.crypto;

export const ca = (td: string) => issueWithNewKey(crypto, spireCaTemplate({ trustDomainId: `spiffe://${td}`, serial: 1n, now: NOW, ttl: 86_400_000 }), 'ec-p256');

export async function svid(issuer: Awaited<ReturnType<typeof ca>>, id: string): Promise<Certificate[]> {
  return [(await issueWithNewKey(crypto, x509SvidTemplate({ spiffeId: id, serial: 2n, now: NOW, ttl: 3_600_000, caNotAfter: issuer.cert.notAfter }), 'ec-p256', issuer)).cert];
}

/** A proxy with SPIRE secrets (SPIFFE validator over `roots`) and a config; its access log goes to `log`. */
export function proxy(id: Partial<ProxyIdentity> & { pod: string }, chain: Certificate[], roots: Map<string, Certificate[]>, config: Partial<ProxyConfig> = {}, log: string[] = []): Proxy {
  const p = new Proxy({ cluster: 'east', namespace: 'default', ip: '10.10.0.9', serviceAccount: 'default', network: 'east-network', type: 'sidecar', ...id }, { accessLog: (l) => log.push(l), agentLog: () => undefined });
  p.secrets = { provider: 'spire', warming: [], default: { chain, lastUpdated: NOW, version: '1' }, rootCa: { kind: 'spiffe', trustDomains: roots, lastUpdated: NOW, version: '1' } };
  p.config = { clusters: new Map(), inbound: { trustDomains: ['east.local', 'west.local'], mtls: 'PERMISSIVE', rbac: [] }, listeners: [], accessLog: true, ...config };
  return p;
}
