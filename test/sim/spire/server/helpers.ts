// Shared fixtures for the SPIRE server tests: a virtual world, servers from server.conf text, a fake
// bundle endpoint client that serves other in-memory servers' endpoints with real SPIFFE authentication.
import { advanceSettled } from '../../../../sim/core/tasks.ts';
import { VirtualClock } from '../../../../sim/core/clock.ts';
import { EventLog } from '../../../../sim/core/events.ts';
import { err, ok, simError, unwrap, type Result, type SimError } from '../../../../sim/core/result.ts';
import { Rng } from '../../../../sim/core/rng.ts';
import { TaskTracker } from '../../../../sim/core/tasks.ts';
import { NetworkFaults } from '../../../../sim/net/faults.ts';
import { SignatureVerifier, type Certificate } from '../../../../sim/pki/index.ts';
import { authorizeId, parseSpiffeId, verifyX509Svid, X509Bundle } from '../../../../sim/spiffe/index.ts';
import type { BundleEndpointClient, BundleEndpointProfile, EntryInput } from '../../../../sim/spire/api.ts';
import { parseServerConfig } from '../../../../sim/spire/server/config.ts';
import { SpireServer } from '../../../../sim/spire/server/server.ts';

export const T0 = Date.UTC(2026, 0, 10, 8, 0, 0);
export const crypto = globalThis.crypto;

export function serverConf(td: string, extra = '', federation = ''): string {
  return `server {
  trust_domain = "${td}"
  data_dir = "/run/spire/data"
  ${extra}
  federation {
    bundle_endpoint {
      address = "0.0.0.0"
      port = 8443
      profile "https_spiffe" {}
    }
    ${federation}
  }
}
plugins {
  DataStore "sql" { plugin_data { database_type = "sqlite3" } }
  KeyManager "memory" { plugin_data {} }
  NodeAttestor "k8s_psat" {
    plugin_data { clusters = { "${td.split('.')[0]}" = { service_account_allow_list = ["spire:spire-agent"] } } }
  }
}
`;
}

export class Lab {
  readonly clock = new VirtualClock(T0);
  readonly events = new EventLog(this.clock);
  readonly faults = new NetworkFaults(this.events);
  readonly tasks = new TaskTracker();
  readonly servers = new Map<string, SpireServer>();
  /** host → server, for the fake client. */
  readonly hosts = new Map<string, SpireServer>();
  readonly logs: string[] = [];
  readonly client = new FakeBundleClient(this);

  server(td: string, confText: string, host = `spire-server.${td}`): SpireServer {
    const parsed = unwrap(parseServerConfig(confText));
    const name = `${td.split('.')[0]}/spire-server`;
    const s = new SpireServer(
      { clock: this.clock, rng: new Rng(`seed/${td}`), events: this.events, crypto, faults: this.faults, name, log: (l) => this.logs.push(`${name} ${l}`) },
      parsed.config,
      { bundleClient: this.client, tasks: this.tasks },
    );
    this.servers.set(td, s);
    this.hosts.set(host, s);
    return s;
  }

  async settle(): Promise<void> {
    await this.tasks.idle();
  }

  /** As World.advance: stop at every due timer and let the work it started finish at that instant. */
  advance(ms: number): Promise<void> {
    return advanceSettled(this.clock, ms, () => this.settle());
  }
}

/**
 * Fetches `https://<host>:8443/` from another in-memory server: checks the presented SVID chain with
 * go-spiffe's verifier against the anchors, authorizes the endpoint SPIFFE ID, then calls the handler.
 */
export class FakeBundleClient implements BundleEndpointClient {
  readonly requests: { from: string; url: string; profile: BundleEndpointProfile }[] = [];
  private readonly verifier = new SignatureVerifier(crypto);
  constructor(private readonly lab: Lab) {}

  async fetch(req: { readonly from: string; readonly url: string; readonly profile: BundleEndpointProfile; readonly anchors?: readonly Certificate[]; readonly at: number }): Promise<Result<string, SimError>> {
    this.requests.push({ from: req.from, url: req.url, profile: req.profile });
    const fail = (why: string) => err(simError('net/fetch-failed', `failed to fetch bundle: Get "${req.url}": ${why}`));
    const m = /^https:\/\/([^/:]+)(?::(\d+))?(\/.*)?$/.exec(req.url);
    const server = m ? this.lab.hosts.get(m[1]!) : undefined;
    const endpoint = server?.bundleEndpoint();
    if (!m || !server || !endpoint || !server.isServing()) return fail(`dial tcp ${m?.[1] ?? req.url}:${m?.[2] ?? 443}: connect: connection refused`);
    const identity = endpoint.tlsIdentity();
    if (!identity) return fail('remote error: tls: internal error');
    if (req.profile.type === 'https_spiffe') {
      const expected = unwrap(parseSpiffeId(req.profile.endpointSpiffeId));
      const verified = await verifyX509Svid(this.verifier, identity.chain, X509Bundle.of(expected.trustDomain, req.anchors ?? []), req.at);
      if (!verified.ok) return fail(verified.error.message);
      const authorized = authorizeId(expected)(verified.value.id, verified.value.chains);
      if (!authorized.ok) return fail(authorized.error.message);
    }
    const r = endpoint.serve('GET', m[3] ?? '/');
    if (r.status !== 200) return err(simError('net/http-status', `unexpected status ${r.status} fetching bundle: ${r.body}`));
    return ok(r.body);
  }
}

/** An entry's optional fields at their zero values (what `entry create` without flags stores). */
export const ENTRY_DEFAULTS = { x509SvidTtl: 0, jwtSvidTtl: 0, federatesWith: [], dnsNames: [], hint: '', admin: false, downstream: false, storeSvid: false } as const satisfies Partial<EntryInput>;
