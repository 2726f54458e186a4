// Lint is where the architecture is enforced: import zones keep the engine's layers pointing one way
// (DESIGN.md "Imports go one way"), and sim/ may not reach for ambient time, randomness or timers.
// Zones use ESLint's own no-restricted-imports with path patterns (relative imports name their folder),
// so no module resolver is needed.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

import { dirname, relative, resolve, sep } from 'node:path';

// Layers of sim/, lowest first. A layer may import only from layers before it (and itself).
const layers = [['core'], ['pki'], ['spiffe'], ['kube', 'net'], ['openshift'], ['spire', 'envoy'], ['istiod'], ['cli'], ['world'], ['scenario'], ['driver.ts'], ['index.ts']];
const rank = new Map(layers.flatMap((layer, i) => layer.map((name) => [name, i])));
// SPIRE and the mesh meet only through sim/spiffe interfaces, wired in sim/world (DESIGN.md).
const extraBans = { istiod: ['spire'] };

const browserOnly = 'sim/ and ui/ run in the browser: no Node built-ins.';
const nodeBuiltins = {
  paths: ['fs', 'path', 'os', 'crypto', 'child_process', 'net', 'tls', 'http', 'https', 'readline', 'stream'].map((name) => ({ name, message: browserOnly })),
  patterns: [{ group: ['node:*'], message: browserOnly }],
};

/** The part of the repository a file lives in: `sim/<layer>`, `ui`, `server`, … */
function areaOf(file, root) {
  const parts = relative(root, file).split(sep);
  if (parts[0] === 'sim') return { top: 'sim', layer: parts.length > 2 ? parts[1] : parts[1] };
  return { top: parts[0] };
}

// Resolves every relative import against the importing file and checks the layer rules (DESIGN.md
// "Imports go one way"): no module resolver is needed because relative imports name their file.
const layersRule = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const root = context.cwd;
    const from = areaOf(context.filename, root);
    return {
      ImportDeclaration(node) {
        const spec = node.source.value;
        if (typeof spec !== 'string' || !spec.startsWith('.')) return;
        const to = areaOf(resolve(dirname(context.filename), spec), root);
        const report = (message) => context.report({ node, message });
        if (from.top === 'sim') {
          if (to.top !== 'sim') return report(`sim/ never imports ${to.top}/: the engine has no dependency outside sim/ (DESIGN.md).`);
          const a = rank.get(from.layer);
          const b = rank.get(to.layer);
          if (a === undefined || b === undefined || from.layer === to.layer) return;
          if (b > a || (b === a && from.layer !== to.layer) || extraBans[from.layer]?.includes(to.layer))
            report(`sim/${from.layer} may not import sim/${to.layer}: imports go one way (DESIGN.md).`);
        } else if (from.top === 'ui' && to.top === 'server') report('The UI talks to the server only through the Driver seam.');
      },
    };
  },
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { fedlab: { rules: { layers: layersRule } } },
    rules: {
      'fedlab/layers': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['sim/**/*.ts', 'ui/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', nodeBuiltins] },
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
