/**
 * The scenario library on disk as the driver's FileSource: repo-relative paths, read on demand, and
 * confined to `scenarios/` (plus the directory of a scenario named on the command line) so that a
 * path sent over ws can never read anything else. Edits never touch the disk: the driver keeps them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { FileSource } from '../../sim/driver.ts';

const toKey = (root: string, abs: string): string => relative(root, abs).split(sep).join('/');

export function diskFiles(root: string, extra?: string): FileSource & { keyOf(abs: string): string } {
  const allowed = [resolve(root, 'scenarios'), ...(extra ? [dirname(resolve(extra))] : [])];
  let listed: string[] | undefined;
  const inside = (abs: string): boolean => allowed.some((dir) => abs === dir || abs.startsWith(dir + sep));
  const walk = (dir: string, out: string[]): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p, out);
      else if (e.isFile()) out.push(toKey(root, p));
    }
  };
  return {
    list() {
      if (!listed) {
        listed = [];
        walk(allowed[0]!, listed);
        if (extra && !listed.includes(toKey(root, resolve(extra)))) listed.push(toKey(root, resolve(extra)));
      }
      return listed;
    },
    read(path) {
      if (path.includes('\0') || isAbsolute(path)) return undefined;
      const abs = resolve(root, path);
      if (!inside(abs)) return undefined;
      try {
        return statSync(abs).isFile() ? readFileSync(abs, 'utf8') : undefined;
      } catch {
        return undefined;
      }
    },
    keyOf: (abs) => toKey(root, resolve(abs)),
  };
}
