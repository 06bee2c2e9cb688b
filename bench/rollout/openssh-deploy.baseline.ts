/**
 * The careful administrator's script, 32 hosts at a time like `xargs -P 32`: per host ONE SSH
 * connection (OpenSSH ControlMaster, key auth), over which it
 *   1. uploads the VIB with `scp`,
 *   2. verifies the upload: `sha256sum` on the host, compared with the local checksum,
 *   3. runs the whole sequence in one `ssh` session, `&&`-chained so the first failure stops it:
 *      acceptance level, `esxcli software vib install -v`, one `esxcli system settings advanced
 *      set` per UserVar, `/etc/init.d/upsmon restart`, then the verification nutfleet does —
 *      `esxcli software vib get`, the UserVars read back (`advanced list -t /UserVars`), the
 *      service status and `upsc` of each UPS — and removes the uploaded file,
 *   4. checks the read-back locally (VIB version, every UserVar's value) and closes the master.
 * The same checks as nutfleet's HostDeployer (upload verified, install, settings, restart,
 * verify), with no more connections and no more sessions than the job needs.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { type NutUserVars } from '../../libs/vib/src';
import { MemorySampler, percentile, type RunFigures, runBounded } from '../ssh/measure';
import { BASELINE_PARALLEL, OPENSSH_UNATTENDED_OPTIONS } from '../ssh/openssh-baseline';
import { type SimulatedHostEntry } from '../ssh/simulator-process';
import { type BenchArtifact } from './rollout-fixture';

export const BASELINE_DESCRIPTION =
  'OpenSSH, one connection per host (ControlMaster): scp upload, sha256sum compared locally, ' +
  'then one ssh session running install, settings, restart and the verification (vib get, UserVars read back, ' +
  `service status, upsc per UPS) &&-chained, read-back checked locally; ${BASELINE_PARALLEL} hosts in parallel`;

/** OpenSSH client options: no config, no prompts, and one multiplexed connection per host. */
function connectionOptions(controlPath: string): string[] {
  return [
    ...OPENSSH_UNATTENDED_OPTIONS,
    '-o',
    'ConnectTimeout=30',
    '-o',
    'ControlMaster=auto',
    '-o',
    `ControlPath=${controlPath}`,
    '-o',
    'ControlPersist=60',
  ];
}

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
}

/**
 * Runs an OpenSSH client. `capture`: its stdout is read to the end ('close'). Otherwise no pipe at
 * all and only its exit is awaited: the ControlMaster that the first client of a host forks to the
 * background inherits the client's stdio and would hold a pipe open for ControlPersist's 60 s.
 */
function run(command: string, args: string[], live: Set<number>, capture: boolean): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', capture ? 'pipe' : 'ignore', 'ignore'] });
    const pid = child.pid;
    if (pid !== undefined) live.add(pid);
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.once('error', () => resolve({ code: -1, stdout }));
    child.once(capture ? 'close' : 'exit', (code: number | null) => {
      if (pid !== undefined) live.delete(pid);
      resolve({ code, stdout });
    });
  });
}

/** The one remote sequence after the verified upload, as the admin's script sends it. */
export function adminSequence(remotePath: string, userVars: NutUserVars, vibName: string): string {
  const sets = Object.entries(userVars).map(([name, value]) =>
    typeof value === 'number'
      ? `esxcli system settings advanced set -o /UserVars/${name} -i ${value}`
      : `esxcli system settings advanced set -o /UserVars/${name} -s '${value}'`,
  );
  const upses = String(userVars.NutUpsName ?? '')
    .split(/[ ,]+/)
    .filter((u) => u !== '');
  return [
    'esxcli software acceptance set --level=CommunitySupported',
    `esxcli software vib install -v ${remotePath} --no-sig-check`,
    ...sets,
    '/etc/init.d/upsmon restart',
    `esxcli software vib get -n ${vibName}`,
    'esxcli system settings advanced list -t /UserVars',
    '/etc/init.d/upsmon status',
    ...upses.map((ups) => `/opt/nut/bin/upsc ${ups} ups.status`),
    `rm -f ${remotePath}`,
  ].join(' && ');
}

/** What the admin's script checks in the read-back: the version and every value it set. */
function readBackMatches(output: string, version: string, userVars: NutUserVars): boolean {
  if (!output.includes(`Version: ${version}`)) return false;
  return Object.entries(userVars).every(
    ([name, value]) => name === 'NutPassword' || output.includes(`Value: ${String(value)}`),
  );
}

export async function runOpenSshDeploy(
  hosts: readonly SimulatedHostEntry[],
  privateKeyFile: string,
  bench: BenchArtifact,
  socketDir: string,
): Promise<RunFigures & { firstError?: string }> {
  const live = new Set<number>();
  const sampler = new MemorySampler(() => live);
  const remotePath = `/tmp/${bench.artifact.fileName}`;
  const sequence = adminSequence(remotePath, bench.userVars, bench.artifact.descriptor.name);
  let firstError: string | undefined;
  const fail = (host: SimulatedHostEntry, why: string): boolean => {
    firstError ??= `${host.id}: ${why}`;
    return false;
  };
  const result = await runBounded(hosts, BASELINE_PARALLEL, async (h) => {
    const target = `${h.username}@${h.address}`;
    const options = [...connectionOptions(join(socketDir, `cm-${h.port}`)), '-i', privateKeyFile];
    const ssh = (command: string): Promise<Ran> =>
      run('ssh', [...options, '-p', String(h.port), target, command], live, true);
    try {
      // The simulator's SFTP server closes the channel without an exit-status, so scp reports 1
      // after a complete transfer: the checksum below is what proves the upload.
      await run(
        'scp',
        [...options, '-P', String(h.port), bench.artifact.localPath, `${target}:${remotePath}`],
        live,
        false,
      );
      const sum = await ssh(`sha256sum ${remotePath}`);
      if (sum.stdout.split(/\s/)[0] !== bench.artifact.sha256)
        return fail(h, `upload checksum (ssh exit ${String(sum.code)}): ${sum.stdout.trim()}`);
      const done = await ssh(sequence);
      if (done.code !== 0) return fail(h, `sequence exit ${String(done.code)}`);
      if (!readBackMatches(done.stdout, bench.artifact.descriptor.version, bench.userVars))
        return fail(h, 'read-back differs');
      return true;
    } finally {
      await run('ssh', [...options, '-O', 'exit', '-p', String(h.port), target], live, false);
    }
  });
  return {
    hosts: hosts.length,
    failures: result.failures,
    wallMs: result.wallMs,
    p50Ms: percentile(result.durations, 50),
    p99Ms: percentile(result.durations, 99),
    ...sampler.stop(),
    ...(firstError ? { firstError } : {}),
  };
}
