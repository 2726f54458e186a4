import { defineConfig } from 'vitest/config';

// One config for the UI build (root = ui/) and the test runner (tests live in test/, mirroring sources).
export default defineConfig({
  root: 'ui',
  // The page bundles the engine with its CRD schemas (~1 MB); that is expected for now.
  build: { outDir: '../dist/ui', emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  test: {
    root: '.',
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 30_000,
    reporters: ['default', './test/reporters/summaryLine.ts'],
  },
});
