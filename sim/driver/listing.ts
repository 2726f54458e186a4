/**
 * The scenario list without parsing every scenario in full: the list (`Driver.scenarios`) needs a
 * scenario's metadata block, its hints, whether it has a fix, and its clusters' names and trust
 * domains (from the base for `extends`) — not its steps and expectations, which are most of the text.
 * So each top-level block the list needs is cut out of the text (a block starts at a key in column 0)
 * and parsed alone. The full parse (format.ts: validation, steps, expectations, the base's steps)
 * happens when the scenario is loaded, which also reports a scenario that does not validate; the
 * description, explanation, cause and fix description come with it (`PlayerState.scenario`).
 * A file whose blocks do not parse alone (an alias across blocks, say) returns undefined: the caller
 * then parses it in full.
 */
import { parse } from 'yaml';
import type { ScenarioInfo } from '../driver.ts';
import { dirOf, joinRelative } from '../core/paths.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The text of each top-level key's block (`metadata:` up to the next key in column 0). */
export function topLevelBlocks(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split('\n');
  let key: string | undefined;
  let start = 0;
  const close = (end: number): void => {
    if (key !== undefined && !out.has(key)) out.set(key, lines.slice(start, end).join('\n'));
  };
  for (let i = 0; i < lines.length; i++) {
    const m = /^([A-Za-z_][\w-]*)\s*:(?:\s|$)/.exec(lines[i]!);
    if (!m && !/^(---|\.\.\.)\s*$/.test(lines[i]!)) continue;
    close(i);
    key = m?.[1];
    start = i;
  }
  close(lines.length);
  return out;
}

function block(blocks: Map<string, string>, key: string): unknown {
  const b = blocks.get(key);
  if (b === undefined) return undefined;
  const v = (parse(b, { version: '1.1', merge: true }) as Obj | null)?.[key];
  return v;
}

type Clusters = ScenarioInfo['clusters'];

/** Lists one scenario from its blocks, or undefined when the light pass cannot (the caller parses it in full). */
export function listScenario(file: string, text: string, read: (path: string) => string | undefined, depth = 0, bases = new Map<string, Clusters | undefined>()): ScenarioInfo | undefined {
  try {
    const blocks = topLevelBlocks(text);
    const meta = block(blocks, 'metadata');
    if (!isObj(meta)) return undefined;
    const id = str(meta.id);
    const title = str(meta.title);
    if (!id || !title) return undefined;
    const clusters = clustersOf(file, blocks, read, depth, bases);
    if (!clusters) return undefined;
    const catalogue = str(meta.catalogue);
    const level = str(meta.level);
    return {
      file,
      id,
      title,
      ...(catalogue ? { catalogue } : {}),
      ...(level ? { level } : {}),
      tags: strings(meta.tags),
      hints: strings(block(blocks, 'hints')),
      variants: blocks.has('fix') ? ['broken', 'fixed'] : ['broken'],
      clusters,
    };
  } catch {
    return undefined;
  }
}

function clustersOf(file: string, blocks: Map<string, string>, read: (path: string) => string | undefined, depth: number, bases: Map<string, Clusters | undefined>): Clusters | undefined {
  const ext = str(block(blocks, 'extends'));
  if (ext === undefined) {
    const list = block(blocks, 'clusters');
    if (!Array.isArray(list)) return undefined;
    const out = list.map((c) => (isObj(c) && str(c.name) && str(c.trustDomain) ? { name: c.name as string, trustDomain: c.trustDomain as string, ...(str(c.network) !== undefined ? { network: c.network as string } : {}), platform: str(c.platform) ?? 'kubernetes' } : undefined));
    return out.every((c) => c !== undefined) && out.length > 0 ? out : undefined;
  }
  if (depth >= 4) return undefined;
  const baseFile = joinRelative(dirOf(file), ext);
  if (!bases.has(baseFile)) {
    const baseText = read(baseFile);
    bases.set(baseFile, baseText === undefined ? undefined : clustersOf(baseFile, topLevelBlocks(baseText), read, depth + 1, bases));
  }
  return bases.get(baseFile);
}
