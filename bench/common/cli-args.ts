/** Command-line options of the benches: `--name value` or `--name=value`. */
import { join } from 'node:path';

/** The option's text, or undefined when it is not given. */
export function stringArg(name: string): string | undefined {
  const args = process.argv.slice(2);
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at < 0) return undefined;
  return args[at]?.includes('=') ? args[at]?.split('=').slice(1).join('=') : args[at + 1];
}

/** A positive integer option; throws naming the option when it is anything else. */
export function intArg(name: string, fallback: number): number {
  const raw = stringArg(name);
  if (raw === undefined && !process.argv.slice(2).includes(`--${name}`)) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} needs a positive integer, got ${String(raw)}`);
  return value;
}

/**
 * `--cpu-prof-dir DIR`: node options that make an app started by the bench write a V8 CPU profile
 * there when it stops (`node scripts/cpu-profile-summary.mjs FILE --last N` reads it). Passed to
 * node itself: `--cpu-prof` is refused in NODE_OPTIONS.
 */
export function cpuProfileNodeArgs(): string[] {
  const dir = stringArg('cpu-prof-dir');
  return dir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`];
}

/** `--logs-dir DIR`: keep each app's output (orchestrator-N.log, worker-N.log) in DIR/`run`. */
export function logsDirOption(run: string): { logsDir?: string } {
  const dir = stringArg('logs-dir');
  return dir === undefined ? {} : { logsDir: join(dir, run) };
}
