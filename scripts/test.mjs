#!/usr/bin/env node
// One test runner for the whole repository: compile once with tsc (Nest needs decorator
// metadata, which only tsc emits faithfully), then hand every compiled *.spec.js (and the
// scripts' own *.spec.mjs) to node's own test runner, whose summary lines end the output.
//
//   npm test                       all tests (the README's and CI's command)
//   npm test -- --unit             only unit specs: no database, Redis, root, system packages
//   npm test -- libs/nut           only spec files under that path (several paths may be given)
//   npm test -- --unit libs/nut    both
//   TEST_CONCURRENCY=1 npm test    run files one at a time
//
// A spec's tier is in its file name (scripts/lib/test-tiers.mjs): *.e2e.spec.ts,
// *.integration.spec.ts, and plain *.spec.ts for unit specs, which are checked before they run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

import { build, ensureDependencies, root } from './lib/prepare.mjs';
import { testTierOf, unitSpecViolations } from './lib/test-tiers.mjs';

const PREFIX = 'test:';
const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const unknownOption = args.find((a) => a.startsWith('-') && a !== '--unit');
if (unknownOption) {
  console.error(`${PREFIX} unknown option ${unknownOption} (options: --unit; other arguments are paths)`);
  process.exit(1);
}
const filters = args.filter((a) => !a.startsWith('-')).map((f) => f.replace(/^\.\//, '').replace(/\/$/, ''));
const matchesFilters = (path) =>
  filters.length === 0 || filters.some((f) => path.startsWith(f) || path.startsWith(f.replace(/\.ts$/, '.js')));

// A fresh clone has no node_modules yet: the build below needs TypeScript.
ensureDependencies(PREFIX);

// With filters that name projects (libs/nut, apps/worker), build only those: quicker while
// working on one part, and unaffected by unfinished work elsewhere in the tree. The scripts'
// specs need no build.
const projects = filters.filter((f) => /^(apps|libs)\/[^/]+$/.test(f) && existsSync(join(root, f, 'tsconfig.json')));
const scriptsOnly = filters.length > 0 && filters.every((f) => f === 'scripts' || f.startsWith('scripts/'));
if (!scriptsOnly) {
  const buildTargets =
    filters.length > 0 && projects.length === filters.length
      ? projects.map((p) => `${p}/tsconfig.json`)
      : ['tsconfig.build.json'];
  build(PREFIX, buildTargets, 'the TypeScript build (no test was run)');
}

function findSpecs(dir, suffix) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findSpecs(path, suffix));
    else if (entry.name.endsWith(suffix)) found.push(path);
  }
  return found;
}

const dist = join(root, 'dist');
const compiled = ['apps', 'libs', 'prisma', 'bench']
  .map((d) => join(dist, d))
  .filter((d) => existsSync(d))
  .flatMap((d) => findSpecs(d, '.spec.js'))
  // A spec whose source was deleted still lingers in dist/: skip it.
  .filter((file) => existsSync(join(root, relative(dist, file)).replace(/\.js$/, '.ts')))
  .filter((file) => matchesFilters(relative(dist, file)));
const scripts = findSpecs(join(root, 'scripts'), '.spec.mjs').filter((file) => matchesFilters(relative(root, file)));
const specs = [...compiled, ...scripts].filter((file) => !unitOnly || testTierOf(file) === 'unit').sort();

if (specs.length === 0) {
  console.error(`${PREFIX} no ${unitOnly ? 'unit ' : ''}spec file matched ${filters.join(' ') || '(all)'}`);
  process.exit(1);
}

// A unit spec that reached for a database, Redis, a process or a browser would make the unit
// tier need them too: refuse to run rather than let the tiers drift apart.
const sourceOf = (file) => (file.startsWith(dist) ? join(root, relative(dist, file)).replace(/\.js$/, '.ts') : file);
const violations = unitSpecViolations(root, specs.filter((file) => testTierOf(file) === 'unit').map(sourceOf));
if (violations.length > 0) {
  console.error(`${PREFIX} these unit specs (plain *.spec.ts) reach outside the test process:`);
  for (const v of violations)
    console.error(`  ${v.spec}${v.at === v.spec ? '' : ` → ${v.at}`}:${v.line}: ${v.problem}`);
  console.error(
    `${PREFIX} rename such a spec *.integration.spec.ts (real PostgreSQL, Redis, upsd, sshd, simulators, processes) or *.e2e.spec.ts (whole apps, a browser), or give it fakes instead`,
  );
  process.exit(1);
}

// Integration and e2e specs drive real peers. On a fresh Debian machine, install what is
// missing (as root), or say exactly what to install. Unit specs need none of it.
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
if (specs.some((file) => testTierOf(file) !== 'unit')) ensureSystemPackages();

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

function ensureSystemPackages() {
  const missing = [...new Set(REQUIRED.filter(([path]) => !existsSync(path)).map(([, pkg]) => pkg))];
  if (missing.length > 0) {
    const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
    if (!canInstall) {
      console.error(`${PREFIX} missing system packages the tests need: apt-get install ${missing.join(' ')}`);
      process.exit(1);
    }
    console.log(`${PREFIX} installing ${missing.join(' ')} (apt-get)`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    for (const args of [
      ['update', '-qq'],
      ['install', '-y', '-qq', '--no-install-recommends', ...missing],
    ]) {
      if (spawnSync('apt-get', args, { stdio: 'inherit', env }).status !== 0) {
        console.error(
          `${PREFIX} apt-get ${args[0]} failed; install them by hand: apt-get install ${missing.join(' ')}`,
        );
        process.exit(1);
      }
    }
  }
}
