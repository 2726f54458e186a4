/**
 * A workstation shell over emulated programs: runs a command line (words.ts) with variables,
 * command substitution, brace expansion, pipes, && / ||, `for` loops, `( … )` subshells and
 * `{ …; }` groups, redirections into a virtual filesystem, and the builtins `export`, `cd`, `pwd`
 * and `xargs` (a builtin here because it runs other programs). Programs are looked up by name (`kubectl`, `oc`, `curl`, coreutils…);
 * an unknown one fails as bash does (`bash: NAME: command not found`, exit 127).
 */
import { expandBraces } from './braces.ts';
import { COREUTILS } from './coreutils.ts';
import { resolvePath, VirtualFs } from './fs.ts';
import { done, type Program, type ProgramResult } from './program.ts';
import { parseScript, type Command, type Pipeline, type Redirect, type Script, type SimpleCommand, type Word } from './words.ts';
import { xargs } from './xargs.ts';

export interface ShellOptions {
  readonly programs?: Readonly<Record<string, Program>>;
  readonly env?: Record<string, string>;
  readonly fs?: VirtualFs;
  readonly cwd?: string;
}

export class Shell {
  readonly env: Record<string, string>;
  readonly fs: VirtualFs;
  cwd: string;
  private lastStatus = 0;
  /** What the current simple command's `$(…)` substitutions wrote to stderr, and the last one's status. */
  private substitution = { stderr: '', status: 0 };
  private readonly programs: Record<string, Program>;

  constructor(opts: ShellOptions = {}) {
    this.programs = { ...COREUTILS, ...opts.programs };
    this.env = { HOME: '/home/user', ...opts.env };
    this.fs = opts.fs ?? new VirtualFs();
    this.cwd = opts.cwd ?? this.env.HOME!;
  }

  register(name: string, program: Program): void {
    this.programs[name] = program;
  }

  has(name: string): boolean {
    return name in this.programs;
  }

  /** Runs one command line; stdout and stderr are returned separately, as a terminal would show them. */
  async run(line: string, stdin = ''): Promise<ProgramResult> {
    const script = parseScript(line);
    if (!script.ok) {
      this.lastStatus = 2;
      return done('', `bash: ${script.error.message}\n`, 2);
    }
    return this.runScript(script.value, stdin);
  }

  private async runScript(script: Script, stdin: string): Promise<ProgramResult> {
    let stdout = '';
    let stderr = '';
    let status = 0;
    for (const andOr of script) {
      let r = await this.runPipeline(andOr.first, stdin);
      stdout += r.stdout;
      stderr += r.stderr;
      for (const { op, pipeline } of andOr.rest) {
        if ((op === '&&') !== (r.exitCode === 0)) continue;
        r = await this.runPipeline(pipeline, stdin);
        stdout += r.stdout;
        stderr += r.stderr;
      }
      status = r.exitCode;
      this.lastStatus = status;
    }
    return done(stdout, stderr, status);
  }

  private async runPipeline(p: Pipeline, stdin: string): Promise<ProgramResult> {
    let input = stdin;
    let stderr = '';
    let last: ProgramResult = done();
    for (const cmd of p.commands) {
      last = await this.runCommand(cmd, input);
      stderr += last.stderr;
      input = last.stdout;
    }
    return done(last.stdout, stderr, last.exitCode);
  }

  private async runCommand(cmd: Command, stdin: string): Promise<ProgramResult> {
    switch (cmd.kind) {
      case 'simple':
        return this.runSimple(cmd, stdin);
      case 'for':
        return this.withRedirects(cmd.redirects, stdin, async (input) => {
          const values: string[] = [];
          for (const w of cmd.items) values.push(...(await this.expand(w)));
          let stdout = '';
          let stderr = '';
          let status = 0;
          for (const v of values) {
            this.env[cmd.name] = v;
            const r = await this.runScript(cmd.body, input);
            stdout += r.stdout;
            stderr += r.stderr;
            status = r.exitCode;
          }
          return done(stdout, stderr, status);
        });
      case 'group':
        return this.withRedirects(cmd.redirects, stdin, (input) => this.runScript(cmd.body, input));
      case 'subshell':
        return this.withRedirects(cmd.redirects, stdin, async (input) => {
          // A child shell: what the body sets or `cd`s to is gone when it ends.
          const env = { ...this.env };
          const cwd = this.cwd;
          try {
            return await this.runScript(cmd.body, input);
          } finally {
            for (const k of Object.keys(this.env)) if (!(k in env)) delete this.env[k];
            Object.assign(this.env, env);
            this.cwd = cwd;
          }
        });
    }
  }

  private async runSimple(cmd: SimpleCommand, stdin: string): Promise<ProgramResult> {
    const subst = { stderr: '', status: 0 };
    this.substitution = subst;
    const argv: string[] = [];
    for (const w of cmd.words) argv.push(...(await this.expand(w)));
    const assigned: Record<string, string> = {};
    for (const a of cmd.assigns) assigned[a.name] = (await this.expand(a.value, false)).join('');
    if (argv.length === 0) {
      Object.assign(this.env, assigned);
      // bash: with no command name left, the status is the last command substitution's (`X=$(false)` is 1);
      // a substitution's stderr is not captured, it reaches the terminal.
      return done('', subst.stderr, subst.status);
    }
    const r = await this.withRedirects(cmd.redirects, stdin, (input) => this.exec(argv, input, { ...this.env, ...assigned }));
    return subst.stderr ? { ...r, stderr: subst.stderr + r.stderr } : r;
  }

  /** Applies `< file`, `> file`, `>> file`, `2> file` and `2>&1` around running something. */
  private async withRedirects(redirects: readonly Redirect[], stdin: string, run: (stdin: string) => Promise<ProgramResult>): Promise<ProgramResult> {
    let input = stdin;
    const outputs: { fd: 1 | 2; path: string; append: boolean }[] = [];
    let mergeStderr = false;
    for (const r of redirects) {
      const target = (await this.expand(r.target, false)).join('');
      if (r.op === '<') {
        const content = this.fs.read(resolvePath(this.cwd, target));
        if (content === undefined) return done('', `bash: ${target}: No such file or directory\n`, 1);
        input = content;
      } else if (r.op === '>&') {
        if (r.fd === 2 && target === '1') mergeStderr = true;
      } else outputs.push({ fd: r.fd === 2 ? 2 : 1, path: resolvePath(this.cwd, target), append: r.op === '>>' });
    }
    const result = await run(input);
    let stdout = result.stdout;
    let stderr = result.stderr;
    if (mergeStderr) {
      stdout += stderr;
      stderr = '';
    }
    for (const o of outputs) {
      try {
        this.fs.write(o.path, o.fd === 1 ? stdout : stderr, o.append);
      } catch (e) {
        // A read-only mount (ConfigMap, CSI socket directory): bash reports it and the command fails.
        return done(o.fd === 1 ? '' : stdout, `bash: ${(e as Error).message}\n`, 1);
      }
      if (o.fd === 1) stdout = '';
      else stderr = '';
    }
    return done(stdout, stderr, result.exitCode);
  }

  private async exec(argv: readonly string[], stdin: string, env: Record<string, string>): Promise<ProgramResult> {
    const name = argv[0]!;
    switch (name) {
      case 'export':
        for (const a of argv.slice(1)) {
          const eq = a.indexOf('=');
          if (eq > 0) this.env[a.slice(0, eq)] = a.slice(eq + 1);
        }
        return done();
      case 'cd': {
        this.cwd = resolvePath(this.cwd, argv[1] ?? this.env.HOME ?? '/');
        return done();
      }
      case 'pwd':
        return done(`${this.cwd}\n`);
      // A script file: `source`/`.` runs it in this shell, `bash`/`sh` in a child shell (its exports stay there).
      case 'source':
      case '.':
      case 'bash':
      case 'sh': {
        const child = (): Shell => new Shell({ programs: this.programs, env: { ...env }, fs: this.fs, cwd: this.cwd });
        if ((name === 'bash' || name === 'sh') && argv[1] === '-c') return child().run(argv[2] ?? '', stdin);
        const file = argv[1];
        if (file === undefined) return name === 'source' || name === '.' ? done('', `bash: ${name}: filename argument required\n`, 2) : done();
        const text = this.fs.read(resolvePath(this.cwd, file));
        if (text === undefined) return done('', `bash: ${file}: No such file or directory\n`, name === 'source' || name === '.' ? 1 : 127);
        if (name === 'source' || name === '.') return this.run(text, stdin);
        return child().run(text, stdin);
      }
      case 'xargs':
        return xargs(argv, stdin, (args) => this.exec(args, '', env), (cmd) => ['export', 'cd', 'pwd'].includes(cmd) || this.lookup(cmd) !== undefined);
    }
    const program = this.lookup(name);
    if (!program) return done('', `bash: ${name}: command not found\n`, 127);
    return program(argv, { stdin, env, cwd: this.cwd, fs: this.fs });
  }

  private lookup(name: string): Program | undefined {
    return this.programs[name.includes('/') ? name.slice(name.lastIndexOf('/') + 1) : name];
  }

  /** Expands one word: braces, variables and substitutions; unquoted expansions are split on whitespace. */
  private async expand(word: Word, split = true): Promise<string[]> {
    if (!split) return this.expandOne(word, split);
    const out: string[] = [];
    for (const w of expandBraces(word)) out.push(...(await this.expandOne(w, split)));
    return out;
  }

  private async expandOne(word: Word, split: boolean): Promise<string[]> {
    const fields: string[] = [''];
    let sawQuoted = false;
    for (const part of word) {
      let value: string;
      if (part.kind === 'text') value = part.text;
      else if (part.kind === 'var') value = part.name === '?' ? String(this.lastStatus) : (this.env[part.name] ?? '');
      else {
        const saved = this.lastStatus;
        const outer = this.substitution;
        const r = await this.runScript(part.script, '');
        this.lastStatus = saved;
        this.substitution = outer;
        outer.stderr += r.stderr;
        outer.status = r.exitCode;
        value = r.stdout.replace(/\n+$/, '');
      }
      if (part.quoted || part.kind === 'text' || !split) {
        fields[fields.length - 1] += value;
        sawQuoted ||= part.quoted || part.kind === 'text';
      } else {
        const pieces = value.split(/\s+/);
        fields[fields.length - 1] += pieces[0] ?? '';
        for (const p of pieces.slice(1)) fields.push(p);
      }
    }
    return fields.filter((f, i) => f !== '' || (sawQuoted && i === 0) || fields.length === 1 && sawQuoted);
  }
}
