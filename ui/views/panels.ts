/**
 * The event log panel: the run's events on the virtual clock, newest last, filterable by type or
 * source (`spire.bundle`, `mesh.call`, `west/spire-server`).
 */
import type { EventView } from '../../sim/driver.ts';
import { el } from './dom.ts';

const MAX_ROWS = 400;

export function createEventsView(host: HTMLElement): { update(events: readonly EventView[]): void } {
  host.classList.add('events');
  const filter = el('input', 'filter');
  filter.placeholder = 'filter events (type or source), e.g. spire.bundle or mesh.call';
  const table = el('table');
  host.append(filter, table);
  let last: readonly EventView[] = [];
  const render = (): void => {
    const f = filter.value.trim();
    const rows = (f ? last.filter((e) => e.type.includes(f) || e.source.includes(f)) : last).slice(-MAX_ROWS);
    table.replaceChildren(
      ...rows.map((e) => {
        const tr = el('tr', /fail|reject|error|denied|expired/.test(e.type) ? 'fail' : undefined);
        const data = JSON.stringify(e.data);
        tr.append(el('td', 'time', new Date(e.time).toISOString().slice(11, 19)), el('td', 'type', e.type), el('td', 'source', e.source), el('td', 'data', data.length > 160 ? `${data.slice(0, 160)}…` : data));
        return tr;
      }),
    );
  };
  filter.addEventListener('input', render);
  return {
    update(events) {
      last = events;
      render();
    },
  };
}
