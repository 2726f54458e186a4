/**
 * The call view: every request the run made through the mesh (a curl from a pod), and the selected
 * one stage by stage — DNS/route → endpoint → gateway/SNI → client TLS → server TLS → RBAC → app, and
 * the real sockets' `wire` stages when the server runs with --wire. Each stage opens to its details;
 * the failing stage is highlighted with its causal chain: the objects that decided it (each with the
 * manifest file:line it came from, a click away from the inspector and the editor), then the step or
 * expectation whose command made the call.
 */
import type { CallView, Driver, ExpectationInfo, PlayerState, StepInfo } from '../../../sim/driver.ts';
import { chainElement } from '../timeline/view.ts';
import { button, el, fileLink, links, refLink } from '../dom.ts';
import { callStages, callTitle, type StageRow } from './stages.ts';

const MAX_ROWS = 500;
const clock = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

export interface CallViewApi {
  /** Re-reads the calls of the run (after the player moved or an exec). */
  refresh(state: PlayerState | undefined): Promise<void>;
  select(index: number): void;
  /** The first failing call, selected (the e2e flow and "open the failing call"). */
  selectFailing(): boolean;
}

export function createCallView(host: HTMLElement, driver: Driver, counts: (total: number, failing: number) => void = () => undefined): CallViewApi {
  host.classList.add('calls');
  const list = el('div', 'call-list');
  const detail = el('div', 'call-detail');
  host.append(list, detail);
  let calls: readonly CallView[] = [];
  let state: PlayerState | undefined;
  let selected: number | undefined;
  let run = -1;
  let filter: 'all' | 'failing' = 'all';

  const drawList = (): void => {
    const head = el('div', 'call-list-head');
    const failing = calls.filter((c) => !c.ok).length;
    head.append(el('span', undefined, `${calls.length} call${calls.length === 1 ? '' : 's'}${failing ? `, ` : ''}`));
    if (failing) head.append(el('span', 'fail', `${failing} failing`));
    const f = el('select', 'call-filter');
    f.setAttribute('aria-label', 'which calls');
    f.append(Object.assign(el('option', undefined, 'all'), { value: 'all' }), Object.assign(el('option', undefined, 'failing only'), { value: 'failing' }));
    f.value = filter;
    f.addEventListener('change', () => {
      filter = f.value as typeof filter;
      drawList();
    });
    head.append(f);
    const table = el('table', 'call-table');
    const shown = (filter === 'failing' ? calls.filter((c) => !c.ok) : calls).slice(-MAX_ROWS);
    if (shown.length === MAX_ROWS) head.append(el('span', 'muted', ` (last ${MAX_ROWS})`));
    for (const c of shown) {
      const tr = el('tr', `call ${c.ok ? 'call-ok' : 'call-fail'}${c.index === selected ? ' selected' : ''}`);
      tr.dataset.index = String(c.index);
      tr.dataset.ok = String(c.ok);
      tr.title = `${callTitle(c)} — ${c.trace.response.status}`;
      const served = c.trace.servedBy ? `${c.trace.servedBy.cluster}/${c.trace.servedBy.pod.replace(/-[a-z0-9]{6,10}-[a-z0-9]{5}$/, '')}` : (c.trace.localReply?.responseCodeDetails ?? '');
      tr.append(el('td', 'n', String(c.index + 1)), el('td', 'time', clock(c.time)), el('td', 'status', String(c.trace.response.status)), el('td', 'what', `${c.client.cluster}/${c.client.pod.replace(/-[a-z0-9]{6,10}-[a-z0-9]{5}$/, '')} → ${c.trace.request.authority}${c.trace.request.path}`), el('td', 'served', served));
      tr.addEventListener('click', () => api.select(c.index));
      table.append(tr);
    }
    list.replaceChildren(head, calls.length ? table : el('p', 'muted', 'No calls yet. Calls appear when a step or an expectation runs curl in a pod (play the scenario), or when you run one in the terminal.'));
  };

  const stepOf = (c: CallView): StepInfo | ExpectationInfo | undefined => {
    if (!state) return undefined;
    const step = state.steps.find((s) => s.startTime !== undefined && s.endTime !== undefined && c.time > s.startTime && c.time <= s.endTime);
    return step;
  };

  const stageRow = (r: StageRow, failing: boolean, resolve: boolean): HTMLElement => {
    const d = el('details', `stage-row ${r.ok ? 'ok' : 'fail'}${failing ? ' failing' : ''}`);
    d.dataset.stage = r.stage;
    d.dataset.ok = String(r.ok);
    if (failing) d.open = true;
    const sum = el('summary');
    sum.append(el('span', 'mark', r.ok ? '✓' : '✗'), el('span', 'stage-name', r.label), el('span', 'stage-detail', r.detail));
    if (r.attempt !== undefined) sum.append(el('span', 'attempt muted', ` attempt ${r.attempt} → ${r.endpoint}`));
    d.append(sum);
    const body = el('div', 'stage-body');
    body.append(el('div', 'detail-full', r.detail));
    for (const ref of r.refs) {
      const line = el('div', 'ref-line');
      line.append(refLink(ref));
      body.append(line);
      if (resolve && ref.cluster)
        void driver.inspect({ type: 'object', cluster: ref.cluster, kind: ref.kind, ...(ref.namespace ? { namespace: ref.namespace } : {}), name: ref.name }).then((i) => {
          if (i.type === 'object' && i.ref.file) line.append(' ', fileLink(i.ref.file, i.ref.line));
        });
    }
    if (r.wire) body.append(el('pre', 'wire', JSON.stringify(r.wire, null, 2)));
    d.append(body);
    return d;
  };

  const drawDetail = (): void => {
    const c = calls.find((x) => x.index === selected);
    if (!c) {
      detail.replaceChildren(el('p', 'muted', calls.length ? 'Select a call to see it stage by stage.' : ''));
      return;
    }
    const s = callStages(c);
    const head = el('div', 'call-head');
    head.append(el('span', `status-badge ${c.ok ? 'ok' : 'fail'}`, String(c.trace.response.status)), el('span', 'call-title', callTitle(c)));
    const tools = el('span', 'call-tools');
    tools.append(button('client proxy', () => links().inspect({ type: 'proxy', cluster: c.client.cluster, namespace: c.client.namespace, pod: c.client.pod }), 'btn small', "inspect the client sidecar's certificates"));
    const server = c.trace.servedBy ?? (c.target ? { cluster: c.target.split('/')[0]!.replace(/^pod:/, ''), pod: c.target.split('/').pop()! } : undefined);
    const serverNs = c.target?.split('/')[1];
    if (server && serverNs) tools.append(button('server proxy', () => links().inspect({ type: 'proxy', cluster: server.cluster, namespace: serverNs, pod: server.pod }), 'btn small', "inspect the answering side's certificates"));
    head.append(tools);
    const strip = el('div', 'strip');
    for (const cell of s.strip) {
      const b = el('button', `cell ${cell.status}`, cell.label);
      b.type = 'button';
      b.dataset.stage = cell.stage;
      b.dataset.status = cell.status;
      b.addEventListener('click', () => {
        if (cell.row === undefined) return;
        const row = detail.querySelectorAll<HTMLDetailsElement>('details.stage-row')[cell.row];
        if (row) {
          row.open = true;
          row.scrollIntoView({ block: 'nearest' });
        }
      });
      strip.append(b);
    }
    const response = el('div', 'response');
    const lr = c.trace.localReply;
    response.append(el('span', 'muted', 'response: '), el('code', undefined, c.trace.response.body.trim().slice(0, 200) || '(empty)'));
    if (lr) response.append(el('span', 'muted', ` · Envoy local reply, flags ${lr.responseFlags}, details ${lr.responseCodeDetails}${lr.transportFailureReason ? `, ${lr.transportFailureReason}` : ''}`));
    if (s.attempts > 1) response.append(el('span', 'muted', ` · ${s.attempts} attempts (retries)`));
    const rows = el('div', 'stage-rows');
    s.rows.forEach((r, i) => rows.append(stageRow(r, i === s.failing, i === s.failing)));
    const parts: HTMLElement[] = [head, strip, response, rows];
    if (s.failing !== undefined) {
      const f = s.rows[s.failing]!;
      const why = el('div', 'why');
      why.append(el('h4', undefined, 'Why it failed'));
      const ol = el('ol', 'chain');
      const li = el('li', 'fail');
      li.append(el('span', 'stage', f.label), document.createTextNode(` ${f.detail}`));
      for (const r of f.refs) li.append(el('br'), refLink(r));
      ol.append(li);
      const step = stepOf(c);
      if (step && 'label' in step) {
        const sl = el('li', step.outcome?.ok === false ? 'fail' : 'ok');
        sl.append(el('span', 'stage', `step ${step.position}`), document.createTextNode(` ${step.label} `));
        if (step.line !== undefined) sl.append(fileLink(step.file, step.line));
        ol.append(sl);
      }
      why.append(ol);
      if (step && 'outcome' in step && step.outcome?.chain) why.append(chainElement(step.outcome.chain, (r) => links().openRef(r)));
      for (const e of state?.expectations ?? []) if (!e.ok && e.chain) why.append(el('div', 'muted', `${e.at}: ${e.message}`), chainElement(e.chain, (r) => links().openRef(r)));
      parts.push(why);
    }
    detail.replaceChildren(...parts);
  };

  const api: CallViewApi = {
    async refresh(st) {
      state = st;
      const sameRun = !!st && st.run === run;
      if (st && !sameRun) {
        run = st.run;
        selected = undefined;
      }
      // Within a run calls only accumulate: fetch the new ones (a replay is a new run).
      const fresh = await driver.calls(sameRun ? calls.length : 0);
      calls = sameRun ? [...calls, ...fresh.filter((c) => c.index >= calls.length)] : fresh;
      if (selected !== undefined && !calls.some((c) => c.index === selected)) selected = undefined;
      if (selected === undefined) selected = (calls.find((c) => !c.ok) ?? calls[0])?.index;
      counts(calls.length, calls.filter((c) => !c.ok).length);
      drawList();
      drawDetail();
    },
    select(index) {
      selected = index;
      drawList();
      drawDetail();
    },
    selectFailing() {
      const f = calls.find((c) => !c.ok);
      if (f) api.select(f.index);
      return !!f;
    },
  };
  drawList();
  drawDetail();
  return api;
}
