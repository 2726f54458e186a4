/**
 * The page's handle on the engine's Web Worker (worker.ts): the protocol client (client.ts) on the
 * worker's message port. Resolves once the worker has loaded the engine and answered a first request,
 * so a worker that cannot start (no module workers, a blocked script, an error while loading) is
 * known before the page relies on it and pick.ts can fall back to the engine in the page.
 */
import { DriverClient, type Port } from './client.ts';

function workerPort(worker: Worker): Port {
  return {
    send: (text) => worker.postMessage(text),
    attach(onMessage, onClose) {
      worker.addEventListener('message', (e: MessageEvent<string>) => onMessage(e.data));
      worker.addEventListener('error', (e) => {
        // An uncaught error in the worker (loading the engine included) ends it: fail what waits.
        e.preventDefault();
        worker.terminate();
        onClose(`the engine's worker failed${e.message ? `: ${e.message}` : ''}`);
      });
      worker.addEventListener('messageerror', () => onClose("the engine's worker sent a message that could not be read"));
    },
    close: () => worker.terminate(),
  };
}

export async function workerDriver(): Promise<DriverClient> {
  // Vite bundles worker.ts (and the engine it imports) as its own module chunk, with a URL relative
  // to this chunk, so it also works from the static build's sub-path.
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'fedlab-engine' });
  const client = new DriverClient(workerPort(worker));
  await client.state();
  return client;
}
