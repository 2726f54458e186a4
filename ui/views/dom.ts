/**
 * DOM helpers and the links between the working views: a causal-chain ref opens the object in the
 * inspector and its manifest line in the editor; a certificate in the terminal opens the certificate
 * inspector. The workbench (ui/workbench.ts) sets the handlers once; views call them without knowing
 * each other.
 */
import type { ObjectRef } from '../../sim/core/causal.ts';
import type { InspectTarget } from '../../sim/driver.ts';

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function button(text: string, onClick: () => void, cls = 'btn', title?: string): HTMLButtonElement {
  const b = el('button', cls, text);
  b.type = 'button';
  if (title) b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

export interface Links {
  /** Opens the object in the inspector and, when it came from a manifest, that line in the editor. */
  openRef(ref: ObjectRef): void;
  /** Shows `file` at `line` in the editor (switching to its tab). */
  openFile(file: string, line?: number): void;
  inspect(target: InspectTarget): void;
  /** Virtual now (ms), for validity bars. */
  now(): number;
  /** The file's own line for a chain's `file#steps[n]` + line inside the inline manifest. */
  locate(file: string, line?: number): Promise<{ file: string; line: number }>;
}

const noop: Links = { openRef: () => undefined, openFile: () => undefined, inspect: () => undefined, now: () => 0, locate: (file, line) => Promise.resolve({ file, line: line ?? 1 }) };
let current: Links = noop;

export const links = (): Links => current;
export function setLinks(l: Links): void {
  current = l;
}

export const refText = (r: { readonly cluster?: string; readonly kind: string; readonly namespace?: string; readonly name: string }): string => `${r.cluster ? `${r.cluster}/` : ''}${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

/** A clickable object ref (opens the inspector and the manifest line). */
export function refLink(r: ObjectRef): HTMLAnchorElement {
  const a = el('a', 'ref', `${refText(r)}${r.field ? ` ${r.field}` : ''}`);
  a.href = '#';
  a.dataset.ref = JSON.stringify(r);
  a.title = 'open in the inspector and the editor';
  a.addEventListener('click', (e) => {
    e.preventDefault();
    links().openRef(r);
  });
  return a;
}

/** A clickable `file:line` (opens the editor there). */
export function fileLink(file: string, line?: number): HTMLAnchorElement {
  const short = (f: string): string => f.replace(/^scenarios\//, '').replace('#', ' ');
  const a = el('a', 'fileref', `✎ ${short(file)}${line !== undefined ? `:${line}` : ''}`);
  // Inline manifests: show the scenario file's own line once the editor has located it.
  if (file.includes('#'))
    void links()
      .locate(file, line)
      .then((at) => {
        if (!at.file.includes('#')) a.textContent = `✎ ${short(at.file)}:${at.line}`;
      });
  a.href = '#';
  a.title = `open ${file} in the editor`;
  a.addEventListener('click', (e) => {
    e.preventDefault();
    links().openFile(file, line);
  });
  return a;
}
