#!/usr/bin/env node
// The `fedlab` command. TypeScript sources run through tsx's loader, so there is no build step.
import 'reflect-metadata';
import { register } from 'tsx/esm/api';

register();
// `fedlab run … | head` closes the pipe early: stop quietly, as command-line tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}
const { main } = await import('../server/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() });
