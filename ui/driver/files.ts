/**
 * The scenario library bundled into the static build (every file under scenarios/, as text), keyed
 * as the server keys it: `scenarios/…`. Imported by the engine's hosts in the browser (worker.ts,
 * and local.ts for the in-page fallback), never by the page's shell, so the shell stays small.
 */
import type { FileSource } from '../../sim/driver.ts';

const raw = import.meta.glob('../../scenarios/**/*', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export function bundledFiles(): FileSource {
  const files = new Map(Object.entries(raw).map(([k, v]) => [k.replace(/^(\.\.\/)+/, ''), v]));
  return { list: () => [...files.keys()], read: (p) => files.get(p) };
}
