/**
 * The bottom panels besides the timeline: the event log on the virtual clock, and a terminal that
 * runs the emulated commands (kubectl, istioctl, curl…) on the workstation against a cluster's
 * context. Kept small on purpose: richer views replace these through the same Driver calls.
 */
import type { Driver, EventView } from '../../sim/driver.ts';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

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

export function createTerminal(host: HTMLElement, driver: Driver, clusters: () => readonly string[], after: () => void): { refresh(): void } {
  host.classList.add('terminal');
  const out = el('pre', 'screen');
  const form = el('form');
  const ctx = el('select');
  ctx.setAttribute('aria-label', 'context');
  const input = el('input');
  input.placeholder = 'kubectl get pods -A';
  input.setAttribute('aria-label', 'command');
  form.append(ctx, el('span', 'prompt', '$'), input);
  host.append(out, form);
  const history: string[] = [];
  let back = 0;
  let shown = '';
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const line = input.value.trim();
    if (!line) return;
    history.push(line);
    back = 0;
    input.value = '';
    out.textContent += `${ctx.value}$ ${line}\n`;
    void driver.exec(ctx.value || undefined, line).then(
      (r) => {
        out.textContent += `${r.stdout}${r.stderr}`;
        out.scrollTop = out.scrollHeight;
        after();
      },
      (err: unknown) => {
        out.textContent += `${err instanceof Error ? err.message : String(err)}\n`;
      },
    );
  });
  input.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
    back = Math.max(0, Math.min(history.length, back + (e.key === 'ArrowUp' ? 1 : -1)));
    input.value = back === 0 ? '' : (history[history.length - back] ?? '');
    e.preventDefault();
  });
  return {
    refresh() {
      const names = clusters();
      if (names.join(' ') === shown) return;
      // Another scenario: its first cluster, as the lab's kubeconfig does.
      shown = names.join(' ');
      ctx.replaceChildren(...names.map((n) => Object.assign(el('option', undefined, n), { value: n })));
    },
  };
}
