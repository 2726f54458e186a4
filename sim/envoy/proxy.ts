/**
 * One Envoy (sidecar or gateway) with its pilot-agent: who it is, the SDS secrets it holds, the
 * configuration istiod pushed, its readiness, its stats counters and its logs. The model functions in
 * call.ts read and update it; the world decides when secrets and config arrive.
 */
import type { ProxyConfig } from './config.ts';
import type { ProxySecrets } from './secrets.ts';

export interface ProxyIdentity {
  readonly cluster: string;
  readonly namespace: string;
  readonly pod: string;
  readonly ip: string;
  readonly serviceAccount: string;
  readonly network: string;
  /** `sidecar` for workloads, `router` for gateways (Envoy's node type). */
  readonly type: 'sidecar' | 'router';
}

export class Proxy {
  secrets: ProxySecrets = { warming: ['default', 'ROOTCA'], provider: 'none' };
  config: ProxyConfig | undefined;
  /** Envoy's counters (`/stats`): cluster.<name>.ssl.fail_verify_san, upstream_rq_retry, … */
  readonly stats = new Map<string, number>();

  constructor(
    readonly id: ProxyIdentity,
    private readonly sinks: { accessLog(line: string): void; agentLog(line: string): void },
  ) {}

  /** Ready = the listeners and clusters are warm: config received and both secrets present (initial_fetch_timeout 0s). */
  get ready(): boolean {
    return this.config !== undefined && this.secrets.default !== undefined && this.secrets.rootCa !== undefined;
  }

  /** Why `/healthz/ready` fails (pilot/cmd/pilot-agent/status/ready/probe.go). */
  notReadyReason(): string | undefined {
    if (this.config === undefined) return 'config not received from XDS server (is Istiod running?): cds updates: 0 successful, 0 rejected; lds updates: 0 successful, 0 rejected';
    if (!this.ready) return 'workers have not yet started';
    return undefined;
  }

  count(name: string, by = 1): void {
    this.stats.set(name, (this.stats.get(name) ?? 0) + by);
  }

  accessLog(line: string): void {
    if (this.config?.accessLog !== false) this.sinks.accessLog(line);
  }

  agentLog(line: string): void {
    this.sinks.agentLog(line);
  }

  /** Envoy admin `/stats` text: `name: value` lines, sorted. */
  statsText(): string {
    return [...this.stats].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}: ${v}\n`).join('');
  }
}
