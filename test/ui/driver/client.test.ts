// The page's protocol client (ui/driver/client.ts) against the shared host side
// (sim/driver/protocol.ts: validation + dispatch), joined by an in-memory port as the worker joins
// them: requests answered in order, pushes delivered, a host error becomes a rejection, a bad
// message an error reply, and a closed port fails what waits and every later request.
import { describe, expect, it } from 'vitest';
import type { Driver, DriverPush, PlayerState } from '../../../sim/driver.ts';
import { dispatch, parseRequestText, type HostMessage } from '../../../sim/driver/protocol.ts';
import { DriverClient, type Port } from '../../../ui/driver/client.ts';

const state = (position: number): PlayerState => ({ run: 1, variant: 'broken', seed: 1, position, total: 3, time: 0, startTime: 0, steps: [], setup: [], edited: [] });

function fakeDriver(push: (m: DriverPush) => void): Driver {
  let position = 0;
  const no = (): never => {
    throw new Error('not in this test');
  };
  return {
    scenarios: async () => [],
    load: async () => state((position = 0)),
    state: async () => state(position),
    playTo: async (t) => {
      if ('position' in t && t.position > 3) throw new Error('beyond the end');
      position = 'position' in t ? t.position : 3;
      push({ type: 'state', state: state(position) });
      return state(position);
    },
    snapshot: no,
    events: no,
    calls: no,
    inspect: no,
    exec: async (cluster, command) => ({ stdout: `${cluster ?? '-'} ${command}`, stderr: '', exitCode: 0 }),
    manifests: no,
    setManifests: no,
    whatIf: no,
    check: no,
    subscribe: () => () => undefined,
    dispose: () => undefined,
  };
}

/** A host like worker.ts, in memory (messages cross asynchronously, as text). */
function memoryPair(): { port: Port; hostSend(text: string): void; close(reason: string): void; sent: string[] } {
  let toClient: (text: string) => void = () => undefined;
  let closed: (reason: string) => void = () => undefined;
  const sent: string[] = [];
  const post = (m: HostMessage): void => void queueMicrotask(() => toClient(JSON.stringify(m)));
  const driver = fakeDriver((push) => post({ push }));
  const host = (text: string): void => {
    sent.push(text);
    const parsed = parseRequestText(text);
    if (!parsed.ok) return post(parsed.reply);
    const r = parsed.request;
    dispatch(driver, r).then(
      (result) => post({ id: r.id, result }),
      (e: unknown) => post({ id: r.id, error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } }),
    );
  };
  return {
    port: {
      send: (text) => queueMicrotask(() => host(text)),
      attach(onMessage, onClose) {
        toClient = onMessage;
        closed = onClose;
      },
      close: () => closed('closed by the page'),
    },
    hostSend: (text) => toClient(text),
    close: (reason) => closed(reason),
    sent,
  };
}

describe('DriverClient over a port', () => {
  it('sends protocol requests, resolves their results and delivers pushes', async () => {
    const pair = memoryPair();
    const client = new DriverClient(pair.port);
    const pushes: DriverPush[] = [];
    client.subscribe((m) => pushes.push(m));
    const [s, e] = await Promise.all([client.playTo({ position: 2 }), client.exec(undefined, 'kubectl get pods')]);
    expect(s.position).toBe(2);
    expect(e.stdout).toBe('- kubectl get pods');
    expect(pushes).toEqual([{ type: 'state', state: state(2) }]);
    expect(JSON.parse(pair.sent[0]!)).toEqual({ id: 1, method: 'playTo', params: { target: { position: 2 } } });
    expect(JSON.parse(pair.sent[1]!)).toEqual({ id: 2, method: 'exec', params: { command: 'kubectl get pods' } });
  });

  it('turns a host error into a rejection with its code', async () => {
    const client = new DriverClient(memoryPair().port);
    await expect(client.playTo({ position: 9 })).rejects.toThrow('internal: beyond the end');
    await expect(client.playTo({ position: -1 })).rejects.toThrow(/^bad-params: playTo: target.position must be a non-negative integer/);
  });

  it('ignores replies it did not ask for and text that is not JSON', async () => {
    const pair = memoryPair();
    const client = new DriverClient(pair.port);
    pair.hostSend('not json');
    pair.hostSend(JSON.stringify({ id: 77, result: 1 }));
    expect((await client.state()).position).toBe(0);
  });

  it('fails what waits and every later request once the port closes', async () => {
    const pair = memoryPair();
    const client = new DriverClient(pair.port);
    const waiting = client.state();
    pair.close("the engine's worker failed: boom");
    await expect(waiting).rejects.toThrow("the engine's worker failed: boom");
    await expect(client.scenarios()).rejects.toThrow("the engine's worker failed: boom");
  });
});
