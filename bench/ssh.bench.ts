#!/usr/bin/env node
/**
 * npm run bench:ssh -- --hosts 500 [--concurrency 32]
 *
 * Starts a simulated ESXi fleet in a separate process, then runs `esxcli system version get`
 * on every host twice: with nutfleet's client (EsxiHostPool) and with OpenSSH `ssh`, the way an
 * administrator's script does it. Prints hosts/s, p99 per host and peak memory of each, and
 * last `ssh fan-out ratio baseline/nutfleet: X` (baseline wall time / nutfleet wall time).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { intArg } from './common/cli-args';
import { describeRun } from './ssh/measure';
import { runNutfleet } from './ssh/nutfleet-run';
import { BASELINE_PARALLEL, runOpenSsh } from './ssh/openssh-baseline';
import { SimulatorProcess } from './ssh/simulator-process';

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function main(): Promise<void> {
  const hostCount = intArg('hosts', 500);
  const concurrency = intArg('concurrency', BASELINE_PARALLEL);
  const dir = mkdtempSync(join(tmpdir(), 'nutfleet-bench-ssh-'));
  let sim: SimulatorProcess | undefined;
  const cleanUp = async (): Promise<void> => {
    await sim?.stop();
    sim = undefined;
    rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (): void => void cleanUp().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const key = join(dir, 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'nutfleet-bench', '-f', key]);
    const started = Date.now();
    sim = await SimulatorProcess.start(hostCount, `${key}.pub`);
    const simMemory = sim.memory();
    console.log(
      `simulator: ${sim.hosts.length} ESXi hosts in a separate process (pid ${sim.pid}), ready in ${Date.now() - started} ms` +
        (simMemory ? `, RSS ${mib(simMemory.rss)}` : ''),
    );
    console.log(
      `work per host: connect, authenticate with an ed25519 key, run "esxcli system version get", check the answer`,
    );
    console.log('');

    const nutfleet = await runNutfleet(sim.hosts, key, concurrency);
    console.log(
      describeRun(`nutfleet (EsxiHostPool, host key pinned, TCP_NODELAY, ${concurrency} hosts in flight)`, nutfleet),
    );
    console.log('');
    const baseline = await runOpenSsh(sim.hosts, key);
    console.log(
      describeRun(
        `baseline (OpenSSH ssh per host, key auth, -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null ` +
          `-o BatchMode=yes, ControlMaster=no so a fresh connection per host, ${BASELINE_PARALLEL} in parallel like xargs -P ${BASELINE_PARALLEL})`,
        baseline,
      ),
    );
    console.log(
      '  (ssh run with -F /dev/null so no user config or multiplexing applies; both clients negotiate AES, the only ' +
        'ciphers the simulator offers, since its JS chacha20 would penalise ssh(1) for an artifact)',
    );
    console.log('');
    const after = sim.memory();
    if (after) console.log(`simulator after both runs: RSS ${mib(after.rss)}, peak RSS ${mib(after.peak)}`);
    if (nutfleet.failures > 0 || baseline.failures > 0)
      console.log(`WARNING: failures: nutfleet ${nutfleet.failures}, baseline ${baseline.failures}`);
    console.log(
      `concurrency caps: nutfleet ${concurrency}, baseline ${BASELINE_PARALLEL}; nutfleet ran first (the simulator was cold for it)`,
    );
    console.log(`ssh fan-out ratio baseline/nutfleet: ${(baseline.wallMs / nutfleet.wallMs).toFixed(2)}`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanUp();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
