/**
 * Label selectors: metav1.LabelSelector (matchLabels + matchExpressions) and the string syntax of
 * `kubectl -l` (`a=b,c!=d,e in (x,y),!f,g`), with upstream's parse errors word for word.
 * Upstream: apimachinery/pkg/labels/selector.go (lexer, parser, Requirement.Matches, String),
 * apimachinery/pkg/apis/meta/v1/helpers.go (LabelSelectorAsSelector).
 */
import { err, ok, simError, type Result, type SimError } from '../core/result.ts';
import { isQualifiedName, isValidLabelValue } from './validation.ts';

/** selection.Operator values, as upstream spells them. */
export type SelectorOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

export type Labels = Readonly<Record<string, string>> | undefined;

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export type SelectorError = SimError<'kube/bad-selector'>;

/** A parsed selector. `nothing` matches no object (a nil LabelSelector); an empty one matches all. */
export class Selector {
  private constructor(
    readonly requirements: readonly Requirement[],
    readonly nothing = false,
  ) {}

  static everything(): Selector {
    return new Selector([]);
  }

  static nothing(): Selector {
    return new Selector([], true);
  }

  /** Requirements sorted by key, as upstream's parser sorts them. */
  static of(reqs: readonly Requirement[]): Selector {
    return new Selector([...reqs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
  }

  get empty(): boolean {
    return !this.nothing && this.requirements.length === 0;
  }

  matches(labels: Labels): boolean {
    if (this.nothing) return false;
    return this.requirements.every((r) => requirementMatches(r, labels ?? {}));
  }

  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

function requirementMatches(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const val = labels[r.key];
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(val!);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(val!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !/^[+-]?\d+$/.test(val!) || r.values.length !== 1) return false;
      const lv = Number(val);
      const rv = Number(r.values[0]);
      return r.operator === 'gt' ? lv > rv : lv < rv;
    }
  }
}

function requirementString(r: Requirement): string {
  const vals = r.values.length === 1 ? r.values[0]! : [...r.values].sort().join(',');
  switch (r.operator) {
    case '!':
      return `!${r.key}`;
    case 'exists':
      return r.key;
    case 'in':
      return `${r.key} in (${vals})`;
    case 'notin':
      return `${r.key} notin (${vals})`;
    case 'gt':
      return `${r.key}>${vals}`;
    case 'lt':
      return `${r.key}<${vals}`;
    default:
      return `${r.key}${r.operator}${vals}`;
  }
}

const bad = (message: string, detail?: Record<string, unknown>): SelectorError => simError('kube/bad-selector', message, detail);

// ---- NewRequirement validation ----

function invalidValue(field: string, value: unknown, detail: string): string {
  const shown = typeof value === 'string' ? JSON.stringify(value) : Array.isArray(value) ? `[]string{${value.map((v) => JSON.stringify(v)).join(', ')}}` : String(value);
  return `${field}: Invalid value: ${shown}: ${detail}`;
}

/** NewRequirement: validates key, operator arity and values; returns the aggregated error text. */
export function newRequirement(key: string, operator: SelectorOperator, values: readonly string[]): Result<Requirement, SelectorError> {
  const errs: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length > 0) errs.push(invalidValue('key', key, keyErrs.join('; ')));
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push(invalidValue('values', [...values], "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(invalidValue('values', [...values], 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push(invalidValue('values', [...values], 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push(invalidValue('values', [...values], "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (!/^[+-]?\d+$/.test(v)) errs.push(invalidValue(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
  }
  values.forEach((v, i) => {
    const ve = isValidLabelValue(v);
    if (ve.length > 0) errs.push(invalidValue(`values[${i}][${key}]`, v, ve.join('; ')));
  });
  if (errs.length > 0) return err(bad(errs.length === 1 ? errs[0]! : `[${errs.join(', ')}]`));
  return ok({ key, operator, values: [...values] });
}

// ---- the string syntax: lexer and recursive-descent parser ----

type Tok = 'error' | 'eos' | ')' | ',' | '!' | '==' | '=' | '>' | 'id' | 'in' | '<' | '!=' | 'notin' | '(';

const KEYWORDS: Record<string, Tok> = { ')': ')', ',': ',', '!': '!', '==': '==', '=': '=', '>': '>', in: 'in', '<': '<', '!=': '!=', notin: 'notin', '(': '(' };
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string) => '=!(),><'.includes(c);

function lex(s: string): { tok: Tok; lit: string }[] {
  const out: { tok: Tok; lit: string }[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isSpace(s[pos]!)) pos++;
    if (pos >= s.length) {
      out.push({ tok: 'eos', lit: '' });
      return out;
    }
    if (isSpecial(s[pos]!)) {
      // Longest run of special characters that is still a known token.
      let buf = '';
      let last: { tok: Tok; lit: string } | undefined;
      while (pos < s.length && isSpecial(s[pos]!)) {
        buf += s[pos];
        const t = KEYWORDS[buf];
        if (t !== undefined) {
          last = { tok: t, lit: buf };
          pos++;
        } else if (last !== undefined) {
          break;
        } else {
          pos++;
        }
      }
      out.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buf}'` });
    } else {
      let buf = '';
      while (pos < s.length && !isSpecial(s[pos]!) && !isSpace(s[pos]!)) buf += s[pos++];
      const t = KEYWORDS[buf];
      out.push({ tok: t ?? 'id', lit: buf });
    }
  }
}

const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

class Parser {
  private pos = 0;
  constructor(private readonly items: { tok: Tok; lit: string }[]) {}

  /** In value context `in` and `notin` are plain identifiers. */
  private peek(values: boolean): { tok: Tok; lit: string } {
    const it = this.items[this.pos]!;
    return values && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'id', lit: it.lit } : it;
  }

  private next(values: boolean): { tok: Tok; lit: string } {
    const it = this.peek(values);
    this.pos++;
    return it;
  }

  parse(): Result<Requirement[], string> {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.peek(true);
      if (tok === 'id' || tok === '!') {
        const r = this.requirement();
        if (!r.ok) return err(`unable to parse requirement: ${r.error}`);
        reqs.push(r.value);
        const t = this.next(true);
        if (t.tok === 'eos') return ok(reqs);
        if (t.tok === ',') {
          const t2 = this.peek(true);
          if (t2.tok !== 'id' && t2.tok !== '!') return err(`found '${t2.lit}', expected: identifier after ','`);
          continue;
        }
        return err(`found '${t.lit}', expected: ',' or 'end of string'`);
      }
      if (tok === 'eos') return ok(reqs);
      return err(`found '${lit}', expected: !, identifier, or 'end of string'`);
    }
  }

  private requirement(): Result<Requirement, string> {
    let op: SelectorOperator | undefined;
    let t = this.next(true);
    if (t.tok === '!') {
      op = '!';
      t = this.next(true);
    }
    if (t.tok !== 'id') return err(`found '${t.lit}', expected: identifier`);
    const key = t.lit;
    const keyErrs = isQualifiedName(key);
    if (keyErrs.length > 0) return err(invalidValue('<nil>', key, keyErrs.join('; ')));
    const la = this.peek(true).tok;
    // `!key` is complete by itself; whatever follows is the outer loop's business (upstream does the same).
    if (op === '!' || la === 'eos' || la === ',') {
      const r = newRequirement(key, op ?? 'exists', []);
      return r.ok ? r : err(r.error.message);
    }
    const o = this.next(false);
    let operator: SelectorOperator;
    switch (o.tok) {
      case 'in':
        operator = 'in';
        break;
      case '=':
        operator = '=';
        break;
      case '==':
        operator = '==';
        break;
      case '>':
        operator = 'gt';
        break;
      case '<':
        operator = 'lt';
        break;
      case 'notin':
        operator = 'notin';
        break;
      case '!=':
        operator = '!=';
        break;
      default:
        return err(`found '${o.lit}', expected: ${BINARY_OPERATORS}`);
    }
    const vals = operator === 'in' || operator === 'notin' ? this.setValues() : this.exactValue();
    if (!vals.ok) return vals;
    const r = newRequirement(key, operator, [...new Set(vals.value)].sort());
    return r.ok ? r : err(r.error.message);
  }

  private setValues(): Result<string[], string> {
    const open = this.next(true);
    if (open.tok !== '(') return err(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.peek(true);
    if (tok === ')') {
      this.next(true);
      return ok(['']);
    }
    if (tok !== 'id' && tok !== ',') return err(`found '${lit}', expected: ',', ')' or identifier`);
    const s = new Set<string>();
    for (;;) {
      const t = this.next(true);
      if (t.tok === 'id') {
        s.add(t.lit);
        const t2 = this.peek(true);
        if (t2.tok === ',') continue;
        if (t2.tok === ')') break;
        return err(`found '${t2.lit}', expected: ',' or ')'`);
      } else if (t.tok === ',') {
        if (s.size === 0) s.add('');
        const t2 = this.peek(true).tok;
        if (t2 === ')') {
          s.add('');
          break;
        }
        if (t2 === ',') s.add('');
      } else {
        return err(`found '${t.lit}', expected: ',', or identifier`);
      }
    }
    if (this.next(true).tok !== ')') return err(`found '${lit}', expected: ')'`);
    return ok([...s]);
  }

  private exactValue(): Result<string[], string> {
    const la = this.peek(true).tok;
    if (la === 'eos' || la === ',') return ok(['']);
    const t = this.next(true);
    if (t.tok === 'id') return ok([t.lit]);
    return err(`found '${t.lit}', expected: identifier`);
  }
}

/** labels.Parse: the `-l` syntax. The empty string selects everything. */
export function parseSelector(text: string): Result<Selector, SelectorError> {
  const r = new Parser(lex(text)).parse();
  if (!r.ok) return err(bad(r.error, { selector: text }));
  return ok(Selector.of(r.value));
}

/**
 * What kubectl shows when the server refuses a list's selector (apiserver handlers/get.go):
 * `Unable to find "/v1, Resource=pods" that match label selector "…", field selector "": <parse error>`.
 */
export function selectorListErrorMessage(group: string, version: string, resource: string, selector: string, parseError: string, fieldSelector = ''): string {
  return `Error from server (BadRequest): Unable to find "${group}/${version}, Resource=${resource}" that match label selector "${selector}", field selector "${fieldSelector}": ${parseError}`;
}

/** metav1.LabelSelectorAsSelector: undefined → nothing; {} → everything. */
export function labelSelectorAsSelector(ls: LabelSelector | undefined | null): Result<Selector, SelectorError> {
  if (ls === undefined || ls === null) return ok(Selector.nothing());
  // Hand-written YAML reaches here undecoded: refuse what Go's decoder would (a selector that is not a
  // mapping, non-string label values) instead of failing on it. JSON null in a map[string]string is "".
  const shape = selectorShapeError(ls);
  if (shape) return err(bad(shape));
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(ls.matchLabels ?? {})) {
    const r = newRequirement(k, '=', [v ?? '']);
    if (!r.ok) return r;
    reqs.push(r.value);
  }
  for (const e of ls.matchExpressions ?? []) {
    let op: SelectorOperator;
    switch (e.operator) {
      case 'In':
        op = 'in';
        break;
      case 'NotIn':
        op = 'notin';
        break;
      case 'Exists':
        op = 'exists';
        break;
      case 'DoesNotExist':
        op = '!';
        break;
      default:
        return err(bad(`"${e.operator}" is not a valid label selector operator`));
    }
    const r = newRequirement(e.key, op, e.values ?? []);
    if (!r.ok) return r;
    reqs.push(r.value);
  }
  return ok(Selector.of(reqs));
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why a decoded-from-YAML value is not a metav1.LabelSelector (json: cannot unmarshal …), if it is not. */
function selectorShapeError(ls: unknown): string | undefined {
  if (!isMap(ls)) return 'json: cannot unmarshal into Go value of type v1.LabelSelector: must be a mapping';
  if (ls.matchLabels !== undefined && ls.matchLabels !== null) {
    if (!isMap(ls.matchLabels)) return 'json: cannot unmarshal into Go struct field LabelSelector.matchLabels of type map[string]string';
    if (Object.values(ls.matchLabels).some((v) => v !== null && typeof v !== 'string')) return 'json: cannot unmarshal into Go struct field LabelSelector.matchLabels of type string';
  }
  if (ls.matchExpressions !== undefined && ls.matchExpressions !== null) {
    if (!Array.isArray(ls.matchExpressions)) return 'json: cannot unmarshal into Go struct field LabelSelector.matchExpressions of type []v1.LabelSelectorRequirement';
    for (const e of ls.matchExpressions) {
      if (!isMap(e) || typeof e.key !== 'string' || typeof e.operator !== 'string') return 'json: cannot unmarshal into Go struct field LabelSelector.matchExpressions of type v1.LabelSelectorRequirement';
      if (e.values !== undefined && e.values !== null && (!Array.isArray(e.values) || e.values.some((v) => typeof v !== 'string'))) return 'json: cannot unmarshal into Go struct field LabelSelectorRequirement.matchExpressions.values of type []string';
    }
  }
  return undefined;
}

/** A Service-style `map[string]string` selector; empty or missing selects everything. */
export function selectorFromSet(set: Readonly<Record<string, string>> | undefined): Selector {
  return Selector.of(Object.entries(set ?? {}).map(([key, v]) => ({ key, operator: '=' as const, values: [v] })));
}

/** Convenience: does a metav1.LabelSelector select these labels (an invalid selector selects nothing)? */
export function labelSelectorMatches(ls: LabelSelector | undefined | null, labels: Labels): boolean {
  const s = labelSelectorAsSelector(ls);
  return s.ok && s.value.matches(labels);
}
