/**
 * The browser lab's shell: header (scenario picker, variant, player controls, virtual clock), the
 * topology (left), the inspector (right), and the bottom tabs (timeline, events, terminal). It holds
 * a Driver — the engine in this page (static build) or the lab server over ws — and two xstate
 * actors: the app (what is loaded and selected) and the player (where the run is, playing or not).
 * Views are redrawn from what the driver pushes (state, snapshot, events).
 *
 * `?bench=topology&pods=N&clusters=C` draws a synthetic topology instead and marks
 * `topology-laid-out` (the layout bench, bench/topology.bench.ts).
 */
import { createActor } from 'xstate';
import type { Driver, EventView, PlayerState, ScenarioInfo, Snapshot, Variant } from '../sim/driver.ts';
import { pickDriver } from './driver/pick.ts';
import { appMachine, type BottomTab } from './state/app.ts';
import { playerMachine, SPEEDS } from './state/player.ts';
import { createTopologyView, HEALTH_COLOUR } from './views/topology/view.ts';
import { syntheticSnapshot } from './views/topology/synthetic.ts';
import { createTimelineView } from './views/timeline/view.ts';
import { createInspector } from './views/inspector.ts';
import { createEventsView } from './views/panels.ts';
import { mountWorkbench } from './workbench.ts';
import { links } from './views/dom.ts';
import { scenarioLabel } from './views/training/spoilers.ts';
import type { Spoilers } from './views/training/view.ts';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

function bench(params: URLSearchParams): void {
  const snapshot = syntheticSnapshot(Number(params.get('clusters') ?? 3), Number(params.get('pods') ?? 1000));
  performance.mark('topology-start');
  const view = createTopologyView($('topology'), () => undefined);
  const layout = view.update(snapshot);
  // Layout is synchronous: once update returns every pod is at its final position.
  performance.mark('topology-laid-out');
  document.body.dataset.laidOut = String(performance.getEntriesByName('topology-laid-out')[0]!.startTime);
  document.body.dataset.pods = String(layout.pods.length);
  $('status').textContent = `bench: ${layout.pods.length} pods in ${snapshot.clusters.length} clusters laid out at ${Math.round(performance.now())} ms after navigation`;
}

function legend(host: HTMLElement): void {
  const items: [string, string][] = [
    ['healthy', HEALTH_COLOUR.healthy],
    ['warning', HEALTH_COLOUR.warning],
    ['failing', HEALTH_COLOUR.failing],
    ['pending', HEALTH_COLOUR.pending],
  ];
  host.innerHTML = '';
  for (const [name, colour] of items) {
    const s = document.createElement('span');
    s.innerHTML = `<i style="background:${colour}"></i>${name}`;
    host.append(s);
  }
  const kinds = document.createElement('span');
  kinds.className = 'kinds';
  kinds.textContent = 'links: ━ federation · ╍ discovery · ━ traffic · ┄ xDS/SDS (shown when failing or selected)';
  host.append(kinds);
}

async function lab(): Promise<void> {
  const status = $('status');
  status.textContent = 'starting…';
  const { driver, mode, defaultScenario, fallback } = await pickDriver();
  performance.mark('fedlab:engine-ready');
  document.body.dataset.mode = mode;
  $('mode').textContent = mode === 'remote' ? 'engine on the lab server' : mode === 'worker' ? 'engine in a worker' : 'engine in this page';
  $('mode').title = mode === 'remote' ? 'each tab has its own world on the lab server (ws)' : mode === 'worker' ? 'the engine runs in a Web Worker of this page: the page stays live while it plays' : `no worker (${fallback ?? '?'}): the engine runs on the page's main thread, which pauses while it works`;
  // The fallback stays said in the status bar: the page pausing while a step plays is then expected.
  const engineNote = fallback ? ` · no worker (${fallback}): the engine runs in this page, which pauses while it works` : '';
  status.textContent = `listing the scenarios…${engineNote}`;
  legend($('legend'));

  let state: PlayerState | undefined;
  let snapshot: Snapshot | undefined;
  let events: EventView[] = [];
  let run = -1;

  const inspector = createInspector($('inspector'), driver);
  const topology = createTopologyView($('topology'), (s) => {
    if (s.type === 'pod') {
      topology.select(s.pod.id);
      void inspector.showPod(s.pod);
    } else if (s.type === 'link') inspector.showLink(s.link);
    else {
      topology.select(undefined);
      inspector.showCluster(s.cluster);
    }
  });
  const timeline = createTimelineView($('tab-timeline'), {
    seek: (position) => player.send({ type: 'SEEK', position }),
    // The object in the inspector and its manifest line in the editor (ui/views/dom.ts links).
    openRef: (ref) => links().openRef(ref),
  });
  const eventsView = createEventsView($('tab-events'));
  // Calls, editor + what-if, terminal, training and the autosave (ui/workbench.ts).
  // Training hides challenge titles (they name the cause): the picker and the status bar ask it.
  let spoilers: Spoilers | undefined;
  const infos = new Map<string, ScenarioInfo>();
  const label = (s: ScenarioInfo): string => scenarioLabel(s, spoilers?.hideTitle(s) ?? false);
  const relabel = (): void => {
    for (const o of $<HTMLSelectElement>('scenario').querySelectorAll('option')) {
      const info = infos.get(o.value);
      if (info) o.textContent = label(info);
    }
    const s = state?.scenario;
    if (s && !state?.error && document.body.dataset.ready === 'true') status.textContent = `${label(s)} — ${state!.variant}${engineNote}`;
  };
  const terminal = mountWorkbench({
    driver,
    inspect: (t) => void inspector.showTarget(t),
    tab: (tab) => app.send({ type: 'TAB', tab }),
    load: (file, variant) => app.send({ type: 'LOAD', file, variant }),
    now: () => state?.time ?? 0,
    spoilers: (s) => {
      spoilers = s;
      document.body.dataset.training = s.training ? 'true' : 'false';
      relabel();
    },
  });
  spoilers = terminal.spoilers();

  const render = (): void => {
    if (!state) return;
    $('clock').textContent = state.time ? new Date(state.time).toISOString().replace('T', ' ').slice(0, 19) : '—';
    $('position').textContent = `${state.position}/${state.total}`;
    document.body.dataset.position = String(state.position);
    document.body.dataset.total = String(state.total);
    document.body.dataset.verdict = state.expectations ? (state.ok ? 'ok' : 'failed') : 'pending';
    timeline.update(state, events);
    const p = player.getSnapshot();
    $('play').textContent = p.matches('playing') ? '||' : '▶';
    $('play').setAttribute('aria-label', p.matches('playing') ? 'pause' : 'play');
    document.body.dataset.player = String(p.value && typeof p.value === 'object' ? Object.keys(p.value)[0] : p.value);
  };

  driver.subscribe((m) => {
    if (m.type === 'state') {
      state = m.state;
      if (m.state.run !== run) {
        run = m.state.run;
        events = [];
      }
      render();
    } else if (m.type === 'events') {
      if (m.run !== run) {
        run = m.run;
        events = [];
      }
      events.push(...m.events);
      eventsView.update(events);
      render();
    } else {
      snapshot = m.snapshot;
      topology.update(m.snapshot);
      terminal.refresh();
      const failing = m.snapshot.links.filter((l) => l.health === 'failing').length;
      document.body.dataset.failingLinks = String(failing);
    }
  });

  const player = createActor(
    playerMachine.provide({
      actions: {
        requestMove: (_, { target }) => {
          document.body.dataset.busy = 'true';
          void driver.playTo({ position: target }).then(
            (s) => {
              document.body.dataset.busy = 'false';
              state = s;
              player.send({ type: 'REACHED', position: s.position, total: s.total });
              render();
            },
            (e: unknown) => {
              document.body.dataset.busy = 'false';
              status.textContent = e instanceof Error ? e.message : String(e);
              player.send({ type: 'FAILED' });
            },
          );
        },
      },
    }),
  );
  player.subscribe(() => render());
  player.start();

  const app = createActor(
    appMachine.provide({
      actions: {
        loadScenario: (_, { file, variant }) => {
          status.textContent = `loading ${file} (${variant})…`;
          document.body.dataset.ready = '';
          void driver.load({ file, variant }).then(
            (s) => {
              state = s;
              if (s.error) {
                status.textContent = s.error;
                app.send({ type: 'FAILED', message: s.error });
                return;
              }
              status.textContent = `${s.scenario ? label(s.scenario) : file} — ${s.variant}${engineNote}`;
              if (!performance.getEntriesByName('fedlab:loaded').length) performance.mark('fedlab:loaded');
              history.replaceState(null, '', `#scenario=${encodeURIComponent(file)}&variant=${s.variant}`);
              const variantSel = $<HTMLSelectElement>('variant');
              variantSel.value = s.variant;
              ($('variant').querySelector('option[value="fixed"]') as HTMLOptionElement).disabled = !(s.scenario?.variants.includes('fixed') ?? false);
              $<HTMLSelectElement>('scenario').value = file;
              inspector.clear();
              player.send({ type: 'LOADED', position: s.position, total: s.total });
              app.send({ type: 'LOADED' });
              document.body.dataset.ready = 'true';
              render();
            },
            (e: unknown) => {
              const message = e instanceof Error ? e.message : String(e);
              status.textContent = message;
              app.send({ type: 'FAILED', message });
            },
          );
        },
      },
    }),
    { input: { file: defaultScenario, variant: (new URLSearchParams(location.hash.slice(1)).get('variant') as Variant | null) ?? 'broken' } },
  );
  app.subscribe((s) => {
    const tab = s.context.tab;
    for (const b of document.querySelectorAll<HTMLButtonElement>('#tabs button')) b.classList.toggle('active', b.dataset.tab === tab);
    for (const p of document.querySelectorAll<HTMLElement>('.tab-panel')) p.hidden = p.id !== `tab-${tab}`;
  });
  app.start();

  // Header controls. The list and the first load go to the driver together (it answers them in
  // order); with the engine in a worker the page stays live meanwhile.
  const picker = $<HTMLSelectElement>('scenario');
  const listing = driver.scenarios();
  app.send({ type: 'LOAD', file: defaultScenario, variant: app.getSnapshot().context.variant });
  const scenarios = await listing;
  performance.mark('fedlab:scenarios-listed');
  for (const s of scenarios) infos.set(s.file, s);
  const groups = new Map<string, ScenarioInfo[]>();
  for (const s of scenarios) {
    const g = s.catalogue ? (/^S/.test(s.catalogue) ? 'Catalogue — SPIRE' : /^M/.test(s.catalogue) ? 'Catalogue — mesh' : 'Guides and samples') : 'Other scenarios';
    groups.set(g, [...(groups.get(g) ?? []), s]);
  }
  for (const [g, list] of groups) {
    const og = document.createElement('optgroup');
    og.label = g;
    for (const s of list.sort((a, b) => (a.catalogue ?? a.id).localeCompare(b.catalogue ?? b.id))) og.append(Object.assign(document.createElement('option'), { value: s.file, textContent: label(s) }));
    picker.append(og);
  }
  picker.value = state?.scenario?.file ?? defaultScenario;
  picker.addEventListener('change', () => app.send({ type: 'LOAD', file: picker.value, variant: 'broken' }));
  $<HTMLSelectElement>('variant').addEventListener('change', (e) => app.send({ type: 'LOAD', file: picker.value, variant: (e.target as HTMLSelectElement).value as Variant }));
  $('restart').addEventListener('click', () => player.send({ type: 'SEEK', position: 0 }));
  $('back').addEventListener('click', () => player.send({ type: 'BACK' }));
  $('play').addEventListener('click', () => player.send(player.getSnapshot().matches('playing') ? { type: 'PAUSE' } : { type: 'PLAY' }));
  $('step').addEventListener('click', () => player.send({ type: 'STEP' }));
  $('end').addEventListener('click', () => player.send({ type: 'END' }));
  const speed = $<HTMLSelectElement>('speed');
  for (const s of SPEEDS) speed.append(Object.assign(document.createElement('option'), { value: String(s), textContent: `${s}×`, selected: s === 1 }));
  speed.addEventListener('change', () => player.send({ type: 'SPEED', speed: Number(speed.value) }));
  for (const b of document.querySelectorAll<HTMLButtonElement>('#tabs button')) b.addEventListener('click', () => app.send({ type: 'TAB', tab: b.dataset.tab as BottomTab }));
  $('fit').addEventListener('click', () => topology.fit());
  window.addEventListener('resize', () => topology.fit());

  // For tests and the curious: the driver and actors of this page.
  (window as unknown as { fedlab: unknown }).fedlab = { driver, player, app, get state() { return state; }, get snapshot() { return snapshot; } } satisfies { driver: Driver; [k: string]: unknown };
}

const params = new URLSearchParams(location.search);
if (params.get('bench') === 'topology') bench(params);
else
  lab().catch((e: unknown) => {
    $('status').textContent = `fedlab could not start: ${e instanceof Error ? e.message : String(e)}`;
    document.body.dataset.ready = 'error';
  });
