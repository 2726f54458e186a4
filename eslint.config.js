// Lint is where the architecture is enforced: import zones keep the engine's layers pointing one way
// (DESIGN.md "Imports go one way"), and sim/ may not reach for ambient time, randomness or timers.
// Zones use ESLint's own no-restricted-imports with path patterns (relative imports name their folder),
// so no module resolver is needed.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Layers of sim/, lowest first. A layer may import only from layers before it (and itself).
const layers = [['core'], ['pki'], ['spiffe'], ['kube', 'net'], ['spire', 'envoy'], ['istiod'], ['cli'], ['world'], ['scenario'], ['driver'], ['index']];

const browserOnly = 'sim/ and ui/ run in the browser: no Node built-ins.';
const nodeBuiltins = {
  paths: ['fs', 'path', 'os', 'crypto', 'child_process', 'net', 'tls', 'http', 'https', 'readline', 'stream'].map((name) => ({ name, message: browserOnly })),
  patterns: [{ group: ['node:*'], message: browserOnly }],
};

/** `**\/spire/**`-style patterns for the sim folders a folder may not import. */
const forbid = (folders, message) => ({ group: folders.flatMap((f) => [`**/sim/${f}`, `**/sim/${f}/**`, `../${f}`, `../${f}/**`, `../${f}.ts`, `../../${f}/**`]), message });
const outsideSim = [
  { group: ['**/ui/**'], message: 'The engine never imports the UI.' },
  { group: ['**/server/**'], message: 'The engine never imports server code.' },
  { group: ['**/scenarios/**'], message: 'Scenarios are data read through the loader.' },
];

const layerConfigs = layers.flatMap((layer, i) =>
  layer.map((target) => {
    const above = layers.slice(i + 1).flat();
    const siblings = layer.filter((other) => other !== target);
    const extra = target === 'istiod' ? ['spire'] : []; // SPIRE and the mesh meet only through sim/spiffe (DESIGN.md)
    const banned = [...above, ...siblings, ...extra];
    return {
      files: [target === 'index' || target === 'driver' ? `sim/${target}.ts` : `sim/${target}/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          { ...nodeBuiltins, patterns: [...nodeBuiltins.patterns, ...outsideSim, ...(banned.length ? [forbid(banned, `sim/${target} may not import ${banned.map((b) => `sim/${b}`).join(', ')}: imports go one way (DESIGN.md).`)] : [])] },
        ],
      },
    };
  }),
);

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['ui/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { ...nodeBuiltins, patterns: [...nodeBuiltins.patterns, { group: ['**/server/**'], message: 'The UI talks to the server only through the Driver seam.' }] }] },
  },
  ...layerConfigs,
  {
    // One clock for everything: sim/ reads time and schedules work only through sim/core/clock.ts.
    files: ['sim/**/*.ts'],
    ignores: ['sim/core/clock.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Use the Clock passed in (sim/core/clock.ts).' },
        { object: 'Math', property: 'random', message: 'Use the seeded Rng (sim/core/rng.ts).' },
        { object: 'performance', property: 'now', message: 'Use the Clock passed in.' },
      ],
      'no-restricted-globals': [
        'error',
        ...['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'queueMicrotask'].map((name) => ({
          name,
          message: 'Schedule through the Clock/Scheduler (sim/core), never a real timer.',
        })),
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'new Date() reads the wall clock: pass the time from the Clock.' },
        { selector: "CallExpression[callee.name='Date'][arguments.length=0]", message: 'Date() reads the wall clock: pass the time from the Clock.' },
      ],
    },
  },
);
