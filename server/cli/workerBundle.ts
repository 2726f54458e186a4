/**
 * `fedlab run`'s worker as one JavaScript file, built with esbuild and kept in
 * `node_modules/.cache/fedlab/`. A worker that loads the TypeScript sources through tsx transpiles
 * and links ~300 modules one loader round trip at a time: 1.7–2.5 s on the 2-core machine with two
 * workers and the main thread loading at once, before it can play anything. The bundle loads in
 * ~0.15 s. It is rebuilt when an input changed: the build's metafile names every input, and the
 * manifest keeps each one's size and modification time (a stat of each, ~10 ms, per run). npm
 * packages stay outside the bundle, resolved from the project's node_modules as before.
 * Anything that goes wrong (no esbuild, an unwritable cache, a failed build) returns undefined and the
 * pool loads the sources through tsx, as it did before.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as esbuildModule from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** What to bundle and where to keep it (the defaults: `fedlab run`'s worker, in the project's cache). */
export interface BundleOptions {
  /** The project directory: the entry and the manifest's input paths are relative to it. */
  readonly root: string;
  readonly entry: string;
  /** The bundle is `<cacheDir>/<name>.mjs`, its manifest `<cacheDir>/<name>.json`. */
  readonly cacheDir: string;
  readonly name: string;
}

const RUN_WORKER: BundleOptions = { root: ROOT, entry: 'server/cli/runWorker.ts', cacheDir: join(ROOT, 'node_modules/.cache/fedlab'), name: 'run-worker' };

interface Manifest {
  readonly key: string;
  /** Input path (relative to the project) → [size, mtimeMs] when the bundle was built. */
  readonly inputs: Record<string, [number, number]>;
}

type Esbuild = typeof esbuildModule;

const stamp = (root: string, path: string): [number, number] => {
  const s = statSync(join(root, path));
  return [s.size, s.mtimeMs];
};

function upToDate(root: string, manifestPath: string, key: string): boolean {
  try {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    if (m.key !== key) return false;
    return Object.entries(m.inputs).every(([path, [size, mtime]]) => {
      const [s, t] = stamp(root, path);
      return s === size && t === mtime;
    });
  } catch {
    return false; // no manifest, or an input is gone
  }
}

/** The bundle's path, built or rebuilt now if needed; undefined when it cannot be had. */
export function workerBundle(opts: BundleOptions = RUN_WORKER): string | undefined {
  const { root, entry, cacheDir, name } = opts;
  let tmp: string | undefined;
  try {
    const esbuild = createRequire(import.meta.url)('esbuild') as Esbuild;
    const out = join(cacheDir, `${name}.mjs`);
    const manifestPath = join(cacheDir, `${name}.json`);
    // A build by another esbuild or Node is not this one's (targets and output may differ).
    const key = `${esbuild.version}|${process.version}`;
    if (upToDate(root, manifestPath, key)) return out;
    mkdirSync(cacheDir, { recursive: true });
    // Written beside its final name and renamed, so that a run starting meanwhile never loads half a file.
    tmp = `${out}.${process.pid}.tmp`;
    const result = esbuild.buildSync({
      absWorkingDir: root,
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node}`,
      packages: 'external',
      outfile: tmp,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs: Record<string, [number, number]> = {};
    for (const path of Object.keys(result.metafile.inputs)) inputs[path] = stamp(root, path);
    renameSync(tmp, out);
    writeFileSync(manifestPath, JSON.stringify({ key, inputs } satisfies Manifest));
    return out;
  } catch {
    if (tmp) rmSync(tmp, { force: true });
    return undefined;
  }
}
