// Mutations of real YAML files for the loaders' property tests: the mistakes people make editing YAML by
// hand (a file cut short, a value of the wrong type, a key written twice, indentation off by a few spaces
// or a tab, a required key deleted). Each is a fast-check arbitrary of `text → text`.
import fc from 'fast-check';

export interface Mutation {
  readonly name: string;
  apply(text: string): string;
}

const KEY_LINE = /^(\s*(?:- )?)([A-Za-z_][\w.-]*):(\s*)(.*)$/;

/** Lines that hold a `key:` (optionally a list item's first key). */
function keyLines(lines: readonly string[]): number[] {
  return lines.flatMap((l, i) => (KEY_LINE.test(l) ? [i] : []));
}

const indentOf = (l: string): number => /^\s*/.exec(l)![0].length;

/** The line and the more-indented lines under it (its block). */
function blockEnd(lines: readonly string[], i: number): number {
  const base = indentOf(lines[i]!.replace('- ', '  '));
  let j = i + 1;
  while (j < lines.length && (lines[j]!.trim() === '' || indentOf(lines[j]!) > base)) j++;
  return j;
}

const pick = <T>(xs: readonly T[], n: number): T | undefined => (xs.length === 0 ? undefined : xs[n % xs.length]);

function onKeyLine(text: string, n: number, f: (lines: string[], i: number, m: RegExpExecArray) => void): string {
  const lines = text.split('\n');
  const i = pick(keyLines(lines), n);
  if (i === undefined) return text;
  f(lines, i, KEY_LINE.exec(lines[i]!)!);
  return lines.join('\n');
}

export const truncate = fc.nat().map((n): Mutation => ({ name: `truncate at ${n}`, apply: (t) => t.slice(0, n % (t.length + 1)) }));

export const changeType = fc.tuple(fc.nat(), fc.constantFrom('toList', 'toMap', 'toScalar', 'numberToString', 'toNull')).map(
  ([n, how]): Mutation => ({
    name: `${how} at key line #${n}`,
    apply: (t) =>
      onKeyLine(t, n, (lines, i, m) => {
        const [, lead, key, , value] = m;
        const head = `${lead}${key}:`;
        if (how === 'toList') lines[i] = `${head} [a, 1]`;
        else if (how === 'toMap') lines[i] = `${head} { x: 1 }`;
        else if (how === 'toNull') lines[i] = `${head} null`;
        else if (how === 'numberToString') lines[i] = /^\d+$/.test(value!.trim()) ? `${head} "x${value!.trim()}"` : `${head} "text"`;
        else lines.splice(i, blockEnd(lines, i) - i, `${head} 7`); // a mapping or list becomes a scalar
      }),
  }),
);

export const duplicateKey = fc.nat().map(
  (n): Mutation => ({
    name: `duplicate key line #${n}`,
    apply: (t) =>
      onKeyLine(t, n, (lines, i) => {
        const end = blockEnd(lines, i);
        // The copy goes after the block, as a sibling (a list item's first key loses its dash).
        const copy = lines.slice(i, end).map((l, k) => (k === 0 ? l.replace('- ', '  ') : l));
        lines.splice(end, 0, ...copy);
      }),
  }),
);

export const badIndent = fc.tuple(fc.nat(), fc.integer({ min: 0, max: 3 })).map(
  ([n, shift]): Mutation => ({
    name: shift === 0 ? `tab before line #${n}` : `shift line #${n} by ${shift}`,
    apply: (t) => {
      const lines = t.split('\n');
      const i = n % lines.length;
      lines[i] = shift === 0 ? `\t${lines[i]}` : `${' '.repeat(shift)}${lines[i]}`;
      return lines.join('\n');
    },
  }),
);

export const deleteKey = fc.nat().map((n): Mutation => ({ name: `delete key line #${n}`, apply: (t) => onKeyLine(t, n, (lines, i) => void lines.splice(i, blockEnd(lines, i) - i)) }));

/** Any one of the mutations, or two in a row. */
export const mutation = fc.oneof(truncate, changeType, duplicateKey, badIndent, deleteKey);
export const mutations = fc.array(mutation, { minLength: 1, maxLength: 2 }).map((ms): Mutation => ({ name: ms.map((m) => m.name).join(', then '), apply: (t) => ms.reduce((acc, m) => m.apply(acc), t) }));

export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
