#!/usr/bin/env node
/**
 * npm run bench:readiness -- --hosts 1000 [--interval 900] [--concurrency 32]
 *
 * One full fleet readiness pass over N simulated ESXi hosts (simulator in its own process, real
 * SSH): each host's SSH checks (the worker's probeHostReadiness: esxcli system version get, the
 * VIB list, /opt/nut/bin/upsc on the host, VM Tools, autostart) start at the host's slot in the
 * interval (the orchestrator's schedule, readinessSlotOffsetMs) and run through a bound of
 * `--concurrency` sessions at once (FLEET_READINESS_SSH_CONCURRENCY, at most 64).
 * Prints the pass duration, the most SSH sessions in use at once and this process's average CPU
 * (it does the worker's part of the work: SSH, parsing, judging; BullMQ and PostgreSQL aside).
 * `--interval` shortens the pass for a quicker run (the default is the production 900 s).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { EsxiHostPool } from '../libs/esxi/src';
import { readinessSlotOffsetMs, type ReadinessCheckResult } from '../libs/power/src';
import { type HostReadinessExpectations } from '../libs/queue/src';
import { probeHostReadiness } from '../apps/worker/src/readiness/host-readiness.probe';
import { intArg } from './common/cli-args';
import { MemorySampler, percentile } from './ssh/measure';
import { SimulatorProcess } from './ssh/simulator-process';

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const MAX_SESSIONS = 64;

async function main(): Promise<void> {
  const hostCount = intArg('hosts', 1000);
  const intervalMs = intArg('interval', 900) * 1000;
  const concurrency = Math.min(MAX_SESSIONS, intArg('concurrency', 32));
  const dir = mkdtempSync(join(tmpdir(), 'nutfleet-bench-readiness-'));
  let sim: SimulatorProcess | undefined;
  const pool = new EsxiHostPool({ connectTimeoutMs: 30_000, commandTimeoutMs: 30_000 });
  const cleanUp = async (): Promise<void> => {
    pool.closeAll();
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
    const privateKey = readFileSync(key);
    sim = await SimulatorProcess.start(hostCount, `${key}.pub`);
    console.log(`simulator: ${sim.hosts.length} ESXi hosts in a separate process (pid ${sim.pid})`);
    console.log(
      `pass: every host once in ${intervalMs / 1000} s at its own slot, at most ${concurrency} SSH sessions in use at once`,
    );

    const expectations = (hostId: string): HostReadinessExpectations => ({
      hostId,
      desiredUserVars: { NutUpsName: 'ups1@nut.lan:3493' },
      passwordExpected: false,
      upsTargets: ['ups1@nut.lan:3493'],
      guestShutdownVms: ['nutsrv', 'app01'],
      planPowersOnVms: true,
    });

    let inUse = 0;
    let maxInUse = 0;
    const waiting: (() => void)[] = [];
    const acquire = async (): Promise<void> => {
      if (inUse >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
      inUse++;
      maxInUse = Math.max(maxInUse, inUse);
    };
    const release = (): void => {
      inUse--;
      waiting.shift()?.();
    };

    const durations: number[] = [];
    const failing = new Map<string, number>();
    let errors = 0;
    const sampler = new MemorySampler();
    const cpuStart = process.cpuUsage();
    const started = Date.now();
    await Promise.all(
      sim.hosts.map(async (h, i) => {
        const id = `bench-host-${i}`;
        await new Promise((resolve) => setTimeout(resolve, readinessSlotOffsetMs(id, intervalMs)));
        await acquire();
        const t0 = Date.now();
        try {
          const host = pool.get({
            address: h.address,
            port: h.port,
            username: h.username,
            auth: { kind: 'privateKey', privateKey },
            fingerprint: h.fingerprint,
          });
          const results: ReadinessCheckResult[] = await probeHostReadiness(host, expectations(id), Date.now);
          for (const r of results) if (!r.ok) failing.set(r.code, (failing.get(r.code) ?? 0) + 1);
        } catch (error) {
          errors++;
          if (errors <= 3) console.log(`  ${h.address}:${h.port}: ${String(error)}`);
        } finally {
          durations.push(Date.now() - t0);
          release();
        }
      }),
    );
    const passMs = Date.now() - started;
    const cpu = process.cpuUsage(cpuStart);
    const memory = sampler.stop();
    durations.sort((a, b) => a - b);
    const cpuPercent = ((cpu.user + cpu.system) / 1000 / passMs) * 100;

    console.log('');
    console.log(`hosts checked: ${durations.length - errors} of ${hostCount} (${errors} session failures)`);
    console.log(
      `checks failing (expected: the simulated hosts run no NutClient): ${[...failing].map(([c, n]) => `${c} ${n}`).join(', ') || 'none'}`,
    );
    console.log(`per host: p50 ${percentile(durations, 50)} ms, p99 ${percentile(durations, 99)} ms`);
    console.log(`peak memory of the checking process: ${mib(memory.peakRssBytes)}`);
    console.log(`pooled (warm) connections kept open at the end: ${pool.openConnections}`);
    console.log(`readiness pass duration: ${(passMs / 1000).toFixed(1)} s`);
    console.log(`max concurrent SSH sessions: ${maxInUse}`);
    console.log(`worker average CPU: ${cpuPercent.toFixed(2)} % of one core`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
