// fedlab's code as one JavaScript file per entry point, built with esbuild and kept in
// `node_modules/.cache/fedlab/`. Loading the TypeScript sources through tsx transpiles and links ~300
// modules one loader round trip at a time: ~0.8 s for the command line, 1.7–2.5 s for each `fedlab run`
// worker on the 2-core machine when two workers and the main thread load at once. A bundle loads in
// ~0.15 s. It is rebuilt when an input changed: the build's metafile names every input, and the
// manifest keeps each one's size and modification time (a stat of each, ~10 ms, per start). npm
// packages stay outside the bundle, resolved from the project's node_modules as before.
// Plain JavaScript, because the launcher uses it before anything can load TypeScript.
// Anything that goes wrong (no esbuild, an unwritable cache, a failed build) gives undefined, and the
// caller loads the sources through tsx.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project directory: the nearest one above this module with fedlab's package.json. Not a fixed
 * `..`: inside the command line's bundle this module's URL is the bundle's, in node_modules/.cache.
 */
export const PROJECT_ROOT = (() => {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'fedlab') return dir;
    if (dirname(dir) === dir) return resolve(here, '..');
  }
})();

/** Where bundles live: `<cacheDir>/<name>.mjs`, with `<cacheDir>/<name>.json` as the manifest. */
export const BUNDLE_CACHE = join(PROJECT_ROOT, 'node_modules/.cache/fedlab');

const stamp = (root, path) => {
  const s = statSync(join(root, path));
  return [s.size, s.mtimeMs];
};

function upToDate(root, manifestPath, key) {
  try {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (m.key !== key) return false;
    return Object.entries(m.inputs).every(([path, [size, mtime]]) => {
      const [s, t] = stamp(root, path);
      return s === size && t === mtime;
    });
  } catch {
    return false; // no manifest, or an input is gone
  }
}

/** The bundle of `entry` (relative to `root`), built or rebuilt now if needed; undefined when it cannot be had. */
export function cachedBundle({ root = PROJECT_ROOT, entry, cacheDir = BUNDLE_CACHE, name }) {
  let tmp;
  try {
    const esbuild = createRequire(import.meta.url)('esbuild');
    const out = join(cacheDir, `${name}.mjs`);
    const manifestPath = join(cacheDir, `${name}.json`);
    // A build by another esbuild or Node is not this one's (targets and output may differ).
    const key = `${esbuild.version}|${process.version}|${entry}`;
    if (upToDate(root, manifestPath, key)) return out;
    mkdirSync(cacheDir, { recursive: true });
    // Written beside its final name and renamed, so that a start meanwhile never loads half a file.
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
    const inputs = {};
    for (const path of Object.keys(result.metafile.inputs)) inputs[path] = stamp(root, path);
    renameSync(tmp, out);
    writeFileSync(manifestPath, JSON.stringify({ key, inputs }));
    return out;
  } catch {
    if (tmp) rmSync(tmp, { force: true });
    return undefined;
  }
}
