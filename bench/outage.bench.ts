#!/usr/bin/env node
/**
 * npm run bench:outage -- --hosts 1000 [--workers 1] [--upsmon-runs 10] [--cpu-prof-dir DIR] [--logs-dir DIR]
 *
 * How fast the first shutdown command reaches every host once the UPS says OB LB.
 *
 * nutfleet: N simulated ESXi hosts (the simulator in its own process, streaming its command log),
 * one UPS on a real upsd + dummy-ups (pollinterval 1 s), a fresh PostgreSQL database with the
 * hosts (trusted fingerprints from the simulator's output, one feed each, one stage, a policy
 * that shuts down on LB), the orchestrator and `--workers` worker processes (default 1) with
 * default settings.
 * The inventory is discovered through the API first (facts: VMs, autostart), and the worker's
 * session warm-up (HOST_SESSION_WARM_INTERVAL_MS) has an SSH session open to every host, as it
 * would in production. Then the dummy-ups data file is changed to OB LB, and the latency per host
 * runs from the moment upsd first serves OB LB (see outage/status-served-watch.ts: the issue's
 * "moment the UPS turns OB LB at the NUT server"; dummy-ups' own 0–1 s pickup of the file is
 * shown separately) to the first state-changing command in the simulator's log (VM guest
 * shutdown / suspend / power off, or the host's poweroff).
 *
 * upsmon: the same UPS watched by stock upsmon configured like the VIB, run after nutfleet's
 * part (see bench/outage/upsmon-baseline.ts for the set-up and why it is the fair comparison).
 *
 * Prints the breakdown of nutfleet's reaction (detection, plan, steps started, commands) and
 * ends with `outage reaction p99 ratio upsmon/nutfleet: X`. Everything it starts is stopped and
 * removed at the end, also on failure or Ctrl-C.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

import { envSchema } from '@nutfleet/config';
import { AUTOMATIC_PLAN_CREATOR, PlanStore } from '@nutfleet/plan';
import { PLAN_STEPS_PER_JOB } from '@nutfleet/queue';
import { createTestRedisPrefix, type TestRedisPrefix, waitFor } from '@nutfleet/testing';

import { cpuProfileNodeArgs, intArg, logsDirOption } from './common/cli-args';
import { distribution, formatDistribution, SHUTDOWN_COMMAND } from './outage/command-log';
import { type Cleanups, OUTAGE_UPS, startOutageStage, stopProcess } from './outage/outage-stage';
import { watchStatusServed } from './outage/status-served-watch';
import { runUpsmonBaseline, UPSMON_DESCRIPTION } from './outage/upsmon-baseline';

const UPS = OUTAGE_UPS;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const secs = (ms: number | undefined): string => (ms === undefined ? '?' : `${(ms / 1000).toFixed(2)} s`);

/** user + system CPU seconds of each process so far (Linux /proc, 100 ticks per second). */
function cpuSeconds(pids: ReadonlyArray<number | undefined>): number[] {
  return pids.map((pid) => {
    try {
      const fields =
        readFileSync(`/proc/${pid ?? -1}/stat`, 'utf8')
          .split(') ')[1]
          ?.split(' ') ?? [];
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return Number.NaN;
    }
  });
}

/**
 * PLAN_STEP_CONCURRENCY as .env.example sizes it: every host's first step needs a slot at once,
 * so at least the hosts over the workers (in whole jobs); the default where that is enough.
 */
function planStepSlots(hosts: number, workers: number): { env: Record<string, string>; said: string } {
  const defaultSlots = envSchema.shape.PLAN_STEP_CONCURRENCY.parse(undefined);
  const needed = Math.ceil(hosts / workers / PLAN_STEPS_PER_JOB) * PLAN_STEPS_PER_JOB;
  if (needed <= defaultSlots)
    return { env: {}, said: `settings: defaults (PLAN_STEP_CONCURRENCY ${defaultSlots} ≥ ${needed} hosts per worker)` };
  return {
    env: { PLAN_STEP_CONCURRENCY: String(needed) },
    said: `settings: defaults but PLAN_STEP_CONCURRENCY=${needed} (${hosts} hosts over ${workers} worker(s): every host's first step gets a slot at once, as .env.example sizes it; the default is ${defaultSlots})`,
  };
}

async function main(): Promise<void> {
  const hostCount = intArg('hosts', 1000);
  const upsmonRuns = intArg('upsmon-runs', 10);
  const workerCount = intArg('workers', 1);
  const stepSlots = planStepSlots(hostCount, workerCount);
  console.log(stepSlots.said);
  const cleanups: Cleanups = [];
  const cleanup = async (): Promise<void> => {
    for (const fn of cleanups.reverse())
      await Promise.resolve()
        .then(fn)
        .catch((error: unknown) => console.error(`cleanup: ${String(error)}`));
    cleanups.length = 0;
  };
  const onSignal = (): void => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const redis: TestRedisPrefix = createTestRedisPrefix();
    cleanups.push(() => redis.cleanup());
    // --cpu-prof-dir DIR: where the time goes, a CPU profile of each app.
    const stage = await startOutageStage(
      {
        hostCount,
        orchestrators: 1,
        workers: workerCount,
        redisEnv: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.prefix },
        appEnv: stepSlots.env,
        nodeArgs: cpuProfileNodeArgs(),
        ...logsDirOption('outage'),
      },
      cleanups,
    );
    const { sim, bed, db, fleet, log, workers } = stage;
    const orchestrator = stage.orchestrators[0];
    if (orchestrator === undefined) throw new Error('no orchestrator started');
    const productPids = [orchestrator.child.pid, ...workers.map((w) => w.child.pid)];
    await sleep(2000);

    // The flip.
    const watch = await watchStatusServed(bed, UPS, (status) => status.split(' ').includes('LB'));
    cleanups.push(() => watch.stop());
    // Other processes (tests, other benches) may share the machine: the load says how much.
    const loadBefore = loadavg();
    const cpuBefore = cpuSeconds([sim.pid, ...productPids]);
    const fileChangedAt = Date.now();
    bed.setStatus(UPS, 'OB LB');
    const changedAt = await watch.servedAt;
    let first = new Map<string, number>();
    await waitFor(
      'a first shutdown command on every host',
      () => {
        log.refresh();
        first = log.firstMatching(SHUTDOWN_COMMAND, fileChangedAt);
        return Promise.resolve(first.size >= hostCount);
      },
      120_000,
      200,
    ).catch((error: unknown) => console.log(`WARNING: ${String(error)} (${first.size}/${hostCount})`));
    const cpuAfter = cpuSeconds([sim.pid, ...productPids]);
    const window = (Date.now() - changedAt) / 1000;
    const latencies = [...first.values()].map((at) => at - changedAt);
    const ours = distribution(latencies);
    const oursFromFile = distribution([...first.values()].map((at) => at - fileChangedAt));

    // Where the time went, from what nutfleet recorded.
    const event = await db.prisma.powerEvent.findFirst({
      where: { upsId: fleet.upsId, type: 'STATUS_CHANGE', status: { contains: 'LB' } },
      orderBy: { id: 'asc' },
    });
    const plans = new PlanStore(db.prisma);
    const plan = await plans.reads.firstCreatedSince('SHUTDOWN', new Date(0), AUTOMATIC_PLAN_CREATOR);
    const steps = plan ? ((await plans.reads.withSteps(plan.id))?.steps ?? []) : [];
    const firstStart = new Map<string, number>();
    for (const s of steps) {
      if (s.hostId === null || s.startedAt === null) continue;
      const at = s.startedAt.getTime();
      if (at < (firstStart.get(s.hostId) ?? Number.POSITIVE_INFINITY)) firstStart.set(s.hostId, at);
    }
    const stepStarts = distribution([...firstStart.values()].map((at) => at - changedAt));
    console.log('');
    console.log(
      `nutfleet reaction, from the moment upsd served OB LB (${secs(changedAt - fileChangedAt)} after the dummy-ups data file changed):`,
    );
    console.log(
      `  detected (PowerEvent STATUS_CHANGE received)      ${secs(event ? event.receivedAt.getTime() - changedAt : undefined)}`,
    );
    console.log(
      `  plan created (${steps.length} steps)                   ${secs(plan ? plan.createdAt.getTime() - changedAt : undefined)}`,
    );
    console.log(
      `  plan started by the worker                        ${secs(plan?.startedAt ? plan.startedAt.getTime() - changedAt : undefined)}`,
    );
    console.log(`  first step of each host running (worker)          ${formatDistribution(stepStarts)}`);
    console.log(`  first shutdown command received by each host     ${formatDistribution(ours)}`);
    console.log(`  the same, from the data file change              ${formatDistribution(oursFromFile)}`);
    const [simCpu = Number.NaN, orchCpu = Number.NaN, ...workerCpus] = cpuAfter.map(
      (after, i) => after - (cpuBefore[i] ?? 0),
    );
    const productCpu = orchCpu + workerCpus.reduce((sum, cpu) => sum + cpu, 0);
    console.log(
      `  CPU seconds used in those ${window.toFixed(1)} s: simulator ${simCpu.toFixed(1)}, orchestrator ${orchCpu.toFixed(1)}, ${workerCpus.length} worker(s) ${workerCpus.map((cpu) => cpu.toFixed(1)).join(' + ')} (machine: ${cpus().length} cores, shared)`,
    );
    console.log(
      `  CPU per host: simulator ${((simCpu / hostCount) * 1000).toFixed(2)} ms, product (orchestrator + workers) ${((productCpu / hostCount) * 1000).toFixed(2)} ms`,
    );
    console.log(
      `  machine load average (1/5/15 min) at the change: ${loadBefore.map((l) => l.toFixed(2)).join(' / ')}, after: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' / ')}`,
    );
    const planLog = /outage: \d+ critical host\(s\) planned[^\n"]*/.exec(orchestrator.output())?.[0];
    if (planLog !== undefined) console.log(`  orchestrator: ${planLog}`);
    if (ours.n < hostCount) console.log(`  MISSED: ${hostCount - ours.n} host(s) got no shutdown command`);

    await Promise.all(workers.map((worker) => stopProcess(worker)));
    await stopProcess(orchestrator);
    await sim.stop();

    console.log('');
    console.log(`upsmon baseline (${upsmonRuns} runs, one at a time): ${UPSMON_DESCRIPTION}`);
    bed.setStatus(UPS, 'OL');
    await bed.waitForVariable(UPS, 'ups.status', 'OL', 15_000);
    const runs = await runUpsmonBaseline(bed, UPS, upsmonRuns, (line) => console.log(line));
    const theirs = distribution(runs.map((r) => r.reactionMs));
    const theirsFromFile = distribution(runs.map((r) => r.fromFileChangeMs));
    console.log('');
    console.log(`latency from the data file change (includes dummy-ups' 0–1 s pickup):`);
    console.log(`nutfleet (${hostCount} hosts)  ${formatDistribution(oursFromFile)}`);
    console.log(`upsmon   (${upsmonRuns} runs)     ${formatDistribution(theirsFromFile)}`);
    console.log(`latency = upsd serves OB LB -> first shutdown command (the issue's measure):`);
    console.log(
      `nutfleet (${hostCount} hosts, orchestrator + ${workerCount} worker(s), ${stepSlots.env.PLAN_STEP_CONCURRENCY === undefined ? 'defaults' : `PLAN_STEP_CONCURRENCY ${stepSlots.env.PLAN_STEP_CONCURRENCY}`})  ${formatDistribution(ours)}`,
    );
    console.log(`upsmon   (${upsmonRuns} runs, SHUTDOWNCMD timestamp)             ${formatDistribution(theirs)}`);
    // The issue's targets: 1,000 hosts under 1 s; 5,000 hosts on two workers under 4 s.
    const targetMs = hostCount <= 1000 ? 1000 : 4000;
    console.log(
      `nutfleet p99 target < ${targetMs / 1000} s for ${hostCount} hosts: ${ours.p99 < targetMs && ours.n === hostCount ? 'met' : 'NOT met'}`,
    );
    await cleanup();
    console.log(`outage reaction p99 ratio upsmon/nutfleet: ${(theirs.p99 / ours.p99).toFixed(2)}`);
  } catch (error) {
    await cleanup();
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

main().catch((error: unknown) => {
  console.error(`bench:outage failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
