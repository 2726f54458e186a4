/**
 * Brace expansion as bash does it before any other expansion: `{a,b}` alternatives and `{1..10}`,
 * `{01..10}`, `{1..10..2}`, `{a..e}` sequences, nested and repeated. Only braces written plainly
 * inside one unquoted piece of a word expand (`"{a,b}"` and `${X}` do not), which covers the guides'
 * `for i in {1..10}` and `cp file{,.bak}`.
 */
import type { Word, WordPart } from './words.ts';

/** One word in, one or more words out (the word itself when it holds no brace expression). */
export function expandBraces(word: Word): Word[] {
  for (const [k, part] of word.entries()) {
    if (part.kind !== 'text' || part.quoted || !part.text.includes('{')) continue;
    const texts = expandText(part.text);
    if (texts.length === 1 && texts[0] === part.text) continue;
    // Parts after k may hold more braces: expand each result again from part k on.
    return texts.flatMap((text) => {
      const head: WordPart[] = [...word.slice(0, k), { kind: 'text', text, quoted: false }];
      const tail = expandBraces(word.slice(k + 1));
      return tail.map((t) => [...head, ...t]);
    });
  }
  return [word];
}

/** Expands the first valid brace expression of a string, then the results again (for nesting and repeats). */
export function expandText(s: string): string[] {
  for (let open = s.indexOf('{'); open >= 0; open = s.indexOf('{', open + 1)) {
    const close = matching(s, open);
    if (close < 0) return [s];
    const alts = alternatives(s.slice(open + 1, close));
    if (!alts) continue;
    const prefix = s.slice(0, open);
    const suffix = s.slice(close + 1);
    return alts.flatMap((a) => expandText(`${prefix}${a}${suffix}`));
  }
  return [s];
}

function matching(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '{') depth++;
    else if (s[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** The choices inside one pair of braces, or undefined when bash would leave the braces as they are. */
function alternatives(body: string): string[] | undefined {
  const seq = /^(-?\d+|[A-Za-z])\.\.(-?\d+|[A-Za-z])(?:\.\.(-?\d+))?$/.exec(body);
  if (seq) return sequence(seq[1]!, seq[2]!, seq[3]);
  // Split on commas at depth 0; a lone item (`{a}`) is not an expression.
  const items: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of body) {
    if (ch === '{') depth++;
    else if (ch === '}') depth--;
    if (ch === ',' && depth === 0) {
      items.push(cur);
      cur = '';
    } else cur += ch;
  }
  items.push(cur);
  return items.length > 1 ? items : undefined;
}

function sequence(from: string, to: string, stepText: string | undefined): string[] | undefined {
  const step = Math.abs(Number(stepText ?? 1)) || 1;
  const numeric = /^-?\d+$/.test(from) && /^-?\d+$/.test(to);
  if (!numeric && (/\d/.test(from) || /\d/.test(to))) return undefined;
  const a = numeric ? Number(from) : from.charCodeAt(0);
  const b = numeric ? Number(to) : to.charCodeAt(0);
  // `{01..10}`: a leading zero on either end pads every number to the widest end.
  const width = numeric && (/^-?0\d/.test(from) || /^-?0\d/.test(to)) ? Math.max(from.length, to.length) : 0;
  const out: string[] = [];
  for (let v = a; a <= b ? v <= b : v >= b; v += a <= b ? step : -step) {
    if (!numeric) out.push(String.fromCharCode(v));
    else out.push(v < 0 ? `-${String(-v).padStart(width - 1, '0')}` : String(v).padStart(width, '0'));
  }
  return out;
}
