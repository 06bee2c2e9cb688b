#!/usr/bin/env node
/**
 * npm run bench:rollout -- --hosts 500 [--concurrency 32] [--rounds 3]
 *
 * Deploys an ~800 KB NutClient VIB with its full configuration (nine UserVars) to N simulated
 * ESXi hosts (simulator in its own process, real SSH), in rounds of two runs on fresh fleets:
 *   1. nutfleet: the worker's deploy path (HostDeployer over pooled key-authenticated SSH, the
 *      same engine the rollout.deploy-host job runs; journal in memory, no BullMQ/PostgreSQL),
 *   2. the careful administrator's script: one OpenSSH connection per host (ControlMaster), scp,
 *      the upload's sha256 compared, then one ssh session running install, settings, restart and
 *      the same verification, 32 in parallel (bench/rollout/openssh-deploy.baseline.ts).
 * Prints hosts/s, p99 per host and peak memory of each run, and last
 * `rollout ratio baseline/nutfleet: X`: the median baseline wall time over the median nutfleet
 * wall time. The runs alternate, so a machine that slows for a few seconds (a shared VM does)
 * weighs on one run of one side, not on the figure.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

import { intArg } from './common/cli-args';
import { processCpuSeconds } from './common/process-cpu';
import { describeRun } from './ssh/measure';
import { BASELINE_PARALLEL } from './ssh/openssh-baseline';
import { SimulatorProcess } from './ssh/simulator-process';
import { runNutfleetDeploy } from './rollout/nutfleet-deploy.run';
import { BASELINE_DESCRIPTION, runOpenSshDeploy } from './rollout/openssh-deploy.baseline';
import { buildBenchArtifact } from './rollout/rollout-fixture';

const cpuPerHost = (seconds: number, hosts: number): string =>
  `${seconds.toFixed(1)} s (${((seconds / hosts) * 1000).toFixed(1)} ms per host)`;
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

async function main(): Promise<void> {
  const hostCount = intArg('hosts', 500);
  const concurrency = intArg('concurrency', BASELINE_PARALLEL);
  const rounds = intArg('rounds', 3);
  const dir = mkdtempSync(join(tmpdir(), 'nutfleet-bench-rollout-'));
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
    const bench = await buildBenchArtifact(dir);
    console.log(
      `artifact: ${bench.artifact.fileName}, ${(bench.sizeBytes / 1024).toFixed(0)} KiB, ${Object.keys(bench.userVars).length} UserVars`,
    );
    console.log(`admin script: ${BASELINE_DESCRIPTION}`);
    console.log(
      `nutfleet per host: one pooled SSH connection, HostDeployer (preflight, upload + sha256 check, install, configure, restart, verify with upsc, cleanup), ${concurrency} in parallel`,
    );
    console.log('');

    const nutfleetRuns: Awaited<ReturnType<typeof runNutfleetDeploy>>[] = [];
    const baselineRuns: Awaited<ReturnType<typeof runOpenSshDeploy>>[] = [];
    for (let round = 1; round <= rounds; round += 1) {
      console.log(`round ${round}/${rounds}`);
      // Where the CPU goes: the simulator's (the hosts' side) and this process's (nutfleet's client side).
      sim = await SimulatorProcess.start(hostCount, `${key}.pub`);
      const simBefore = processCpuSeconds(sim.pid) ?? 0;
      const selfBefore = process.cpuUsage();
      const nutfleet = await runNutfleetDeploy(sim.hosts, key, bench, concurrency);
      const simCpuNutfleet = (processCpuSeconds(sim.pid) ?? 0) - simBefore;
      const selfCpu = process.cpuUsage(selfBefore);
      await sim.stop();
      nutfleetRuns.push(nutfleet);
      console.log(
        describeRun('nutfleet (worker deploy path)', nutfleet).replace(
          'peak RSS of the bench process',
          'worker (deploy path) peak RSS',
        ),
      );
      console.log(
        `  CPU: simulator ${cpuPerHost(simCpuNutfleet, hostCount)}, nutfleet's client side ${cpuPerHost((selfCpu.user + selfCpu.system) / 1e6, hostCount)}`,
      );
      if (nutfleet.firstError) console.log(`  first error: ${nutfleet.firstError}`);

      sim = await SimulatorProcess.start(hostCount, `${key}.pub`);
      const simBeforeBaseline = processCpuSeconds(sim.pid) ?? 0;
      const baseline = await runOpenSshDeploy(sim.hosts, key, bench, dir);
      const simCpuBaseline = (processCpuSeconds(sim.pid) ?? 0) - simBeforeBaseline;
      await sim.stop();
      baselineRuns.push(baseline);
      console.log(
        describeRun(
          `baseline (OpenSSH, one ControlMaster connection per host, ${BASELINE_PARALLEL} in parallel)`,
          baseline,
        ),
      );
      console.log(`  CPU: simulator ${cpuPerHost(simCpuBaseline, hostCount)} (OpenSSH clients not counted)`);
      if (baseline.firstError) console.log(`  first error: ${baseline.firstError}`);
      console.log(`  this round's ratio: ${(baseline.wallMs / nutfleet.wallMs).toFixed(2)}`);
      console.log('');
    }
    const nutfleetWall = median(nutfleetRuns.map((r) => r.wallMs));
    const baselineWall = median(baselineRuns.map((r) => r.wallMs));
    const nutfleetFailures = nutfleetRuns.reduce((n, r) => n + r.failures, 0);
    const baselineFailures = baselineRuns.reduce((n, r) => n + r.failures, 0);
    console.log(
      `median wall time over ${rounds} round(s): nutfleet ${(nutfleetWall / 1000).toFixed(2)} s, baseline ${(baselineWall / 1000).toFixed(2)} s`,
    );
    console.log(`worker peak memory: ${mib(Math.max(...nutfleetRuns.map((r) => r.peakRssBytes)))} (target < 400 MiB)`);
    if (nutfleetFailures > 0 || baselineFailures > 0)
      console.log(`WARNING: failures nutfleet ${nutfleetFailures}, baseline ${baselineFailures}`);
    console.log(
      `load average (1, 5, 15 min): ${loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}`,
    );
    console.log(`rollout ratio baseline/nutfleet: ${(baselineWall / nutfleetWall).toFixed(2)}`);
  } finally {
    await cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
