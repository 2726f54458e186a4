/**
 * Command-line parsing as kubectl's cobra/pflag does it: `--flag value`, `--flag=value`, `-n value`,
 * `-nvalue`, `-n=value`, grouped boolean shorthands (`-it`), flags anywhere among the arguments,
 * everything after `--` left as arguments (kubectl exec's ArgsLenAtDash), and pflag's wording for
 * unknown flags (spf13/pflag flag.go) wrapped as kubectl's UsageErrorf does
 * (kubectl:pkg/cmd/util/helpers.go: `See 'kubectl get -h' for help and examples`).
 */
export type FlagType = 'bool' | 'string' | 'strings';

export interface FlagSpec {
  readonly long: string;
  readonly short?: string;
  readonly type: FlagType;
  /** Value when given without one (pflag NoOptDefVal), for string flags such as `--dry-run`. */
  readonly noOptDefault?: string;
}

export interface ParsedArgs {
  readonly positional: string[];
  /** Arguments after `--`. */
  readonly afterDash: string[];
  /** Index in `positional` where `--` appeared, or -1. */
  readonly argsLenAtDash: number;
  readonly values: Map<string, string[]>;
}

export function flagString(p: ParsedArgs, long: string): string | undefined {
  const v = p.values.get(long);
  return v === undefined ? undefined : v[v.length - 1];
}

export function flagBool(p: ParsedArgs, long: string): boolean {
  const v = flagString(p, long);
  return v !== undefined && v !== 'false';
}

export function flagStrings(p: ParsedArgs, long: string): string[] {
  return p.values.get(long) ?? [];
}

/** Parses argv against the specs; the error is pflag's message (without kubectl's decoration). */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[]): { ok: true; value: ParsedArgs } | { ok: false; error: string } {
  const byLong = new Map(specs.map((s) => [s.long, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const positional: string[] = [];
  const values = new Map<string, string[]>();
  let afterDash: string[] = [];
  let argsLenAtDash = -1;
  const set = (spec: FlagSpec, v: string) => {
    if (spec.type === 'strings') values.set(spec.long, [...(values.get(spec.long) ?? []), ...(spec.long === 'filename' ? [v] : v.split(','))]);
    else values.set(spec.long, [v]);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      argsLenAtDash = positional.length;
      afterDash = argv.slice(i + 1);
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const spec = byLong.get(name);
      if (!spec) return { ok: false, error: `unknown flag: --${name}` };
      if (eq >= 0) set(spec, a.slice(eq + 1));
      else if (spec.type === 'bool') set(spec, 'true');
      else if (spec.noOptDefault !== undefined) set(spec, spec.noOptDefault);
      else {
        if (i + 1 >= argv.length) return { ok: false, error: `flag needs an argument: --${name}` };
        set(spec, argv[++i]!);
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      let j = 1;
      while (j < a.length) {
        const c = a[j]!;
        const spec = byShort.get(c);
        if (!spec) return { ok: false, error: `unknown shorthand flag: '${c}' in ${a}` };
        if (spec.type === 'bool') {
          if (a[j + 1] === '=') {
            set(spec, a.slice(j + 2));
            break;
          }
          set(spec, 'true');
          j++;
          continue;
        }
        const rest = a.slice(j + 1);
        if (rest.startsWith('=')) set(spec, rest.slice(1));
        else if (rest !== '') set(spec, rest);
        else if (spec.noOptDefault !== undefined) set(spec, spec.noOptDefault);
        else {
          if (i + 1 >= argv.length) return { ok: false, error: `flag needs an argument: '${c}' in -${c}` };
          set(spec, argv[++i]!);
        }
        break;
      }
      continue;
    }
    positional.push(a);
  }
  return { ok: true, value: { positional, afterDash, argsLenAtDash, values } };
}
