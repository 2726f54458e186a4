/**
 * Go `text/template` as spire-controller-manager uses it for `spiffeIDTemplate`, `dnsNameTemplates`,
 * `workloadSelectorTemplates` and `parentIDTemplate` (go:src/text/template/{exec,funcs}.go,
 * go:src/text/template/parse/{lex,parse}.go). The controller registers no extra functions and sets no
 * options, so a missing map key reached with field syntax (`{{ .PodMeta.Labels.app }}`) prints
 * `<no value>`, while `index` of a missing key gives the map's zero value `""`.
 *
 * Data are Go values (`goValue.ts`): the template sees Go field names (`.PodMeta.Namespace`,
 * `.PodSpec.ServiceAccountName`, `.NodeMeta.UID`), and errors name Go types (`*v1.ObjectMeta`).
 * Error texts follow Go: parse errors `template: NAME:LINE: MSG`, execution errors
 * `template: NAME:LINE:COL: executing "NAME" at <NODE>: MSG`.
 *
 * Supported: text, comments, trim markers `{{-` / `-}}`, pipelines, field chains, `.`, `$`, strings,
 * numbers, booleans, `nil`, parenthesised pipelines, `if`/`else`/`else if`/`with`/`end`, and the
 * builtins index, len, printf, print, println, not, and, or, eq, ne, lt, le, gt, ge.
 * Simplified: `range`, `define`, `template`, `block`, `break`, `continue` and variable declarations
 * are refused with a lab error (`… is not supported by the lab`); methods on Go values (`GetName`)
 * are not modelled; `printf` knows the verbs %s %v %d %q %x %%; html/js/urlquery/slice/call are
 * unsupported functions. None of these appear in the guides' templates.
 */
import { err, ok, simError, type Result, type SimError } from '../../core/result.ts';
import { TextMemo } from '../../core/memo.ts';
import { formatGoValue, goIndex, goTypeName, isTrue, lookupField, type GoValue } from './goValue.ts';

export type TemplateError = SimError<'spire/template-parse' | 'spire/template-exec'>;

// ------------------------------------------------------------------ lexer

type ItemType =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'space'
  | 'field'
  | 'identifier'
  | 'dot'
  | 'variable'
  | 'string'
  | 'rawString'
  | 'number'
  | 'bool'
  | 'nil'
  | 'pipe'
  | 'leftParen'
  | 'rightParen'
  | 'keyword'
  | 'char'
  | 'declare'
  | 'assign'
  | 'eof'
  | 'error';

interface Item {
  readonly typ: ItemType;
  readonly pos: number;
  readonly val: string;
  readonly line: number;
}

const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'nil', 'template', 'with']);
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlnum = (c: string) => c === '_' || /^[\p{L}\p{Nd}]$/u.test(c);

/** U+0040 '@' (Go's %#U). */
function goU(c: string): string {
  const cp = c.codePointAt(0)!;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${c}'`;
}

/** go:text/template/parse/lex.go, as one pass producing all items (stops at the first error). */
function lex(input: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let line = 1;
  const emit = (typ: ItemType, start: number, val: string, l = line) => items.push({ typ, pos: start, val, line: l });
  const countLines = (s: string) => {
    for (const c of s) if (c === '\n') line++;
  };
  const fail = (msg: string) => {
    items.push({ typ: 'error', pos, val: msg, line });
  };
  for (;;) {
    // lexText
    const open = input.indexOf('{{', pos);
    if (open < 0) {
      if (pos < input.length) {
        emit('text', pos, input.slice(pos));
        countLines(input.slice(pos));
      }
      emit('eof', input.length, '');
      return items;
    }
    let textEnd = open;
    const trimLeft = input.startsWith('{{- ', open) || input.startsWith('{{-\t', open) || input.startsWith('{{-\r', open) || input.startsWith('{{-\n', open);
    if (trimLeft) while (textEnd > pos && isSpace(input[textEnd - 1]!)) textEnd--;
    if (textEnd > pos) {
      emit('text', pos, input.slice(pos, textEnd));
    }
    countLines(input.slice(pos, open));
    pos = open;
    // lexLeftDelim
    const delimStart = pos;
    pos += 2;
    if (trimLeft) pos += 2;
    // Comment?
    if (input.startsWith('/*', pos)) {
      const end = input.indexOf('*/', pos + 2);
      if (end < 0) {
        fail('unclosed comment');
        return items;
      }
      countLines(input.slice(pos, end));
      pos = end + 2;
      const trimRight = input.startsWith(' -}}', pos) || input.startsWith('\t-}}', pos) || input.startsWith('\n-}}', pos) || input.startsWith('\r-}}', pos);
      if (!input.startsWith('}}', pos) && !trimRight) {
        fail('comment ends before closing delimiter');
        return items;
      }
      pos += trimRight ? 4 : 2;
      if (trimRight) while (pos < input.length && isSpace(input[pos]!)) {
        if (input[pos] === '\n') line++;
        pos++;
      }
      continue;
    }
    emit('leftDelim', delimStart, '{{');
    // lexInsideAction
    let parenDepth = 0;
    for (;;) {
      const rest = input.slice(pos);
      const trimRight = /^[ \t\r\n]-}}/.test(rest);
      if (trimRight || rest.startsWith('}}')) {
        if (parenDepth > 0) {
          fail('unclosed left paren');
          return items;
        }
        if (trimRight) {
          if (input[pos] === '\n') line++;
          pos += 1;
        }
        emit('rightDelim', pos, '}}');
        pos += trimRight ? 3 : 2;
        if (trimRight) while (pos < input.length && isSpace(input[pos]!)) {
          if (input[pos] === '\n') line++;
          pos++;
        }
        break;
      }
      if (pos >= input.length) {
        fail('unclosed action');
        return items;
      }
      const c = input[pos]!;
      const start = pos;
      if (isSpace(c)) {
        while (pos < input.length && isSpace(input[pos]!) && !/^[ \t\r\n]-}}/.test(input.slice(pos))) {
          if (input[pos] === '\n') line++;
          pos++;
        }
        emit('space', start, input.slice(start, pos));
        continue;
      }
      if (c === '=') {
        pos++;
        emit('assign', start, '=');
        continue;
      }
      if (c === ':') {
        if (input[pos + 1] !== '=') {
          fail('expected :=');
          return items;
        }
        pos += 2;
        emit('declare', start, ':=');
        continue;
      }
      if (c === '|') {
        pos++;
        emit('pipe', start, '|');
        continue;
      }
      if (c === '"') {
        pos++;
        for (;;) {
          const d = input[pos];
          if (d === undefined || d === '\n') {
            fail('unterminated quoted string');
            return items;
          }
          pos++;
          if (d === '\\') {
            if (input[pos] === undefined || input[pos] === '\n') {
              fail('unterminated quoted string');
              return items;
            }
            pos++;
          } else if (d === '"') break;
        }
        emit('string', start, input.slice(start, pos));
        continue;
      }
      if (c === '`') {
        const end = input.indexOf('`', pos + 1);
        if (end < 0) {
          fail('unterminated raw quoted string');
          return items;
        }
        countLines(input.slice(pos, end));
        pos = end + 1;
        emit('rawString', start, input.slice(start, pos));
        continue;
      }
      if (c === '$') {
        pos++;
        while (pos < input.length && isAlnum(input[pos]!)) pos++;
        emit('variable', start, input.slice(start, pos));
        continue;
      }
      if (c === "'") {
        const m = /^'(\\.|[^\\'\n])'/u.exec(rest);
        if (!m) {
          fail('unterminated character constant');
          return items;
        }
        pos += m[0].length;
        emit('char', start, m[0]);
        continue;
      }
      if (c === '.') {
        const n = input[pos + 1];
        if (n !== undefined && n >= '0' && n <= '9') {
          // a number like .5
        } else {
          // lexField: `.` alone is dot, `.Name` a field
          pos++;
          if (n !== undefined && isAlnum(n)) {
            while (pos < input.length && isAlnum(input[pos]!)) pos++;
            const after = input[pos];
            if (after !== undefined && !atTerminator(input, pos)) {
              fail(`bad character ${goU(after)}`);
              return items;
            }
            emit('field', start, input.slice(start, pos));
          } else emit('dot', start, '.');
          continue;
        }
      }
      if (c === '+' || c === '-' || c === '.' || (c >= '0' && c <= '9')) {
        const m = /^[+-]?(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|[0-9_]*\.?[0-9_]*([eE][+-]?[0-9_]+)?)/.exec(rest);
        const numText = m ? m[0] : '';
        let end = pos + numText.length;
        if (numText === '' || numText === '+' || numText === '-' || (end < input.length && isAlnum(input[end]!))) {
          while (end < input.length && isAlnum(input[end]!)) end++;
          fail(`bad number syntax: "${input.slice(pos, end)}"`);
          return items;
        }
        pos = end;
        emit('number', start, numText);
        continue;
      }
      if (isAlnum(c)) {
        while (pos < input.length && isAlnum(input[pos]!)) pos++;
        const word = input.slice(start, pos);
        const after = input[pos];
        if (after !== undefined && !atTerminator(input, pos)) {
          fail(`bad character ${goU(after)}`);
          return items;
        }
        if (word === 'true' || word === 'false') emit('bool', start, word);
        else if (word === 'nil') emit('nil', start, word);
        else if (KEYWORDS.has(word)) emit('keyword', start, word);
        else emit('identifier', start, word);
        continue;
      }
      if (c === '(') {
        pos++;
        parenDepth++;
        emit('leftParen', start, '(');
        continue;
      }
      if (c === ')') {
        pos++;
        parenDepth--;
        if (parenDepth < 0) {
          fail('unexpected right paren');
          return items;
        }
        emit('rightParen', start, ')');
        continue;
      }
      fail(`unrecognized character in action: ${goU(c)}`);
      return items;
    }
  }
}

/** lex.go atTerminator: space, eof, `.`, `,`, `|`, `:`, `)`, `(` or the right delimiter. */
function atTerminator(input: string, pos: number): boolean {
  const c = input[pos];
  if (c === undefined || isSpace(c) || '.,|:()'.includes(c)) return true;
  return input.startsWith('}}', pos);
}

// ------------------------------------------------------------------ parse tree

type Node =
  | { readonly t: 'text'; readonly text: string }
  | { readonly t: 'action'; readonly pos: number; readonly line: number; readonly pipe: Pipe }
  | { readonly t: 'if' | 'with'; readonly pos: number; readonly line: number; readonly pipe: Pipe; readonly list: Node[]; readonly elseList: Node[] | undefined };

interface Pipe {
  readonly pos: number;
  readonly cmds: Cmd[];
}
interface Cmd {
  readonly pos: number;
  readonly args: Arg[];
}
type Arg =
  | { readonly t: 'field'; readonly pos: number; readonly idents: string[] }
  | { readonly t: 'chain'; readonly pos: number; readonly node: Arg; readonly idents: string[] }
  | { readonly t: 'ident'; readonly pos: number; readonly name: string }
  | { readonly t: 'dot'; readonly pos: number }
  | { readonly t: 'var'; readonly pos: number; readonly name: string; readonly idents: string[] }
  | { readonly t: 'string'; readonly pos: number; readonly quoted: string; readonly value: string }
  | { readonly t: 'number'; readonly pos: number; readonly text: string; readonly value: number }
  | { readonly t: 'bool'; readonly pos: number; readonly value: boolean }
  | { readonly t: 'nil'; readonly pos: number }
  | { readonly t: 'pipe'; readonly pos: number; readonly pipe: Pipe };

export const BUILTINS = new Set(['and', 'call', 'html', 'index', 'slice', 'js', 'len', 'not', 'or', 'print', 'printf', 'println', 'urlquery', 'eq', 'ge', 'gt', 'le', 'lt', 'ne']);

class ParseFailure {
  constructor(readonly message: string) {}
}

/** A parsed template. */
const PARSED = new TextMemo<Result<GoTemplate, TemplateError>>(1000);

export class GoTemplate {
  private constructor(
    readonly name: string,
    readonly text: string,
    private readonly root: Node[],
  ) {}

  /**
   * `template.New(name).Parse(text)`. A parsed template is immutable, so parses are cached by name and
   * text: the controller manager re-parses every ClusterSPIFFEID's templates on each 10 s reconcile.
   */
  static parse(name: string, text: string): Result<GoTemplate, TemplateError> {
    return PARSED.get(name, text, () => GoTemplate.parseUncached(name, text));
  }

  private static parseUncached(name: string, text: string): Result<GoTemplate, TemplateError> {
    const items = lex(text);
    const p = new Parser(name, items);
    try {
      const root = p.parseList(true);
      return ok(new GoTemplate(name, text, root.nodes));
    } catch (e) {
      if (e instanceof ParseFailure) return err(simError('spire/template-parse', e.message, { template: name }));
      throw e;
    }
  }

  /** `tmpl.Execute(buf, data)`; `data` is the dot. */
  execute(data: GoValue): Result<string, TemplateError> {
    const s = new ExecState(this, data);
    try {
      s.walkList(this.root);
      return ok(s.out);
    } catch (e) {
      if (e instanceof ExecFailure) return err(simError('spire/template-exec', e.message, { template: this.name }));
      throw e;
    }
  }

  /** go:text/template/parse ErrorContext: `NAME:LINE:COL` with a 0-based column. */
  location(pos: number): string {
    const before = this.text.slice(0, pos);
    const lineNum = 1 + (before.match(/\n/g)?.length ?? 0);
    const col = pos - (before.lastIndexOf('\n') + 1);
    return `${this.name}:${lineNum}:${col}`;
  }
}

class Parser {
  private i = 0;
  constructor(
    private readonly name: string,
    private readonly items: Item[],
  ) {}

  private fail(msg: string, line = this.items[Math.min(this.i, this.items.length - 1)]!.line): never {
    throw new ParseFailure(`template: ${this.name}:${line}: ${msg}`);
  }
  private next(): Item {
    const it = this.items[this.i] ?? this.items[this.items.length - 1]!;
    this.i++;
    return it;
  }
  private backup(): void {
    this.i--;
  }
  private peek(): Item {
    return this.items[this.i] ?? this.items[this.items.length - 1]!;
  }
  private nextNonSpace(): Item {
    let it = this.next();
    while (it.typ === 'space') it = this.next();
    return it;
  }
  private peekNonSpace(): Item {
    const it = this.nextNonSpace();
    this.backup();
    return it;
  }

  /** item.String() as parse errors quote tokens. */
  private static describe(it: Item): string {
    if (it.typ === 'eof') return 'EOF';
    if (it.typ === 'error') return it.val;
    if (it.typ === 'keyword') return `<${it.val}>`;
    if (it.val.length > 10) return `${JSON.stringify(it.val).slice(0, 11)}...`;
    return JSON.stringify(it.val);
  }
  private unexpected(it: Item, context: string): never {
    if (it.typ === 'error') this.fail(it.val, it.line);
    this.fail(`unexpected ${Parser.describe(it)} in ${context}`, it.line);
  }

  /** Parses until EOF (top) or an `{{end}}`/`{{else}}` (returned as the terminator). */
  parseList(top: boolean): { nodes: Node[]; end?: 'end' | 'else'; elseIf?: boolean } {
    const nodes: Node[] = [];
    for (;;) {
      const it = this.next();
      switch (it.typ) {
        case 'eof':
          if (!top) this.fail('unexpected EOF', it.line);
          return { nodes };
        case 'error':
          this.fail(it.val, it.line);
          break;
        case 'text':
          nodes.push({ t: 'text', text: it.val });
          break;
        case 'leftDelim': {
          const kw = this.peekNonSpace();
          if (kw.typ === 'keyword') {
            this.nextNonSpace();
            switch (kw.val) {
              case 'end':
                this.expectRight('end');
                if (top) this.fail('unexpected {{end}}', kw.line);
                return { nodes, end: 'end' };
              case 'else': {
                const after = this.peekNonSpace();
                if (after.typ === 'keyword' && after.val === 'if') {
                  // {{else if …}} is {{else}}{{if …}}…{{end}}
                  if (top) this.fail('unexpected {{else}}', kw.line);
                  return { nodes, end: 'else', elseIf: true };
                }
                this.expectRight('else');
                if (top) this.fail('unexpected {{else}}', kw.line);
                return { nodes, end: 'else' };
              }
              case 'if':
              case 'with':
                nodes.push(this.control(kw.val, kw));
                break;
              default:
                this.fail(`{{${kw.val}}} is not supported by the lab`, kw.line);
            }
          } else {
            const pipe = this.pipeline('command', 'rightDelim');
            nodes.push({ t: 'action', pos: it.pos, line: it.line, pipe });
          }
          break;
        }
        default:
          this.unexpected(it, 'input');
      }
    }
  }

  private expectRight(context: string): void {
    const it = this.nextNonSpace();
    if (it.typ !== 'rightDelim') this.unexpected(it, context);
  }

  private control(kind: 'if' | 'with', kw: Item): Node {
    const pipe = this.pipeline(kind, 'rightDelim');
    const body = this.parseList(false);
    let elseList: Node[] | undefined;
    if (body.end === 'else') {
      if (body.elseIf) {
        // consume `if` and parse a nested if that shares our {{end}}
        const ifKw = this.nextNonSpace();
        elseList = [this.control('if', ifKw)];
      } else {
        const rest = this.parseList(false);
        if (rest.end === 'else') this.fail('expected end; found {{else}}');
        elseList = rest.nodes;
      }
    }
    return { t: kind, pos: kw.pos, line: kw.line, pipe, list: body.nodes, elseList };
  }

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): Pipe {
    const first = this.peekNonSpace();
    if (first.typ === 'variable') {
      // Declarations ($x := …) are not modelled.
      const save = this.i;
      this.nextNonSpace();
      const n = this.peekNonSpace();
      if (n.typ === 'declare' || n.typ === 'assign') this.fail('variable declarations are not supported by the lab', first.line);
      this.i = save;
    }
    const pipe: Pipe = { pos: first.pos, cmds: [] };
    for (;;) {
      const it = this.nextNonSpace();
      if (it.typ === end) {
        if (pipe.cmds.length === 0) this.fail(`missing value for ${context}`, it.line);
        for (const [i, c] of pipe.cmds.slice(1).entries()) {
          const a = c.args[0]!;
          if (a.t === 'bool' || a.t === 'dot' || a.t === 'nil' || a.t === 'number' || a.t === 'string') this.fail(`non executable command in pipeline stage ${i + 2}`, it.line);
        }
        return pipe;
      }
      switch (it.typ) {
        case 'bool':
        case 'char':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(it, context);
      }
    }
  }

  private command(): Cmd {
    const cmd: Cmd = { pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const op = this.operand();
      if (op) cmd.args.push(op);
      const it = this.next();
      if (it.typ === 'space') continue;
      if (it.typ === 'rightDelim' || it.typ === 'rightParen') this.backup();
      else if (it.typ !== 'pipe') this.unexpected(it, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.fail('empty command');
    return cmd;
  }

  private operand(): Arg | undefined {
    const node = this.term();
    if (!node) return undefined;
    if (this.peek().typ !== 'field') return node;
    const idents: string[] = [];
    while (this.peek().typ === 'field') idents.push(this.next().val.slice(1));
    switch (node.t) {
      case 'field':
        return { t: 'field', pos: node.pos, idents: [...node.idents, ...idents] };
      case 'var':
        return { t: 'var', pos: node.pos, name: node.name, idents: [...node.idents, ...idents] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.fail(`unexpected . after term ${JSON.stringify(argString(node))}`);
        break;
      default:
        return { t: 'chain', pos: node.pos, node, idents };
    }
  }

  private term(): Arg | undefined {
    const it = this.nextNonSpace();
    switch (it.typ) {
      case 'identifier':
        if (!BUILTINS.has(it.val)) this.fail(`function ${JSON.stringify(it.val)} not defined`, it.line);
        return { t: 'ident', pos: it.pos, name: it.val };
      case 'dot':
        return { t: 'dot', pos: it.pos };
      case 'nil':
        return { t: 'nil', pos: it.pos };
      case 'variable':
        if (it.val !== '$') this.fail(`undefined variable ${JSON.stringify(it.val)}`, it.line);
        return { t: 'var', pos: it.pos, name: it.val, idents: [] };
      case 'field':
        return { t: 'field', pos: it.pos, idents: [it.val.slice(1)] };
      case 'bool':
        return { t: 'bool', pos: it.pos, value: it.val === 'true' };
      case 'char':
        return { t: 'number', pos: it.pos, text: it.val, value: JSON.parse(`"${it.val.slice(1, -1).replace(/"/g, '\\"')}"`).codePointAt(0) };
      case 'number': {
        const v = Number(it.val.replace(/_/g, ''));
        if (!Number.isFinite(v)) this.fail(`illegal number syntax: ${JSON.stringify(it.val)}`, it.line);
        return { t: 'number', pos: it.pos, text: it.val, value: v };
      }
      case 'leftParen':
        return { t: 'pipe', pos: it.pos, pipe: this.pipeline('parenthesized pipeline', 'rightParen') };
      case 'string':
        try {
          return { t: 'string', pos: it.pos, quoted: it.val, value: JSON.parse(it.val) as string };
        } catch {
          this.fail('invalid syntax', it.line);
        }
        break;
      case 'rawString':
        return { t: 'string', pos: it.pos, quoted: it.val, value: it.val.slice(1, -1) };
      default:
        this.backup();
        return undefined;
    }
  }
}

/** Node.String() as execution errors quote nodes (`<.PodMeta.Foo>`). */
function argString(a: Arg): string {
  switch (a.t) {
    case 'field':
      return a.idents.map((i) => `.${i}`).join('');
    case 'chain':
      return `${argString(a.node)}${a.idents.map((i) => `.${i}`).join('')}`;
    case 'ident':
      return a.name;
    case 'dot':
      return '.';
    case 'var':
      return a.name + a.idents.map((i) => `.${i}`).join('');
    case 'string':
      return a.quoted;
    case 'number':
      return a.text;
    case 'bool':
      return String(a.value);
    case 'nil':
      return 'nil';
    case 'pipe':
      return `(${pipeString(a.pipe)})`;
  }
}
const pipeString = (p: Pipe): string => p.cmds.map((c) => c.args.map(argString).join(' ')).join(' | ');

// ------------------------------------------------------------------ execution

class ExecFailure {
  constructor(readonly message: string) {}
}

const INVALID: GoValue = { k: 'invalid' };
const MISSING = Symbol('missing');
type Final = GoValue | typeof MISSING;

class ExecState {
  out = '';
  private atPos = 0;
  private atText = '';
  constructor(
    private readonly tmpl: GoTemplate,
    private readonly root: GoValue,
  ) {}

  private at(a: Arg): void {
    this.atPos = a.pos;
    this.atText = argString(a);
  }

  fail(msg: string): never {
    const ctx = this.atText.length > 20 ? `${this.atText.slice(0, 20)}...` : this.atText;
    throw new ExecFailure(`template: ${this.tmpl.location(this.atPos)}: executing ${JSON.stringify(this.tmpl.name)} at <${ctx}>: ${msg}`);
  }

  walkList(nodes: readonly Node[], dot: GoValue = this.root): void {
    for (const n of nodes) {
      switch (n.t) {
        case 'text':
          this.out += n.text;
          break;
        case 'action': {
          const v = this.evalPipeline(dot, n.pipe);
          this.out += this.printable(v);
          break;
        }
        case 'if':
        case 'with': {
          const v = this.evalPipeline(dot, n.pipe);
          const truth = isTrue(v);
          if (truth === undefined) this.fail(`if/with can't use ${formatGoValue(v)}`);
          if (truth) this.walkList(n.list, n.t === 'with' ? v : dot);
          else if (n.elseList) this.walkList(n.elseList, dot);
          break;
        }
      }
    }
  }

  private printable(v: GoValue): string {
    if (v.k === 'ptr' && v.elem === null) return '<nil>';
    if (v.k === 'invalid') return '<no value>';
    return formatGoValue(v);
  }

  private evalPipeline(dot: GoValue, pipe: Pipe): GoValue {
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value);
    return value === MISSING ? INVALID : value;
  }

  private evalCommand(dot: GoValue, cmd: Cmd, final: Final): GoValue {
    const first = cmd.args[0]!;
    switch (first.t) {
      case 'field':
        return this.evalFieldChain(dot, dot, first, first.idents, cmd.args, final);
      case 'chain': {
        const base = this.evalArg(dot, first.node);
        return this.evalFieldChain(dot, base, first, first.idents, cmd.args, final);
      }
      case 'ident':
        return this.evalFunction(dot, first, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first.pipe);
      case 'var':
        return this.evalFieldChain(dot, this.root, first, first.idents, cmd.args, final);
      default:
        this.at(first);
        this.notAFunction(cmd.args, final);
        return this.evalArg(dot, first);
    }
  }

  private notAFunction(args: readonly Arg[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.fail(`can't give argument to non-function ${argString(args[0]!)}`);
  }

  private evalArg(dot: GoValue, a: Arg): GoValue {
    this.at(a);
    switch (a.t) {
      case 'dot':
        return dot;
      case 'nil':
        return { k: 'nil' };
      case 'string':
        return { k: 'string', type: 'string', v: a.value };
      case 'number':
        return { k: 'int', type: 'int', v: a.value };
      case 'bool':
        return { k: 'bool', v: a.value };
      case 'field':
        return this.evalFieldChain(dot, dot, a, a.idents, [a], MISSING);
      case 'chain':
        return this.evalFieldChain(dot, this.evalArg(dot, a.node), a, a.idents, [a], MISSING);
      case 'var':
        return this.evalFieldChain(dot, this.root, a, a.idents, [a], MISSING);
      case 'pipe':
        return this.evalPipeline(dot, a.pipe);
      case 'ident':
        return this.evalFunction(dot, a, [a], MISSING);
    }
  }

  private evalFieldChain(dot: GoValue, receiver: GoValue, node: Arg, idents: readonly string[], args: readonly Arg[], final: Final): GoValue {
    this.at(node);
    if (idents.length === 0) {
      this.notAFunction(args, final);
      return receiver;
    }
    let r = receiver;
    for (let i = 0; i < idents.length - 1; i++) r = this.evalField(r, idents[i]!, false);
    const hasArgs = args.length > 1 || final !== MISSING;
    return this.evalField(r, idents[idents.length - 1]!, hasArgs);
  }

  /** exec.go evalField: struct fields, then map keys (missing → invalid, printed `<no value>`). */
  private evalField(receiver: GoValue, name: string, hasArgs: boolean): GoValue {
    if (receiver.k === 'invalid' || receiver.k === 'nil') return INVALID;
    const typ = goTypeName(receiver);
    const r = lookupField(receiver, name);
    switch (r.kind) {
      case 'value':
        if (hasArgs) this.fail(`${name} has arguments but cannot be invoked as function`);
        return r.value;
      case 'mapMissing':
        if (hasArgs) this.fail(`${name} is not a method but has arguments`);
        return INVALID;
      case 'nilPointer':
        return this.fail(`nil pointer evaluating ${typ}.${name}`);
      case 'noField':
        return this.fail(`can't evaluate field ${name} in type ${typ}`);
    }
  }

  private evalFunction(dot: GoValue, ident: Arg & { t: 'ident' }, args: readonly Arg[], final: Final): GoValue {
    this.at(ident);
    const name = ident.name;
    const rest = args.slice(1);
    // and/or short-circuit on unevaluated arguments
    if (name === 'and' || name === 'or') {
      const all: (() => GoValue)[] = rest.map((a) => () => this.evalArg(dot, a));
      if (final !== MISSING) all.push(() => final);
      if (all.length === 0) this.fail(`wrong number of args for ${name}: want at least 1 got 0`);
      let v: GoValue = INVALID;
      for (const f of all) {
        v = f();
        const t = isTrue(v) ?? false;
        if (name === 'and' ? !t : t) return v;
      }
      return v;
    }
    const vals = rest.map((a) => this.evalArg(dot, a));
    if (final !== MISSING) vals.push(final);
    this.at(ident);
    const callErr = (msg: string): never => this.fail(`error calling ${name}: ${msg}`);
    switch (name) {
      case 'index': {
        if (vals.length < 1) this.fail(`wrong number of args for index: want at least 1 got 0`);
        let item = vals[0]!;
        if (item.k === 'invalid' || item.k === 'nil') callErr('index of untyped nil');
        for (const key of vals.slice(1)) {
          const r = goIndex(item, key);
          if (!r.ok) callErr(r.error);
          else item = r.value;
        }
        return item;
      }
      case 'len': {
        if (vals.length !== 1) this.fail(`wrong number of args for len: want 1 got ${vals.length}`);
        const v = vals[0]!;
        if (v.k === 'string') return { k: 'int', type: 'int', v: [...new TextEncoder().encode(v.v)].length };
        if (v.k === 'map') return { k: 'int', type: 'int', v: v.v === null ? 0 : Object.keys(v.v).length };
        if (v.k === 'slice') return { k: 'int', type: 'int', v: v.v === null ? 0 : v.v.length };
        return callErr(`len of type ${goTypeName(v)}`);
      }
      case 'not': {
        if (vals.length !== 1) this.fail(`wrong number of args for not: want 1 got ${vals.length}`);
        return { k: 'bool', v: !(isTrue(vals[0]!) ?? false) };
      }
      case 'print':
        return { k: 'string', type: 'string', v: goSprint(vals) };
      case 'println':
        return { k: 'string', type: 'string', v: `${vals.map((v) => formatGoValue(v)).join(' ')}\n` };
      case 'printf': {
        if (vals.length < 1) this.fail('wrong number of args for printf: want at least 1 got 0');
        const f = vals[0]!;
        if (f.k !== 'string') this.fail(`wrong type for value; expected string; got ${goTypeName(f)}`);
        return { k: 'string', type: 'string', v: goSprintf(f.v, vals.slice(1)) };
      }
      case 'eq':
      case 'ne':
      case 'lt':
      case 'le':
      case 'gt':
      case 'ge': {
        if (name !== 'eq' && vals.length !== 2) this.fail(`wrong number of args for ${name}: want 2 got ${vals.length}`);
        if (vals.length < 2) this.fail(`wrong number of args for ${name}: want at least 1 got ${vals.length}`);
        const a = vals[0]!;
        const cmp = (b: GoValue): number => {
          const av = scalar(a);
          const bv = scalar(b);
          if (av === undefined || bv === undefined) return callErr('invalid type for comparison');
          if (typeof av !== typeof bv) return callErr('incompatible types for comparison');
          return av < bv ? -1 : av > bv ? 1 : 0;
        };
        if (name === 'eq') return { k: 'bool', v: vals.slice(1).some((b) => cmp(b) === 0) };
        const c = cmp(vals[1]!);
        const v = name === 'ne' ? c !== 0 : name === 'lt' ? c < 0 : name === 'le' ? c <= 0 : name === 'gt' ? c > 0 : c >= 0;
        return { k: 'bool', v };
      }
      default:
        return this.fail(`function ${JSON.stringify(name)} is not supported by the lab`);
    }
  }
}

function scalar(v: GoValue): string | number | boolean | undefined {
  if (v.k === 'string' || v.k === 'int' || v.k === 'bool') return v.v;
  return undefined;
}

/** fmt.Sprint: spaces between operands when neither is a string. */
function goSprint(vals: readonly GoValue[]): string {
  let out = '';
  vals.forEach((v, i) => {
    if (i > 0 && v.k !== 'string' && vals[i - 1]!.k !== 'string') out += ' ';
    out += v.k === 'invalid' ? '<nil>' : formatGoValue(v);
  });
  return out;
}

/** fmt.Sprintf for the common verbs. */
function goSprintf(format: string, args: readonly GoValue[]): string {
  let out = '';
  let argi = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    const verb = format[++i];
    if (verb === undefined) {
      out += '%!(NOVERB)';
      break;
    }
    if (verb === '%') {
      out += '%';
      continue;
    }
    const a = args[argi++];
    if (a === undefined) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const shown = a.k === 'invalid' ? '<nil>' : formatGoValue(a);
    switch (verb) {
      case 's':
      case 'v':
        out += shown;
        break;
      case 'd':
        out += a.k === 'int' ? String(Math.trunc(a.v)) : `%!d(${goTypeName(a)}=${shown})`;
        break;
      case 'q':
        out += JSON.stringify(shown);
        break;
      case 'x':
        out += a.k === 'int' ? Math.trunc(a.v).toString(16) : [...new TextEncoder().encode(shown)].map((b) => b.toString(16).padStart(2, '0')).join('');
        break;
      default:
        out += `%!${verb}(${goTypeName(a)}=${shown})`;
    }
  }
  if (argi < args.length) out += `%!(EXTRA ${args.slice(argi).map((a) => `${goTypeName(a)}=${formatGoValue(a)}`).join(', ')})`;
  return out;
}
