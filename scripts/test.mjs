#!/usr/bin/env node
// One test runner for the whole repository: compile once with tsc (Nest needs decorator
// metadata, which only tsc emits faithfully), then hand every compiled *.spec.js to node's
// own test runner, whose summary lines end the output.
//
//   npm test                      all tests
//   npm test -- libs/nut          only spec files under that path
//   TEST_CONCURRENCY=1 npm test   run files one at a time
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

import { build, ensureDependencies, root } from './lib/prepare.mjs';

const PREFIX = 'test:';
const filters = process.argv.slice(2);

// A fresh clone has no node_modules yet: the build below needs TypeScript.
ensureDependencies(PREFIX);

// The tests drive real peers. On a fresh Debian machine, install what is missing (as root), or
// say exactly what to install.
const REQUIRED = [
  ['/lib/nut/upsd', 'nut-server'],
  ['/lib/nut/dummy-ups', 'nut-server'],
  ['/sbin/upsmon', 'nut-client'],
  ['/usr/sbin/sshd', 'openssh-server'],
  ['/usr/bin/ssh', 'openssh-client'],
  ['/usr/bin/certutil', 'libnss3-tools'],
  ['/usr/bin/pg_dump', 'postgresql-client'],
  ['/usr/bin/redis-server', 'redis-server'],
  // The dashboard's browser tests (playwright-core drives Debian's chromium).
  ['/usr/bin/chromium', 'chromium'],
];
const missing = [...new Set(REQUIRED.filter(([path]) => !existsSync(path)).map(([, pkg]) => pkg))];
if (missing.length > 0) {
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    console.error(`test: missing system packages the tests need: apt-get install ${missing.join(' ')}`);
    process.exit(1);
  }
  console.log(`test: installing ${missing.join(' ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', ...missing],
  ]) {
    if (spawnSync('apt-get', args, { stdio: 'inherit', env }).status !== 0) {
      console.error(`test: apt-get ${args[0]} failed; install them by hand: apt-get install ${missing.join(' ')}`);
      process.exit(1);
    }
  }
}

// With filters that name projects (libs/nut, apps/worker), build only those: quicker while
// working on one part, and unaffected by unfinished work elsewhere in the tree.
const projects = filters
  .map((f) => f.replace(/^\.\//, '').replace(/\/$/, ''))
  .filter((f) => /^(apps|libs)\/[^/]+$/.test(f) && existsSync(join(root, f, 'tsconfig.json')));
const buildTargets =
  filters.length > 0 && projects.length === filters.length
    ? projects.map((p) => `${p}/tsconfig.json`)
    : ['tsconfig.build.json'];
build(PREFIX, buildTargets, 'the TypeScript build (no test was run)');

function findSpecs(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findSpecs(path));
    else if (entry.name.endsWith('.spec.js')) found.push(path);
  }
  return found;
}

const dist = join(root, 'dist');
const specs = ['apps', 'libs', 'prisma', 'bench']
  .map((d) => join(dist, d))
  .filter((d) => existsSync(d))
  .flatMap(findSpecs)
  // A spec whose source was deleted still lingers in dist/: skip it.
  .filter((file) => existsSync(join(root, relative(dist, file)).replace(/\.js$/, '.ts')))
  .filter(
    (file) => filters.length === 0 || filters.some((f) => relative(dist, file).startsWith(f.replace(/^\.\//, ''))),
  )
  .sort();

if (specs.length === 0) {
  console.error(`test: no spec file matched ${filters.join(' ') || '(all)'}`);
  process.exit(1);
}

const concurrency = process.env.TEST_CONCURRENCY ?? '3';
const run = spawnSync(
  process.execPath,
  // A test that hangs fails after 10 minutes instead of holding the whole run (and CI) hostage.
  [
    '--enable-source-maps',
    '--test',
    '--test-reporter=spec',
    `--test-concurrency=${concurrency}`,
    '--test-timeout=600000',
    ...specs,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(run.status ?? 1);
