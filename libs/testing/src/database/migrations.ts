import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..', '..', '..');
const MIGRATIONS_DIR = join(REPO_ROOT, 'prisma', 'migrations');

/** The committed migrations in the order Prisma applies them (folder name order). */
export function migrationFiles(): { name: string; sql: string }[] {
  return readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(MIGRATIONS_DIR, name, 'migration.sql'), 'utf8') }));
}

/** Changes whenever a migration is added or edited: names the template database built from them. */
export function migrationsFingerprint(): string {
  const hash = createHash('sha256');
  for (const m of migrationFiles()) hash.update(m.name).update('\0').update(m.sql).update('\0');
  return hash.digest('hex').slice(0, 12);
}

export interface PrismaCliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the Prisma CLI of this repository (offline WebAssembly engine, see prisma.config.ts). */
export function runPrismaCli(args: readonly string[], databaseUrl: string): Promise<PrismaCliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'node_modules/prisma/build/index.js'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
