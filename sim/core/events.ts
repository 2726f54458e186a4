/**
 * One typed event stream for the UI, logs and tests (xstate's inspection stream is the model).
 * Event types are dotted and namespaced (`spire.svid.issued`, `envoy.call.rejected`). Each event
 * carries the virtual time it happened at and a sequence number that orders same-time events.
 */
import type { Clock } from './clock.ts';

export interface SimEvent<T extends string = string, D = Readonly<Record<string, unknown>>> {
  readonly seq: number;
  readonly time: number;
  readonly type: T;
  /** The component that emitted it, e.g. `west/spire-server`. */
  readonly source: string;
  readonly data: D;
}

export type EventListener = (e: SimEvent) => void;

export class EventLog {
  private readonly events: SimEvent[] = [];
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly clock: Pick<Clock, 'now'>) {}

  emit<T extends string, D extends Readonly<Record<string, unknown>>>(type: T, source: string, data: D): SimEvent<T, D> {
    const e: SimEvent<T, D> = { seq: this.events.length, time: this.clock.now(), type, source, data };
    this.events.push(e);
    for (const l of this.listeners) l(e);
    return e;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  all(): readonly SimEvent[] {
    return this.events;
  }

  since(seq: number): readonly SimEvent[] {
    return this.events.slice(seq);
  }

  ofType(prefix: string): SimEvent[] {
    return this.events.filter((e) => e.type === prefix || e.type.startsWith(`${prefix}.`));
  }

  get length(): number {
    return this.events.length;
  }
}
