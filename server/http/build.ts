/**
 * Builds the page (vite, root ui/) when `dist/ui` is missing or older than the sources it bundles
 * (ui/, sim/ and scenarios/), so `npm start` always serves the current code.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir: string): number {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export function uiIsStale(root: string, outDir: string): boolean {
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return ['ui', 'sim', 'scenarios'].some((d) => newest(join(root, d)) > built) || statSync(join(root, 'vite.config.ts')).mtimeMs > built;
}

/** Runs vite's build through its JS API; resolves once `outDir` holds the page. */
export async function buildUi(root: string, outDir: string, log: (line: string) => void): Promise<void> {
  log(`building the UI into ${outDir} …\n`);
  const { build } = await import('vite');
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
}
