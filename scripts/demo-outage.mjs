#!/usr/bin/env node
// `npm run demo:outage`: plays a whole outage against the demo (see
// libs/testing/src/demo/demo-outage.cli.ts). Prepares like `npm start` does first, so that it
// works on a fresh clone: dependencies, the same .env (created with the same defaults and key
// `npm start` would create, which the demo's `npm start` then reads), a build.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { build, ensureDependencies, prepareEnvFile, root } from './lib/prepare.mjs';

const PREFIX = '[demo:outage]';
ensureDependencies(PREFIX);
prepareEnvFile(PREFIX);
build(PREFIX);

const child = spawn(
  process.execPath,
  ['--enable-source-maps', join(root, 'dist/libs/testing/src/demo/demo-outage.cli.js')],
  { cwd: root, stdio: 'inherit', env: process.env },
);
// Ctrl-C reaches the CLI too (same process group): exit with it rather than before it. A SIGTERM
// sent to this process alone is passed on.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
