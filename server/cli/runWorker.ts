/**
 * A `fedlab run` worker thread: plays the variants it is sent, one at a time, and posts each result
 * back. RSA keys come from the main thread's stock (one stock for the whole pool).
 */
import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import type { StockKeyRequest } from '../../sim/pki/keyStock.ts';
import { playVariant, variantContext, type VariantJob } from './runVariant.ts';

const port = parentPort!;
const waiting = new Map<number, (pair: CryptoKeyPair) => void>();
let nextRequest = 0;
const keySource = (req: StockKeyRequest): Promise<CryptoKeyPair> =>
  new Promise((resolve) => {
    const id = nextRequest++;
    waiting.set(id, resolve);
    port.postMessage({ keyRequest: { id, req } });
  });

const context = variantContext((workerData as { cwd: string }).cwd, [], keySource);

port.on('message', (m: { job?: VariantJob; keyReply?: { id: number; pair: CryptoKeyPair }; stop?: true }) => {
  // Asked to stop: wait for the key generations still under way first. Node 20 aborts the whole process
  // when a WebCrypto job finishes in a worker that is being terminated (KeyObjectHandle on a torn-down
  // environment: "FATAL ERROR: v8::ToLocalChecked Empty MaybeLocal").
  if (m.stop) {
    void context.keys.drain().then(() => port.close());
    return;
  }
  if (m.keyReply) {
    waiting.get(m.keyReply.id)?.(m.keyReply.pair);
    waiting.delete(m.keyReply.id);
    return;
  }
  if (!m.job) return;
  playVariant(m.job, context).then(
    (result) => port.postMessage({ result }),
    (e: unknown) => port.postMessage({ error: (e as Error)?.message ?? String(e) }),
  );
});
