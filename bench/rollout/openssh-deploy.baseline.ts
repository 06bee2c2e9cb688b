/**
 * The administrator's script: per host, `scp` the VIB, then one `ssh` per command — acceptance
 * level, `esxcli software vib install -v`, one `esxcli system settings advanced set` per UserVar,
 * `/etc/init.d/upsmon restart` — key auth, a fresh connection each time (no ControlMaster), 32
 * hosts at a time like `xargs -P 32`.
 */
import { spawn } from 'node:child_process';

import { type NutUserVars } from '../../libs/vib/src';
import { BASELINE_PARALLEL, OPENSSH_BATCH_OPTIONS, sshArgs } from '../ssh/openssh-baseline';
import { MemorySampler, percentile, type RunFigures, runBounded } from '../ssh/measure';
import { type SimulatedHostEntry } from '../ssh/simulator-process';
import { type BenchArtifact } from './rollout-fixture';

function run(command: string, args: string[], live: Set<number>): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const pid = child.pid;
    if (pid !== undefined) live.add(pid);
    child.stderr.resume();
    child.once('error', () => resolve(false));
    child.once('close', (code) => {
      if (pid !== undefined) live.delete(pid);
      resolve(code === 0);
    });
  });
}

/** The remote commands after the upload, in the order the admin's script runs them. */
export function adminCommands(remotePath: string, userVars: NutUserVars): string[] {
  const sets = Object.entries(userVars).map(([name, value]) =>
    typeof value === 'number'
      ? `esxcli system settings advanced set -o /UserVars/${name} -i ${value}`
      : `esxcli system settings advanced set -o /UserVars/${name} -s '${value}'`,
  );
  return [
    'esxcli software acceptance set --level=CommunitySupported',
    `esxcli software vib install -v ${remotePath} --no-sig-check`,
    ...sets,
    '/etc/init.d/upsmon restart',
  ];
}

export async function runOpenSshDeploy(
  hosts: readonly SimulatedHostEntry[],
  privateKeyFile: string,
  bench: BenchArtifact,
): Promise<RunFigures> {
  const live = new Set<number>();
  const sampler = new MemorySampler(() => live);
  const remotePath = `/tmp/${bench.artifact.fileName}`;
  const commands = adminCommands(remotePath, bench.userVars);
  const result = await runBounded(hosts, BASELINE_PARALLEL, async (h) => {
    const target = `${h.username}@${h.address}`;
    // The simulator's SFTP server closes the channel without an exit-status, so scp reports 1
    // after a complete transfer; the install below fails if the file is missing or damaged.
    await run(
      'scp',
      [
        ...OPENSSH_BATCH_OPTIONS,
        '-i',
        privateKeyFile,
        '-P',
        String(h.port),
        bench.artifact.localPath,
        `${target}:${remotePath}`,
      ],
      live,
    );
    for (const command of commands) {
      if (!(await run('ssh', sshArgs(h, privateKeyFile, command), live))) return false;
    }
    return true;
  });
  return {
    hosts: hosts.length,
    failures: result.failures,
    wallMs: result.wallMs,
    p50Ms: percentile(result.durations, 50),
    p99Ms: percentile(result.durations, 99),
    ...sampler.stop(),
  };
}
