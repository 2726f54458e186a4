/**
 * The Driver over ws (`fedlab start`): each method is a request { id, method, params } answered by
 * { id, result } or { id, error }; pushes ({ push }) go to subscribers. A closed socket fails the
 * requests in flight with a message the page shows.
 */
import type { CallView, CheckResult, Driver, DriverMethod, DriverPush, EventView, ExecResult, FileEdits, Inspection, InspectTarget, LoadRequest, ManifestSet, PlayerState, PlayTarget, ScenarioInfo, Snapshot, Variant, WhatIfResult } from '../../sim/driver.ts';

export class RemoteDriver implements Driver {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(m: DriverPush) => void>();
  private closed: string | undefined;

  private constructor(private readonly ws: WebSocket) {
    ws.addEventListener('message', (e: MessageEvent<string>) => this.onMessage(e.data));
    ws.addEventListener('close', (e) => {
      this.closed = `the connection to the lab server closed${e.reason ? ` (${e.reason})` : ''}`;
      for (const p of this.pending.values()) p.reject(new Error(this.closed));
      this.pending.clear();
    });
  }

  static connect(url: string): Promise<RemoteDriver> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.addEventListener('open', () => resolve(new RemoteDriver(ws)), { once: true });
      ws.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)), { once: true });
    });
  }

  private onMessage(text: string): void {
    let msg: { id?: number | null; result?: unknown; error?: { code: string; message: string }; push?: DriverPush };
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
      this.ws.send(JSON.stringify({ id, method, params }));
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
    this.ws.close();
  }
}
