/**
 * The timeline: the scenario's steps on a track (one stop per step, so long clock jumps do not crush
 * the short steps), each labelled with its virtual time once reached; time jumps (advance, CA
 * rotation) marked; the density of events under each step; a scrubber to move back and forth; and,
 * beside it, the current step's outcome and the expectations once checked (each failure with its
 * causal chain, whose objects are links to the inspector).
 */
import type { CausalChain, ObjectRef } from '../../../sim/core/causal.ts';
import type { EventView, PlayerState } from '../../../sim/driver.ts';
import { el } from '../dom.ts';

export interface TimelineCallbacks {
  seek(position: number): void;
  openRef(ref: ObjectRef): void;
}

const clock = (ms: number | undefined): string => (ms === undefined ? '' : new Date(ms).toISOString().slice(11, 19));

export function chainElement(chain: CausalChain, openRef: (r: ObjectRef) => void): HTMLElement {
  const ol = el('ol', 'chain');
  for (const s of chain.stages) {
    const li = el('li', s.ok ? 'ok' : 'fail');
    li.append(el('span', 'stage', s.stage), document.createTextNode(` ${s.message}`));
    for (const r of s.refs) {
      const a = el('a', 'ref', `${r.cluster ? `${r.cluster}/` : ''}${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}${r.field ? ` ${r.field}` : ''}${r.file ? ` — ${r.file}${r.line !== undefined ? `:${r.line}` : ''}` : ''}`);
      a.href = '#';
      a.dataset.ref = JSON.stringify(r);
      a.addEventListener('click', (e) => {
        e.preventDefault();
        openRef(r);
      });
      li.append(el('br'), a);
    }
    ol.append(li);
  }
  return ol;
}

export interface TimelineView {
  update(state: PlayerState, events: readonly EventView[]): void;
}

export function createTimelineView(host: HTMLElement, cb: TimelineCallbacks): TimelineView {
  host.classList.add('timeline');
  const track = el('div', 'track');
  const scrub = el('input', 'scrubber');
  scrub.type = 'range';
  scrub.min = '0';
  scrub.step = '1';
  scrub.setAttribute('aria-label', 'scrub through the steps');
  scrub.addEventListener('change', () => cb.seek(Number(scrub.value)));
  const detail = el('div', 'step-detail');
  const results = el('div', 'results');
  const left = el('div', 'timeline-left');
  left.append(track, scrub, detail);
  host.append(left, results);

  return {
    update(state, events) {
      const total = state.total;
      scrub.max = String(total);
      scrub.value = String(state.position);
      track.replaceChildren();
      const stops = [{ position: 0, label: 'clusters and manifests', time: state.startTime || undefined, jump: undefined as string | undefined, ok: state.setup.every((s) => s.outcome?.ok !== false) }, ...state.steps.map((s) => ({ position: s.position, label: s.label, time: s.endTime, jump: s.timeJump?.text, ok: s.outcome ? s.outcome.ok : undefined }))];
      // Events under each step, counted once: the bars' heights and their scale both read them.
      const counts = state.steps.map((s) => (s.startTime !== undefined && s.endTime !== undefined ? events.filter((e) => e.time > s.startTime! && e.time <= s.endTime!).length : 0));
      const max = Math.max(1, ...counts);
      for (const s of stops) {
        const b = el('button', `stop${s.position === state.position ? ' current' : ''}${s.position <= state.position ? ' done' : ''}${s.ok === false ? ' fail' : ''}${s.jump ? ' jump' : ''}`);
        b.type = 'button';
        b.dataset.position = String(s.position);
        b.title = `${s.position}. ${s.label}${s.time ? ` — ${clock(s.time)}` : ''}${s.jump ? ` (time jump: ${s.jump})` : ''}`;
        const n = counts[s.position - 1] ?? 0;
        const bar = el('span', 'density');
        bar.style.height = `${Math.round((n / max) * 18)}px`;
        b.append(bar, el('span', 'dot'), el('span', 'time', s.jump ? `+${s.jump}` : clock(s.time)));
        b.addEventListener('click', () => cb.seek(s.position));
        track.append(b);
      }
      detail.replaceChildren();
      const cur = state.position === 0 ? undefined : state.steps[state.position - 1];
      const head = el('div', 'step-head', cur ? `Step ${cur.position}/${total}: ${cur.label}` : `Start: clusters created${state.setup.length ? `, ${state.setup.length} manifests applied` : ' and their manifests applied'} · ${total} steps to play`);
      detail.append(head);
      if (cur?.outcome) {
        const o = cur.outcome;
        if (!o.ok) detail.append(el('div', 'fail', o.message ?? 'failed'));
        const out = `${o.stdout ?? ''}${o.stderr ?? ''}`.trim();
        if (out) detail.append(el('pre', 'output', out.length > 4000 ? `${out.slice(0, 4000)}\n…` : out));
        if (o.chain) detail.append(chainElement(o.chain, cb.openRef));
      }
      results.replaceChildren();
      if (state.error) results.append(el('div', 'fail', state.error));
      if (!state.expectations) {
        results.append(el('div', 'muted', total === 0 ? '' : `Expectations are checked after the last step (${state.position}/${total}).`));
        return;
      }
      const passed = state.expectations.filter((e) => e.ok).length;
      results.append(el('div', `verdict ${state.ok ? 'ok' : 'fail'}`, `${state.ok ? '✓' : '✗'} ${passed}/${state.expectations.length} expectations hold (${state.variant})`));
      const ul = el('ul', 'expectations');
      for (const e of state.expectations) {
        const li = el('li', e.ok ? 'ok' : 'fail');
        li.dataset.ok = String(e.ok);
        li.append(el('span', 'msg', e.message));
        if (e.chain) {
          const d = el('details', 'chain-box');
          d.append(el('summary', undefined, 'why'), chainElement(e.chain, cb.openRef));
          li.append(d);
        }
        ul.append(li);
      }
      results.append(ul);
    },
  };
}
