import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { REPO_ROOT } from '@nutfleet/testing';

/**
 * The repository as a fresh clone of the current work would have it: every file git tracks or
 * would add (uncommitted edits included), nothing it ignores — no node_modules, no dist, no .env.
 * Copied rather than cloned so that a test checks the code under test, committed or not.
 */
export function copyWorkingTree(): string {
  const target = mkdtempSync(join(tmpdir(), 'nutfleet-fresh-clone-'));
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const file of new Set(listed.split('\0').filter(Boolean))) {
    const from = join(REPO_ROOT, file);
    if (!existsSync(from)) continue; // deleted, not yet committed
    const to = join(target, file);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
  }
  return target;
}
