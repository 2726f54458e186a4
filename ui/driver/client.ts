/**
 * The page's side of the Driver protocol (sim/driver/protocol.ts) over a message port: the lab
 * server's WebSocket (remote.ts) or the static build's Web Worker (worker.ts via workerClient.ts).
 * Each method is a request { id, method, params } answered by { id, result } or { id, error };
 * pushes ({ push }) go to subscribers. A closed port fails the requests in flight (and every later
 * one) with a message the page shows.
 */
import type { CallView, CheckResult, Driver, DriverMethod, DriverPush, EventView, ExecResult, FileEdits, Inspection, InspectTarget, LoadRequest, ManifestSet, PlayerState, PlayTarget, ScenarioInfo, Snapshot, Variant, WhatIfResult } from '../../sim/driver.ts';
import type { HostMessage } from '../../sim/driver/protocol.ts';

/** A text channel to a Driver host: the client sends requests, the port reports messages and its end. */
export interface Port {
  send(text: string): void;
  /** Registers the client's handlers (called once, right after construction). */
  attach(onMessage: (text: string) => void, onClose: (reason: string) => void): void;
  close(): void;
}

export class DriverClient implements Driver {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(m: DriverPush) => void>();
  private closed: string | undefined;

  constructor(private readonly port: Port) {
    port.attach(
      (text) => this.onMessage(text),
      (reason) => {
        if (this.closed) return;
        this.closed = reason;
        for (const p of this.pending.values()) p.reject(new Error(reason));
        this.pending.clear();
      },
    );
  }

  private onMessage(text: string): void {
    let msg: Partial<HostMessage> & { id?: unknown; result?: unknown; error?: { code: string; message: string }; push?: DriverPush };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return;
    }
    if (msg.push) {
      for (const l of this.listeners) l(msg.push);
      return;
    }
    const p = typeof msg.id === 'number' ? this.pending.get(msg.id) : undefined;
    if (!p) return;
    this.pending.delete(msg.id as number);
    if (msg.error) p.reject(new Error(`${msg.error.code}: ${msg.error.message}`));
    else p.resolve(msg.result);
  }

  private request<T>(method: DriverMethod, params: object = {}): Promise<T> {
    if (this.closed) return Promise.reject(new Error(this.closed));
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.port.send(JSON.stringify({ id, method, params }));
    });
  }

  scenarios = (): Promise<readonly ScenarioInfo[]> => this.request('scenarios');
  load = (req: LoadRequest): Promise<PlayerState> => this.request('load', req);
  state = (): Promise<PlayerState> => this.request('state');
  playTo = (target: PlayTarget): Promise<PlayerState> => this.request('playTo', { target });
  snapshot = (): Promise<Snapshot> => this.request('snapshot');
  events = (since?: number): Promise<readonly EventView[]> => this.request('events', since === undefined ? {} : { since });
  calls = (since?: number): Promise<readonly CallView[]> => this.request('calls', since === undefined ? {} : { since });
  inspect = (target: InspectTarget): Promise<Inspection> => this.request('inspect', { target });
  exec = (cluster: string | undefined, command: string): Promise<ExecResult> => this.request('exec', cluster === undefined ? { command } : { cluster, command });
  manifests = (): Promise<ManifestSet> => this.request('manifests');
  setManifests = (edits: FileEdits): Promise<ManifestSet> => this.request('setManifests', { edits });
  whatIf = (edits: FileEdits): Promise<WhatIfResult> => this.request('whatIf', { edits });
  check = (edits: FileEdits, expectationsOf?: Variant): Promise<CheckResult> => this.request('check', expectationsOf === undefined ? { edits } : { edits, expectationsOf });

  subscribe(listener: (m: DriverPush) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.listeners.clear();
    this.port.close();
  }
}
