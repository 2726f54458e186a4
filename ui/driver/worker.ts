/**
 * The static build's engine host: a module Web Worker running a SimDriver over the bundled library
 * (WebCrypto works in workers), so playing a step or parsing the library never blocks the page. It
 * speaks the lab server's protocol (sim/driver/protocol.ts: the same validation, dispatch and
 * messages), one JSON text per postMessage; the page's side is client.ts over workerClient.ts.
 */
import { SimDriver } from '../../sim/driver.ts';
import { dispatch, MAX_MESSAGE_BYTES, parseRequestText, type HostMessage } from '../../sim/driver/protocol.ts';
import { bundledFiles } from './files.ts';

/** The worker's global scope, typed by hand (the project's lib is DOM, not WebWorker). */
const scope = globalThis as unknown as { postMessage(text: string): void; addEventListener(type: 'message', fn: (e: MessageEvent<unknown>) => void): void };

const post = (m: HostMessage): void => scope.postMessage(JSON.stringify(m));

const driver = new SimDriver({ files: bundledFiles(), crypto: globalThis.crypto });
driver.subscribe((push) => post({ push }));

scope.addEventListener('message', (e) => {
  if (typeof e.data !== 'string') return post({ id: null, error: { code: 'bad-request', message: 'messages are JSON text' } });
  if (e.data.length > MAX_MESSAGE_BYTES) return post({ id: null, error: { code: 'too-large', message: `message of ${e.data.length} characters exceeds the limit of ${MAX_MESSAGE_BYTES}` } });
  const parsed = parseRequestText(e.data);
  if (!parsed.ok) return post(parsed.reply);
  const r = parsed.request;
  dispatch(driver, r).then(
    (result) => post({ id: r.id, result }),
    (err: unknown) => post({ id: r.id, error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } }),
  );
});
