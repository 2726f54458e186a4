/**
 * Which driver the page uses: the server marks the page it serves (`<meta name="fedlab-mode"
 * content="remote">`); the static build has no mark and runs the engine in a Web Worker (worker.ts),
 * or, when no worker can be started, in the page itself (local.ts), saying why. The engine is loaded
 * on demand, so the served page does not parse the engine it does not run.
 */
import type { Driver } from '../../sim/driver.ts';
import { RemoteDriver } from './remote.ts';

export interface Picked {
  readonly driver: Driver;
  /** remote: the lab server; worker: a Web Worker of this page; local: this page's main thread (fallback). */
  readonly mode: 'remote' | 'worker' | 'local';
  /** Why the engine runs on the main thread (the worker could not start). */
  readonly fallback?: string;
  /** The scenario to open first. */
  readonly defaultScenario: string;
}

const meta = (name: string): string | undefined => document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content;

export async function pickDriver(): Promise<Picked> {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('scenario') ?? undefined;
  if (meta('fedlab-mode') === 'remote') {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    return { driver: await RemoteDriver.connect(url), mode: 'remote', defaultScenario: fromHash ?? meta('fedlab-scenario') ?? 'scenarios/golden-path.yaml' };
  }
  const defaultScenario = fromHash ?? 'scenarios/golden-path.yaml';
  // `?engine=page` forces the fallback (to compare, or where workers misbehave).
  const forced = new URLSearchParams(location.search).get('engine') === 'page';
  let fallback = 'asked for by ?engine=page';
  if (!forced) {
    try {
      const { workerDriver } = await import('./workerClient.ts');
      return { driver: await workerDriver(), mode: 'worker', defaultScenario };
    } catch (e) {
      fallback = e instanceof Error ? e.message : String(e);
    }
  }
  const { localDriver } = await import('./local.ts');
  return { driver: localDriver(), mode: 'local', fallback, defaultScenario };
}
