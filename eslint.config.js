// Lint is where the architecture is enforced: import zones keep the engine's layers pointing one way
// (DESIGN.md "Imports go one way"), and sim/ may not reach for ambient time, randomness or timers.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';

// Layers of sim/, lowest first. A layer may import only from layers before it (and itself).
const layers = [
  ['core'],
  ['pki'],
  ['spiffe'],
  ['kube', 'net'],
  ['spire', 'envoy'],
  ['istiod'],
  ['cli'],
  ['world'],
  ['scenario'],
  ['driver.ts'],
  ['index.ts'],
];

const zones = [];
layers.forEach((layer, i) => {
  const above = layers.slice(i + 1).flat();
  for (const target of layer) {
    const siblings = layer.filter((other) => other !== target);
    for (const from of [...above, ...siblings]) {
      zones.push({
        target: `./sim/${target}`,
        from: `./sim/${from}`,
        message: `sim/${target} sits below sim/${from}: imports go one way (DESIGN.md).`,
      });
    }
  }
});
zones.push(
  // SPIRE and the mesh meet only through sim/spiffe interfaces, wired in sim/world (DESIGN.md).
  { target: './sim/istiod', from: './sim/spire', message: 'istiod does not import spire: they meet through sim/spiffe interfaces.' },
  { target: './sim', from: './ui', message: 'The engine never imports the UI.' },
  { target: './sim', from: './server', message: 'The engine never imports server code.' },
  { target: './sim', from: './scenarios', message: 'Scenarios are data read through the loader.' },
  { target: './ui', from: './server', message: 'The UI talks to the server only through the Driver seam.' },
);

const browserOnly = 'sim/ and ui/ run in the browser: no Node built-ins.';
const noNodeBuiltins = {
  paths: ['fs', 'path', 'os', 'crypto', 'child_process', 'net', 'tls', 'http', 'https', 'readline', 'stream'].map((name) => ({ name, message: browserOnly })),
  patterns: [{ group: ['node:*'], message: browserOnly }],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.js', '.mjs'] } } },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['sim/**/*.ts', 'ui/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', noNodeBuiltins] },
  },
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
