#!/usr/bin/env node
// The `fedlab` command. It runs from one JavaScript bundle of the TypeScript sources, kept in
// node_modules/.cache/fedlab and rebuilt when a source changed (bundleCache.mjs); FEDLAB_BUNDLE=0, or a
// bundle that cannot be built, runs the sources through tsx's loader instead. There is no build step.
import 'reflect-metadata';
import { pathToFileURL } from 'node:url';
import { cachedBundle } from './bundleCache.mjs';

// `fedlab run … | head` closes the pipe early: stop quietly, as command-line tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

async function loadMain() {
  const bundle = process.env.FEDLAB_BUNDLE === '0' ? undefined : cachedBundle({ entry: 'server/cli/main.ts', name: 'cli' });
  if (bundle) return import(pathToFileURL(bundle).href);
  const { register } = await import('tsx/esm/api');
  register();
  return import('../server/cli/main.ts');
}

const { main } = await loadMain();
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() });
