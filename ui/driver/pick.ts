/**
 * Which driver the page uses: the server marks the page it serves (`<meta name="fedlab-mode"
 * content="remote">`); the static build has no mark and runs the engine in the page. The local driver
 * is loaded on demand, so the served page does not parse the engine it does not run.
 */
import type { Driver } from '../../sim/driver.ts';
import { RemoteDriver } from './remote.ts';

export interface Picked {
  readonly driver: Driver;
  readonly mode: 'remote' | 'local';
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
  const { localDriver } = await import('./local.ts');
  return { driver: localDriver(), mode: 'local', defaultScenario: fromHash ?? 'scenarios/golden-path.yaml' };
}
