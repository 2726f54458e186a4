/**
 * The terminal: the lab's emulated commands (kubectl, istioctl, curl, openssl, spire-server…) on the
 * workstation shell through Driver.exec, against the context picked per cluster. History with ↑/↓
 * (kept in the browser), stderr drawn apart from stdout, the exit code when not 0, and any PEM
 * certificate in the output one click from the certificate inspector. `clear` clears the screen.
 */
import type { Driver } from '../../../sim/driver.ts';
import type { KeyValueStore } from '../../persist/store.ts';
import { el } from '../dom.ts';
import { inspectPemButton } from '../inspectors/render.ts';

const HISTORY_KEY = 'fedlab.terminal.history.v1';
const MAX_HISTORY = 200;
const MAX_SCREEN_BLOCKS = 300;
const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g;

export interface TerminalApi {
  /** The clusters to offer as contexts (after a load or a snapshot). */
  setClusters(names: readonly string[]): void;
  run(line: string): Promise<void>;
  focus(): void;
}

/** Moves through the history: `back` 0 is the line being typed, 1 the last command… */
export function historyAt(history: readonly string[], back: number): string {
  return back === 0 ? '' : (history[history.length - back] ?? '');
}

export function createTerminalView(host: HTMLElement, driver: Driver, store: KeyValueStore, after: () => void): TerminalApi {
  host.classList.add('terminal');
  const screen = el('div', 'screen');
  screen.setAttribute('role', 'log');
  const form = el('form', 'prompt-line');
  const ctx = el('select', 'context');
  ctx.setAttribute('aria-label', 'kubectl context');
  ctx.title = 'the cluster commands run against (kubectl --context); workstation = the default context';
  const input = el('input', 'command');
  input.placeholder = 'kubectl get pods -A   ·   istioctl pc secret deploy/curl   ·   ↑/↓ history';
  input.setAttribute('aria-label', 'command');
  input.autocomplete = 'off';
  input.spellcheck = false;
  form.append(ctx, el('span', 'dollar', '$'), input);
  host.append(screen, form);
  screen.append(el('div', 'muted', 'Commands run in the lab world at the player position; their effects last until the player replays. Try kubectl get pods -A.'));

  let history: string[] = [];
  try {
    const raw = store.getItem(HISTORY_KEY);
    if (raw) history = (JSON.parse(raw) as unknown[]).filter((x): x is string => typeof x === 'string').slice(-MAX_HISTORY);
  } catch {
    history = [];
  }
  let back = 0;
  let busy = false;

  const scrollDown = (): void => {
    screen.scrollTop = screen.scrollHeight;
  };

  const outputBlock = (text: string, cls: string, cluster: string | undefined): HTMLElement => {
    const pre = el('pre', cls);
    let last = 0;
    for (const m of text.matchAll(PEM)) {
      pre.append(text.slice(last, m.index), m[0]);
      pre.append(inspectPemButton(m[0], cluster), '\n');
      last = m.index + m[0].length;
    }
    pre.append(text.slice(last));
    return pre;
  };

  const api: TerminalApi = {
    setClusters(names) {
      const cur = ctx.value;
      ctx.replaceChildren(Object.assign(el('option', undefined, 'workstation'), { value: '' }), ...names.map((n) => Object.assign(el('option', undefined, n), { value: n })));
      if (cur === '' || names.includes(cur)) ctx.value = cur;
    },
    async run(line) {
      const cmd = line.trim();
      if (!cmd || busy) return;
      if (history[history.length - 1] !== cmd) history.push(cmd);
      history = history.slice(-MAX_HISTORY);
      try {
        store.setItem(HISTORY_KEY, JSON.stringify(history));
      } catch {
        // History is a convenience.
      }
      back = 0;
      if (cmd === 'clear') {
        screen.replaceChildren();
        return;
      }
      const cluster = ctx.value || undefined;
      const block = el('div', 'block');
      const echo = el('div', 'echo');
      echo.append(el('span', 'ctx', cluster ?? 'workstation'), el('span', 'dollar', ' $ '), el('span', 'cmd', cmd));
      block.append(echo);
      screen.append(block);
      while (screen.childElementCount > MAX_SCREEN_BLOCKS) screen.firstElementChild?.remove();
      busy = true;
      host.dataset.busy = 'true';
      const pending = el('div', 'muted', '…');
      block.append(pending);
      scrollDown();
      try {
        const r = await driver.exec(cluster, cmd);
        pending.remove();
        if (r.stdout) block.append(outputBlock(r.stdout, 'stdout', cluster));
        if (r.stderr) block.append(outputBlock(r.stderr, 'stderr', cluster));
        if (r.exitCode !== 0) block.append(el('div', 'exit', `exit code ${r.exitCode}`));
        block.dataset.exit = String(r.exitCode);
      } catch (e) {
        pending.remove();
        block.append(el('pre', 'stderr', e instanceof Error ? e.message : String(e)));
        block.dataset.exit = 'error';
      } finally {
        busy = false;
        host.dataset.busy = 'false';
        scrollDown();
        after();
      }
    },
    focus() {
      input.focus();
    },
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const line = input.value;
    input.value = '';
    void api.run(line);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
    back = Math.max(0, Math.min(history.length, back + (e.key === 'ArrowUp' ? 1 : -1)));
    input.value = historyAt(history, back);
    e.preventDefault();
  });
  api.setClusters([]);
  return api;
}
