// What every entry point (npm start, npm test, npm run demo:outage) needs between a fresh clone
// and running code: the dependencies, a configuration, a build. Each step does nothing when its
// work is already done, so the scripts can call them unconditionally.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root directory. */
export const root = fileURLToPath(new URL('../..', import.meta.url));

/** Exits with `line` on stderr (prefixed like the caller's other lines). */
function failWith(prefix, line) {
  process.stderr.write(`${prefix} ${line}\n`);
  process.exit(1);
}

/** Runs a command in the repository with the caller's output; exits naming `what` when it fails. */
export function run(prefix, command, args, what) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (result.status !== 0) failWith(prefix, `${what} failed (exit ${result.status ?? result.signal})`);
}

/** `npm ci` when node_modules has not been installed yet (a fresh clone). */
export function ensureDependencies(prefix) {
  if (existsSync(join(root, 'node_modules', '.package-lock.json'))) return;
  process.stdout.write(`${prefix} installing dependencies (npm ci)...\n`);
  run(prefix, 'npm', ['ci', '--no-audit', '--no-fund'], 'npm ci');
}

/**
 * Without a .env (and without a secret key in the environment), creates one from .env.example
 * with a freshly generated NUTFLEET_SECRET_KEY; then loads .env into process.env, where variables
 * already set in the environment win. Every entry point that reads the configuration goes through
 * here, so all of them see the same defaults and the same key.
 */
export function prepareEnvFile(prefix) {
  const envFile = join(root, '.env');
  if (!existsSync(envFile) && !process.env.NUTFLEET_SECRET_KEY) {
    copyFileSync(join(root, '.env.example'), envFile);
    const key = randomBytes(32).toString('hex');
    writeFileSync(
      envFile,
      readFileSync(envFile, 'utf8').replace(/^NUTFLEET_SECRET_KEY=.*$/m, `NUTFLEET_SECRET_KEY=${key}`),
      { mode: 0o600 },
    );
    process.stdout.write(
      `${prefix} created .env from .env.example with a new NUTFLEET_SECRET_KEY: keep that key, stored credentials need it\n`,
    );
  }
  if (existsSync(envFile)) process.loadEnvFile(envFile);
}

/** `tsc -b` of the given project files (the whole tree by default); exits when it fails. */
export function build(prefix, targets = ['tsconfig.build.json'], what = 'the TypeScript build') {
  run(prefix, process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b', ...targets], what);
}
