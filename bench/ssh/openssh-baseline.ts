/**
 * The same fan-out as an administrator scripts it: one OpenSSH `ssh` per host with key auth,
 * a fresh connection each time (a one-shot script has no ControlMaster), 32 at a time like
 * `xargs -P 32`.
 */
import { spawn } from 'node:child_process';
import { MemorySampler, percentile, type RunFigures, runBounded } from './measure';
import { type SimulatedHostEntry } from './simulator-process';

export const BASELINE_PARALLEL = 32;

/** OpenSSH client options of every baseline: no config file, no host-key prompt, no password prompt. */
export const OPENSSH_UNATTENDED_OPTIONS: readonly string[] = [
  '-F',
  '/dev/null',
  '-o',
  'StrictHostKeyChecking=no',
  '-o',
  'UserKnownHostsFile=/dev/null',
  '-o',
  'BatchMode=yes',
  '-o',
  'LogLevel=ERROR',
];

/** OpenSSH client options shared by the baselines' ssh and scp: unattended, no connection reuse. */
export const OPENSSH_BATCH_OPTIONS: readonly string[] = [
  ...OPENSSH_UNATTENDED_OPTIONS,
  '-o',
  'ControlMaster=no',
  '-o',
  'ControlPath=none',
];

export function sshArgs(
  host: SimulatedHostEntry,
  privateKeyFile: string,
  command = 'esxcli system version get',
): string[] {
  return [
    ...OPENSSH_BATCH_OPTIONS,
    '-i',
    privateKeyFile,
    '-p',
    String(host.port),
    '-o',
    'ConnectTimeout=30',
    `${host.username}@${host.address}`,
    command,
  ];
}

export async function runOpenSsh(hosts: readonly SimulatedHostEntry[], privateKeyFile: string): Promise<RunFigures> {
  const live = new Set<number>();
  const sampler = new MemorySampler(() => live);
  const run = await runBounded(
    hosts,
    BASELINE_PARALLEL,
    (h) =>
      new Promise<boolean>((resolve) => {
        const child = spawn('ssh', sshArgs(h, privateKeyFile), { stdio: ['ignore', 'pipe', 'pipe'] });
        const pid = child.pid;
        if (pid !== undefined) live.add(pid);
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
        child.stderr.resume();
        child.once('error', () => resolve(false));
        child.once('close', (code) => {
          if (pid !== undefined) live.delete(pid);
          resolve(code === 0 && /Product: VMware ESXi/.test(stdout));
        });
      }),
  );
  return {
    hosts: hosts.length,
    failures: run.failures,
    wallMs: run.wallMs,
    p50Ms: percentile(run.durations, 50),
    p99Ms: percentile(run.durations, 99),
    ...sampler.stop(),
  };
}
