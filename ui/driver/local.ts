/**
 * The engine on the page's main thread: the static build's fallback when a Web Worker cannot be
 * created (worker.ts is the normal host). A SimDriver over the bundled library, with WebCrypto.
 */
import { SimDriver, type Driver } from '../../sim/driver.ts';
import { bundledFiles } from './files.ts';

export function localDriver(): Driver {
  return new SimDriver({ files: bundledFiles(), crypto: globalThis.crypto });
}
