/**
 * The Driver protocol, one JSON text per message, shared by every host of a SimDriver and the page's
 * client (ui/driver/client.ts): the lab server over ws (server/http/protocol.ts adds the size check
 * and the socket's byte decoding) and the static build's Web Worker (ui/driver/worker.ts).
 *   page → host  { id, method, params }            method ∈ DRIVER_METHODS, params an object
 *   host → page  { id, result } | { id, error: { code, message } }
 *                { push: DriverPush }               (state, events, snapshot as the run moves)
 * Every incoming message is validated here before it reaches the driver: unknown methods, bad params
 * and oversized messages get an error reply (id null when the message has none), never a throw.
 * Node-free: the page and the worker import it.
 */
import { DRIVER_METHODS, type Driver, type DriverMethod, type DriverPush, type FileEdits, type InspectTarget, type LoadRequest, type PlayTarget, type Variant } from '../driver.ts';

export const MAX_MESSAGE_BYTES = 1024 * 1024;

export type Request =
  | { readonly id: RequestId; readonly method: 'scenarios' | 'state' | 'snapshot' | 'manifests'; readonly params: Record<string, never> }
  | { readonly id: RequestId; readonly method: 'load'; readonly params: LoadRequest }
  | { readonly id: RequestId; readonly method: 'playTo'; readonly params: { readonly target: PlayTarget } }
  | { readonly id: RequestId; readonly method: 'events' | 'calls'; readonly params: { readonly since?: number } }
  | { readonly id: RequestId; readonly method: 'inspect'; readonly params: { readonly target: InspectTarget } }
  | { readonly id: RequestId; readonly method: 'exec'; readonly params: { readonly cluster?: string; readonly command: string } }
  | { readonly id: RequestId; readonly method: 'setManifests' | 'whatIf'; readonly params: { readonly edits: FileEdits } }
  | { readonly id: RequestId; readonly method: 'check'; readonly params: { readonly edits: FileEdits; readonly expectationsOf?: Variant } };

export type RequestId = number | string;

export type ErrorCode = 'bad-json' | 'bad-request' | 'unknown-method' | 'bad-params' | 'too-large' | 'busy' | 'internal';

export interface ErrorReply {
  readonly id: RequestId | null;
  readonly error: { readonly code: ErrorCode; readonly message: string };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isStr = (v: unknown, max = 4096): v is string => typeof v === 'string' && v.length <= max;
const optional = (o: Obj, k: string, check: (v: unknown) => boolean): boolean => o[k] === undefined || check(o[k]);
const onlyKeys = (o: Obj, keys: readonly string[]): string | undefined => Object.keys(o).find((k) => !keys.includes(k));

function checkTarget(t: unknown): string | undefined {
  if (!isObj(t)) return 'target must be an object';
  const keys = Object.keys(t);
  if (keys.length !== 1) return 'target has exactly one of position, time, end, next';
  if ('position' in t) return isInt(t.position) && t.position >= 0 ? undefined : 'target.position must be a non-negative integer';
  if ('time' in t) return isInt(t.time) ? undefined : 'target.time must be an integer (ms since the epoch)';
  if ('end' in t) return t.end === true ? undefined : 'target.end must be true';
  if ('next' in t) return t.next === true ? undefined : 'target.next must be true';
  return `unknown target ${keys[0]}`;
}

function checkInspect(t: unknown): string | undefined {
  if (!isObj(t)) return 'target must be an object';
  switch (t.type) {
    case 'object':
      return isStr(t.cluster, 253) && isStr(t.kind, 253) && isStr(t.name, 253) && optional(t, 'namespace', (v) => isStr(v, 253)) ? undefined : 'object target needs cluster, kind, name (strings) and an optional namespace';
    case 'certificate':
      return isStr(t.pem, 256 * 1024) && optional(t, 'cluster', (v) => isStr(v, 253)) ? undefined : 'certificate target needs pem (a string)';
    case 'spire-server':
      return isStr(t.cluster, 253) ? undefined : 'spire-server target needs cluster';
    case 'proxy':
      return isStr(t.cluster, 253) && isStr(t.namespace, 253) && isStr(t.pod, 253) ? undefined : 'proxy target needs cluster, namespace and pod';
    default:
      return 'target.type must be object, certificate, spire-server or proxy';
  }
}

function checkEdits(e: unknown): string | undefined {
  if (!isObj(e)) return 'edits must be an object of path → text|null';
  for (const [k, v] of Object.entries(e)) {
    if (!isStr(k, 1024) || k.includes('\0')) return 'edit paths must be strings';
    if (v !== null && typeof v !== 'string') return `edit of ${k} must be a string or null`;
  }
  return undefined;
}

/** Why the params do not fit the method, or undefined when they do. */
function checkParams(method: DriverMethod, p: Obj): string | undefined {
  switch (method) {
    case 'scenarios':
    case 'state':
    case 'snapshot':
    case 'manifests':
      return Object.keys(p).length === 0 ? undefined : `${method} takes no params`;
    case 'load': {
      const extra = onlyKeys(p, ['file', 'variant', 'seed', 'position']);
      if (extra) return `unknown param ${extra}`;
      if (!isStr(p.file, 1024)) return 'file must be a string';
      if (!optional(p, 'variant', (v) => v === 'broken' || v === 'fixed')) return 'variant must be broken or fixed';
      if (!optional(p, 'seed', (v) => isInt(v) && v >= 0)) return 'seed must be a non-negative integer';
      if (!optional(p, 'position', (v) => isInt(v) && v >= 0)) return 'position must be a non-negative integer';
      return undefined;
    }
    case 'playTo':
      return onlyKeys(p, ['target']) ? 'playTo takes { target }' : checkTarget(p.target);
    case 'events':
    case 'calls':
      return onlyKeys(p, ['since']) ? `${method} takes { since? }` : optional(p, 'since', (v) => isInt(v) && v >= 0) ? undefined : 'since must be a non-negative integer';
    case 'inspect':
      return onlyKeys(p, ['target']) ? 'inspect takes { target }' : checkInspect(p.target);
    case 'exec':
      if (onlyKeys(p, ['cluster', 'command'])) return 'exec takes { cluster?, command }';
      if (!isStr(p.command, 64 * 1024)) return 'command must be a string';
      return optional(p, 'cluster', (v) => isStr(v, 253)) ? undefined : 'cluster must be a string';
    case 'setManifests':
    case 'whatIf':
      return onlyKeys(p, ['edits']) ? `${method} takes { edits }` : checkEdits(p.edits);
    case 'check':
      if (onlyKeys(p, ['edits', 'expectationsOf'])) return 'check takes { edits, expectationsOf? }';
      return optional(p, 'expectationsOf', (v) => v === 'broken' || v === 'fixed') ? checkEdits(p.edits) : 'expectationsOf must be broken or fixed';
  }
}

export interface ResultReply {
  readonly id: RequestId;
  readonly result: unknown;
}

export interface PushMessage {
  readonly push: DriverPush;
}

/** Anything a host sends the page. */
export type HostMessage = ResultReply | ErrorReply | PushMessage;

/** Parses and validates one incoming message's text (the host has checked its size). */
export function parseRequestText(text: string): { ok: true; request: Request } | { ok: false; reply: ErrorReply } {
  const fail = (id: RequestId | null, code: ErrorCode, message: string) => ({ ok: false as const, reply: { id, error: { code, message } } });
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return fail(null, 'bad-json', 'message is not JSON');
  }
  if (!isObj(msg)) return fail(null, 'bad-request', 'message must be an object { id, method, params }');
  const id = isInt(msg.id) || isStr(msg.id, 64) ? msg.id : null;
  if (id === null) return fail(null, 'bad-request', 'id must be an integer or a short string');
  if (typeof msg.method !== 'string' || !(DRIVER_METHODS as readonly string[]).includes(msg.method)) return fail(id, 'unknown-method', `unknown method ${JSON.stringify(String(msg.method)).slice(0, 80)}`);
  const extra = onlyKeys(msg, ['id', 'method', 'params']);
  if (extra) return fail(id, 'bad-request', `unknown field ${extra.slice(0, 40)}`);
  const params = msg.params ?? {};
  if (!isObj(params)) return fail(id, 'bad-params', 'params must be an object');
  const why = checkParams(msg.method as DriverMethod, params);
  if (why) return fail(id, 'bad-params', `${msg.method}: ${why}`);
  return { ok: true, request: { id, method: msg.method, params } as Request };
}

/** Runs a validated request on the driver. */
export function dispatch(driver: Driver, r: Request): Promise<unknown> {
  switch (r.method) {
    case 'scenarios':
      return driver.scenarios();
    case 'state':
      return driver.state();
    case 'snapshot':
      return driver.snapshot();
    case 'manifests':
      return driver.manifests();
    case 'load':
      return driver.load(r.params);
    case 'playTo':
      return driver.playTo(r.params.target);
    case 'events':
      return driver.events(r.params.since);
    case 'calls':
      return driver.calls(r.params.since);
    case 'inspect':
      return driver.inspect(r.params.target);
    case 'exec':
      return driver.exec(r.params.cluster, r.params.command);
    case 'setManifests':
      return driver.setManifests(r.params.edits);
    case 'whatIf':
      return driver.whatIf(r.params.edits);
    case 'check':
      return driver.check(r.params.edits, r.params.expectationsOf);
  }
}
