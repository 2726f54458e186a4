/**
 * `envsubst` (GNU gettext): copies stdin to stdout with `$VAR` and `${VAR}` replaced by the environment's
 * values, an unset variable by the empty string. With a SHELL-FORMAT argument only the variables it
 * names are replaced. Nothing else is shell syntax to it: `${VAR:-x}`, `$(…)` and backslashes pass
 * through as written. Upstream: gettext-runtime/src/envsubst.c (subst_from_stdin, all_variables).
 */
import { done, fail, type Program } from './program.ts';

const REFERENCE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;

export const envsubst: Program = (argv, io) => {
  const args = argv.slice(1);
  const option = args.find((a) => a.startsWith('-'));
  if (option === '-v' || option === '--variables') {
    const names = [...(args.find((a) => !a.startsWith('-')) ?? '').matchAll(REFERENCE)].map((m) => m[1] ?? m[2]!);
    return done(names.map((n) => `${n}\n`).join(''));
  }
  if (option !== undefined) return fail(`envsubst: invalid option -- '${option.replace(/^-+/, '')}'\nTry 'envsubst --help' for more information.`);
  if (args.length > 1) return fail('envsubst: too many arguments\nTry \'envsubst --help\' for more information.');
  const only = args[0] === undefined ? undefined : new Set([...args[0].matchAll(REFERENCE)].map((m) => m[1] ?? m[2]!));
  return done(io.stdin.replace(REFERENCE, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare!;
    if (only && !only.has(name)) return whole;
    return io.env[name] ?? '';
  }));
};
