/**
 * The browser entry: plays the golden path with the engine running in the page (no server), and
 * lists its steps and expectations. The full lab UI (topology, timeline, inspectors, editor) builds on
 * this with the browser-lab issue.
 */
import { parseScenario, playScenario } from '../sim/scenario/index.ts';
import golden from '../scenarios/golden-path.yaml?raw';
import sleep from '../scenarios/manifests/sleep.yaml?raw';
import helloworld from '../scenarios/manifests/helloworld.yaml?raw';

const files: Record<string, string> = { 'manifests/sleep.yaml': sleep, 'manifests/helloworld.yaml': helloworld };

function item(ok: boolean, text: string): HTMLLIElement {
  const li = document.createElement('li');
  li.className = ok ? 'ok' : 'fail';
  li.textContent = text;
  return li;
}

async function main(): Promise<void> {
  const status = document.getElementById('status')!;
  const list = document.getElementById('results')!;
  const parsed = parseScenario(golden, 'scenarios/golden-path.yaml');
  if (!parsed.ok) {
    status.textContent = parsed.error.message;
    return;
  }
  const report = await playScenario(parsed.value, { variant: 'broken', crypto: globalThis.crypto, readFile: (p) => files[p] });
  status.textContent = `${parsed.value.title}: ${report.ok ? 'all steps and expectations hold' : 'something failed'} (virtual time ${new Date(report.world.clock.now()).toISOString()})`;
  for (const s of report.steps) list.append(item(s.ok, `${s.name ?? s.at}${s.ok ? '' : ` — ${s.message ?? ''}`}`));
  for (const e of report.expectations) list.append(item(e.ok, e.message));
  const pods = await report.world.run('kubectl --context east get pods -A -o wide');
  document.getElementById('output')!.textContent = `$ kubectl --context east get pods -A -o wide\n${pods.stdout}${pods.stderr}`;
  document.body.dataset.ready = report.ok ? 'ok' : 'failed';
}

void main();
