/**
 * The engine in the page (the static build): a SimDriver over the scenario library bundled into the
 * page (every file under scenarios/, as text), with the browser's WebCrypto.
 */
import { SimDriver, type Driver, type FileSource } from '../../sim/driver.ts';

const raw = import.meta.glob('../../scenarios/**/*', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

/** The bundled library keyed as the server keys it: `scenarios/…`. */
export function bundledFiles(): FileSource {
  const files = new Map(Object.entries(raw).map(([k, v]) => [k.replace(/^(\.\.\/)+/, ''), v]));
  return { list: () => [...files.keys()], read: (p) => files.get(p) };
}

export function localDriver(): Driver {
  return new SimDriver({ files: bundledFiles(), crypto: globalThis.crypto });
}
