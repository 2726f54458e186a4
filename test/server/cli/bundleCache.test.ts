import { mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cachedBundle, type BundleOptions } from '../../../bin/bundleCache.mjs';

function project(): Required<BundleOptions> {
  const root = mkdtempSync(join(tmpdir(), 'fedlab-bundle-'));
  writeFileSync(join(root, 'entry.ts'), "import { greeting } from './dep.ts';\nexport const said: string = greeting('lab');\n");
  writeFileSync(join(root, 'dep.ts'), 'export const greeting = (who: string): string => `hello ${who}`;\n');
  return { root, entry: 'entry.ts', cacheDir: join(root, 'cache'), name: 'w' };
}

describe('cachedBundle', () => {
  it('bundles the TypeScript entry into one loadable file and reuses it while no input changed', async () => {
    const opts = project();
    const path = cachedBundle(opts)!;
    expect(path).toBe(join(opts.cacheDir, 'w.mjs'));
    expect(((await import(pathToFileURL(path).href)) as { said: string }).said).toBe('hello lab');
    const manifest = JSON.parse(readFileSync(join(opts.cacheDir, 'w.json'), 'utf8')) as { inputs: Record<string, unknown> };
    expect(Object.keys(manifest.inputs).sort()).toEqual(['dep.ts', 'entry.ts']);
    const built = statSync(path).mtimeMs;
    expect(cachedBundle(opts)).toBe(path);
    expect(statSync(path).mtimeMs).toBe(built);
  });

  it('rebuilds when an input changed, so an edit to the sources reaches the next run', () => {
    const opts = project();
    const path = cachedBundle(opts)!;
    writeFileSync(join(opts.root, 'dep.ts'), 'export const greeting = (who: string): string => `bonjour ${who}`;\n');
    utimesSync(join(opts.root, 'dep.ts'), new Date(), new Date(Date.now() + 5000));
    expect(cachedBundle(opts)).toBe(path);
    expect(readFileSync(path, 'utf8')).toContain('bonjour');
  });

  it('gives up (undefined, so the pool loads the sources through tsx) when the entry does not build', () => {
    const opts = project();
    writeFileSync(join(opts.root, 'entry.ts'), "import { nothing } from './missing.ts';\nexport const x = nothing;\n");
    expect(cachedBundle(opts)).toBeUndefined();
  });
});
