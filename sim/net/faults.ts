/**
 * The network between clusters and the components on it, as far as faults go: which cluster pairs
 * are partitioned, which components are stopped, which DNS names fail to resolve in which cluster.
 * Components (the SPIRE bundle endpoint client, Envoy, istiod's remote watches) ask this model before
 * they talk; the scenario engine changes it. Every change is an event (`net.*`).
 */
import type { EventLog } from '../core/events.ts';
import { err, ok, simError, type Result, type SimError } from '../core/result.ts';

export type NetError = SimError<'net/partitioned' | 'net/component-stopped' | 'net/dns-failure'>;

const pairKey = (a: string, b: string): string => [a, b].sort().join('|');

export class NetworkFaults {
  private readonly partitions = new Set<string>();
  private readonly stopped = new Set<string>();
  private readonly dnsFailures = new Set<string>();

  constructor(private readonly events: EventLog) {}

  partition(a: string, b: string): void {
    if (a === b) return;
    this.partitions.add(pairKey(a, b));
    this.events.emit('net.link.partitioned', 'network', { between: [a, b].sort() });
  }

  heal(a: string, b: string): void {
    if (this.partitions.delete(pairKey(a, b))) this.events.emit('net.link.healed', 'network', { between: [a, b].sort() });
  }

  /** `component` is named `<cluster>/<name>`, e.g. `west/spire-server`. */
  stop(component: string): void {
    this.stopped.add(component);
    this.events.emit('net.component.stopped', component, {});
  }

  start(component: string): void {
    if (this.stopped.delete(component)) this.events.emit('net.component.started', component, {});
  }

  failDns(cluster: string, host: string): void {
    this.dnsFailures.add(`${cluster}|${host.toLowerCase()}`);
    this.events.emit('net.dns.failing', `${cluster}/dns`, { host });
  }

  healDns(cluster: string, host: string): void {
    if (this.dnsFailures.delete(`${cluster}|${host.toLowerCase()}`)) this.events.emit('net.dns.healed', `${cluster}/dns`, { host });
  }

  isStopped(component: string): boolean {
    return this.stopped.has(component);
  }

  /** Can a component in `from` reach `component` (in cluster `to`) by the name `host`? */
  reach(from: string, to: string, component: string, host?: string): Result<void, NetError> {
    if (host !== undefined && this.dnsFailures.has(`${from}|${host.toLowerCase()}`))
      return err(simError('net/dns-failure', `dial tcp: lookup ${host}: no such host`, { from, host }));
    if (this.partitions.has(pairKey(from, to))) return err(simError('net/partitioned', `dial tcp ${host ?? component}: i/o timeout`, { from, to }));
    if (this.stopped.has(component)) return err(simError('net/component-stopped', `dial tcp ${host ?? component}: connect: connection refused`, { component }));
    return ok(undefined);
  }

  snapshot(): { partitions: string[][]; stopped: string[]; dnsFailures: string[] } {
    return {
      partitions: [...this.partitions].map((p) => p.split('|')),
      stopped: [...this.stopped].sort(),
      dnsFailures: [...this.dnsFailures].sort(),
    };
  }
}
