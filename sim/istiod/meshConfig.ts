/**
 * The mesh configuration istiod runs with, read from the `istio` ConfigMap its install rendered
 * (`data.mesh`, `data.meshNetworks`; istio: pkg/config/mesh/mesh.go ApplyMeshConfigDefaults and
 * pkg/config/mesh/watchers.go). Only the fields the lab acts on are kept; unknown fields are ignored
 * as istiod ignores them in the ConfigMap (it logs and keeps defaults only when the YAML is invalid).
 */
import { err, ok, simError, type Result, type SimError } from '../core/result.ts';
import { parseYamlDocuments } from '../kube/yaml.ts';

export interface CaCertificate {
  readonly spiffeBundleUrl?: string;
  readonly pem?: string;
  readonly trustDomains: readonly string[];
}

export interface MeshNetworkGateway {
  readonly address?: string;
  readonly registryServiceName?: string;
  readonly port: number;
}

export interface MeshNetwork {
  readonly endpoints: readonly { readonly fromRegistry?: string; readonly fromCidr?: string }[];
  readonly gateways: readonly MeshNetworkGateway[];
}

export interface MeshConfig {
  readonly trustDomain: string;
  readonly trustDomainAliases: readonly string[];
  readonly caCertificates: readonly CaCertificate[];
  readonly accessLogFile: string;
  readonly rootNamespace: string;
  readonly proxyMetadata: Readonly<Record<string, string>>;
  readonly networks: Readonly<Record<string, MeshNetwork>>;
}

export const DEFAULT_MESH: MeshConfig = {
  trustDomain: 'cluster.local',
  trustDomainAliases: [],
  caCertificates: [],
  accessLogFile: '',
  rootNamespace: 'istio-system',
  proxyMetadata: {},
  networks: {},
};

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function yamlObject(text: string | undefined, file: string): Result<Obj, SimError> {
  if (!text?.trim()) return ok({});
  const docs = parseYamlDocuments(text, file);
  if (!docs.ok) return docs;
  return ok(obj(docs.value[0]?.object));
}

function networksOf(v: unknown): Record<string, MeshNetwork> {
  const out: Record<string, MeshNetwork> = {};
  for (const [name, n] of Object.entries(obj(obj(v).networks))) {
    const net = obj(n);
    out[name] = {
      endpoints: (Array.isArray(net.endpoints) ? net.endpoints : []).map((e) => {
        const o = obj(e);
        return { ...(typeof o.fromRegistry === 'string' ? { fromRegistry: o.fromRegistry } : {}), ...(typeof o.fromCidr === 'string' ? { fromCidr: o.fromCidr } : {}) };
      }),
      gateways: (Array.isArray(net.gateways) ? net.gateways : []).map((g) => {
        const o = obj(g);
        return { ...(typeof o.address === 'string' ? { address: o.address } : {}), ...(typeof o.registryServiceName === 'string' ? { registryServiceName: o.registryServiceName } : {}), port: Number(o.port ?? 15443) };
      }),
    };
  }
  return out;
}

/** The mesh config from the ConfigMap's data (`mesh`, `meshNetworks`); errors name the key. */
export function parseMeshConfig(data: Readonly<Record<string, string>> | undefined, where: string): Result<MeshConfig, SimError> {
  const mesh = yamlObject(data?.mesh, `${where}[data.mesh]`);
  if (!mesh.ok) return err(simError('istiod/mesh-config', `failed to read mesh config from ${where}: ${mesh.error.message}`));
  const networks = yamlObject(data?.meshNetworks, `${where}[data.meshNetworks]`);
  if (!networks.ok) return err(simError('istiod/mesh-config', `failed to read mesh networks from ${where}: ${networks.error.message}`));
  const m = mesh.value;
  const defaults = obj(m.defaultConfig);
  return ok({
    trustDomain: typeof m.trustDomain === 'string' && m.trustDomain ? m.trustDomain : DEFAULT_MESH.trustDomain,
    trustDomainAliases: strings(m.trustDomainAliases),
    caCertificates: (Array.isArray(m.caCertificates) ? m.caCertificates : []).map((c) => {
      const o = obj(c);
      return { ...(typeof o.spiffeBundleUrl === 'string' ? { spiffeBundleUrl: o.spiffeBundleUrl } : {}), ...(typeof o.pem === 'string' ? { pem: o.pem } : {}), trustDomains: strings(o.trustDomains) };
    }),
    accessLogFile: typeof m.accessLogFile === 'string' ? m.accessLogFile : '',
    rootNamespace: typeof m.rootNamespace === 'string' ? m.rootNamespace : DEFAULT_MESH.rootNamespace,
    proxyMetadata: Object.fromEntries(Object.entries(obj(defaults.proxyMetadata)).map(([k, v]) => [k, String(v)])),
    networks: networksOf(networks.value),
  });
}
