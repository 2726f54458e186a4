import { defineConfig } from 'vitest/config';

// One config for the UI build (root = ui/) and the test runner (tests live in test/, mirroring sources).
// `vite build` → dist/ui, served by `fedlab start` (the page drives the server over ws);
// `vite build --mode static` → dist/static, the engine in the page, relative URLs so it opens from any path.
export default defineConfig(({ mode }) => ({
  root: 'ui',
  base: mode === 'static' ? './' : '/',
  // The page bundles the engine with its CRD schemas and the scenario library; that is expected.
  build: { outDir: mode === 'static' ? '../dist/static' : '../dist/ui', emptyOutDir: true, chunkSizeWarningLimit: 8192 },
  // The static build's engine runs in a module worker (ui/driver/worker.ts); ES output lets it split chunks.
  worker: { format: 'es' },
  test: {
    root: '.',
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 30_000,
    reporters: ['default', './test/reporters/summaryLine.ts'],
  },
}));
