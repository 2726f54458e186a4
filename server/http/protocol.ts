/**
 * The ws side of the Driver protocol (sim/driver/protocol.ts holds the messages, their validation and
 * the dispatch, shared with the static build's worker): here the socket's size limit and byte decoding.
 */
import { MAX_MESSAGE_BYTES, parseRequestText, type ErrorReply, type Request } from '../../sim/driver/protocol.ts';

export { MAX_MESSAGE_BYTES, dispatch, type ErrorReply } from '../../sim/driver/protocol.ts';

/** Parses and validates one incoming ws message. */
export function parseRequest(data: string | Buffer | ArrayBuffer | Buffer[], size: number): { ok: true; request: Request } | { ok: false; reply: ErrorReply } {
  if (size > MAX_MESSAGE_BYTES) return { ok: false, reply: { id: null, error: { code: 'too-large', message: `message of ${size} bytes exceeds the limit of ${MAX_MESSAGE_BYTES}` } } };
  const text = typeof data === 'string' ? data : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
  return parseRequestText(text);
}
