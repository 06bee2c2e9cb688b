#!/usr/bin/env node
/**
 * npm run bench:failover -- --hosts 1000 [--scenario kills|sentinel|both] [--timeout-s 900] [--settle-s 30] [--logs-dir DIR]
 *
 * Failover drills under a real outage: the stage of bench:outage (bench/outage/outage-stage.ts:
 * N simulated ESXi hosts over real SSH, upsd + dummy-ups, PostgreSQL, the fleet discovered and the
 * workers' SSH sessions warm) with TWO orchestrators and TWO workers, then the UPS turns OB LB.
 *
 *   kills:    at the moment upsd first serves OB LB, kill -9 of the orchestrator holding the power
 *             monitor's lease (PostgreSQL, fencing token) and of one worker. The other orchestrator
 *             takes the lease over when it runs out, the other worker picks up the steps.
 *   sentinel: the product finds Redis through a Sentinel (real redis-server master + replica and
 *             redis-sentinel on loopback, ThrowawaySentinelGroup); in the middle of the plan, once
 *             half the hosts got their first shutdown command, kill -9 of the master redis-server,
 *             and the Sentinel promotes the replica.
 *
 * Per scenario: the reaction per host from upsd serving OB LB to its first shutdown command
 * (p50/p99), the host poweroffs, and from the simulator's command log that every host received
 * its `poweroff` exactly once (waits for the plan to end, then `--settle-s` more for a late duplicate):
 * `failover: hosts powered off exactly once: N/N`. Everything it starts is removed at the end.
 */
import { loadavg } from 'node:os';

import { POWER_MONITOR_LEASE } from '@nutfleet/db';
import { PlanStore } from '@nutfleet/plan';
import {
  type AppProcess,
  createTestRedisPrefix,
  type TestRedisPrefix,
  ThrowawaySentinelGroup,
  waitFor,
} from '@nutfleet/testing';

import { intArg, logsDirOption, stringArg } from './common/cli-args';
import { distribution, formatDistribution, HOST_POWEROFF_COMMAND, SHUTDOWN_COMMAND } from './outage/command-log';
import { type Cleanups, OUTAGE_UPS, type OutageStage, startOutageStage } from './outage/outage-stage';
import { watchStatusServed } from './outage/status-served-watch';

type Scenario = 'kills' | 'sentinel';

/** Guest shutdowns in the simulator take 1/10 of their simulated time: the drill waits for whole plans. */
const SIM_MS_PER_SECOND = 100;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

interface DrillResult {
  readonly scenario: Scenario;
  readonly title: string;
  readonly hosts: number;
  readonly exactlyOnce: number;
  readonly firstCommandP99Ms: number;
}

async function runCleanups(cleanups: Cleanups): Promise<void> {
  for (const fn of cleanups.reverse())
    await Promise.resolve()
      .then(fn)
      .catch((error: unknown) => console.error(`cleanup: ${String(error)}`));
  cleanups.length = 0;
}

/** The orchestrator whose process holds the power monitor's lease (holder is `hostname:pid#random`). */
async function leaseHolder(stage: OutageStage): Promise<AppProcess> {
  let holder: AppProcess | undefined;
  await waitFor(
    'an orchestrator to hold the power monitor lease',
    async () => {
      const row = await stage.db.prisma.monitorLeadership.findUnique({ where: { id: POWER_MONITOR_LEASE } });
      const pid = Number(/:(\d+)#/.exec(row?.holder ?? '')?.[1]);
      holder = stage.orchestrators.find((o) => o.child.pid === pid);
      return holder !== undefined;
    },
    60_000,
    250,
  );
  if (holder === undefined) throw new Error('no lease holder');
  return holder;
}

/**
 * Every plan's kind and state, when it was created and finished (from upsd serving OB LB), and its
 * steps counted by action and state (what the product recorded).
 */
async function planSummary(stage: OutageStage, changedAt: number): Promise<string> {
  const tallies = await new PlanStore(stage.db.prisma).reads.stepTallies();
  return tallies
    .map(
      ({ plan, steps }) =>
        `${plan.kind} ${plan.state} (${plan.reason ?? ''}, created +${secs(plan.createdAt.getTime() - changedAt)}, finished +${plan.finishedAt ? secs(plan.finishedAt.getTime() - changedAt) : '-'}) [${steps
          .map((s) => `${s.action} ${s.state} ${s.count}`)
          .join(', ')}]`,
    )
    .join('; ');
}

/** Hosts by the power state nutfleet holds for them. */
async function powerStates(stage: OutageStage): Promise<string> {
  const rows = await stage.db.prisma.host.groupBy({ by: ['powerState'], _count: { _all: true } });
  return rows.map((r) => `${r.powerState} ${r._count._all}`).join(', ');
}

function kill9(app: AppProcess): void {
  app.child.kill('SIGKILL');
}

async function drill(scenario: Scenario, hostCount: number, timeoutMs: number, settleMs: number): Promise<DrillResult> {
  const cleanups: Cleanups = [];
  const onSignal = (): void => void runCleanups(cleanups).finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    let redisEnv: Record<string, string>;
    let group: ThrowawaySentinelGroup | undefined;
    if (scenario === 'sentinel') {
      const sentinels = await ThrowawaySentinelGroup.start();
      group = sentinels;
      cleanups.push(() => sentinels.stop());
      redisEnv = {
        REDIS_SENTINELS: sentinels.sentinels,
        REDIS_SENTINEL_MASTER: sentinels.masterName,
        REDIS_KEY_PREFIX: 'nfbench-failover',
      };
    } else {
      const redis: TestRedisPrefix = createTestRedisPrefix();
      cleanups.push(() => redis.cleanup());
      redisEnv = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.prefix };
    }
    const title =
      scenario === 'kills'
        ? 'kill -9 of the leader orchestrator and one worker at the moment upsd serves OB LB'
        : 'kill -9 of the Redis master (Sentinel promotes the replica) in the middle of the plan';
    console.log('');
    console.log(`=== failover drill: ${title}`);
    console.log(
      `    ${hostCount} hosts, 2 orchestrators + 2 workers (defaults), simulator at ${SIM_MS_PER_SECOND} ms per simulated second`,
    );
    const stage = await startOutageStage(
      {
        hostCount,
        orchestrators: 2,
        workers: 2,
        redisEnv,
        simArgs: ['--ms-per-second', String(SIM_MS_PER_SECOND)],
        ...logsDirOption(scenario),
      },
      cleanups,
    );
    const { bed, log } = stage;
    const leader = await leaseHolder(stage);
    const victimWorker = stage.workers[0];
    await sleep(2000);

    const watch = await watchStatusServed(bed, OUTAGE_UPS, (status) => status.split(' ').includes('LB'));
    cleanups.push(() => watch.stop());
    const fileChangedAt = Date.now();
    bed.setStatus(OUTAGE_UPS, 'OB LB');
    const changedAt = await watch.servedAt;
    if (scenario === 'kills') {
      kill9(leader);
      if (victimWorker !== undefined) kill9(victimWorker);
      console.log(
        `upsd served OB LB ${secs(changedAt - fileChangedAt)} after the data file changed; killed (-9) the leader orchestrator pid ${String(leader.child.pid)} and worker pid ${String(victimWorker?.child.pid)} ${secs(Date.now() - changedAt)} later`,
      );
    } else {
      console.log(`upsd served OB LB ${secs(changedAt - fileChangedAt)} after the data file changed`);
    }

    let redisKilledAt: number | undefined;
    let promotion: Promise<void> | undefined;
    let first = new Map<string, number>();
    let poweroffs = new Map<string, number>();
    let lastProgress = Date.now();
    await waitFor(
      'every host powered off',
      () => {
        log.refresh();
        first = log.firstMatching(SHUTDOWN_COMMAND, fileChangedAt);
        poweroffs = log.countMatching(HOST_POWEROFF_COMMAND, fileChangedAt);
        if (group !== undefined && redisKilledAt === undefined && first.size >= hostCount / 2) {
          const sentinels = group;
          redisKilledAt = Date.now();
          console.log(
            `${first.size}/${hostCount} hosts had their first shutdown command: kill -9 of the Redis master (${secs(redisKilledAt - changedAt)} after OB LB)`,
          );
          promotion = sentinels.killMaster().then((port) => {
            console.log(
              `  the Sentinel promoted the replica (port ${port}) ${secs(Date.now() - (redisKilledAt ?? 0))} after the kill`,
            );
          });
        }
        if (Date.now() - lastProgress > 15_000) {
          lastProgress = Date.now();
          console.log(
            `  +${secs(Date.now() - changedAt)}: first shutdown command on ${first.size}/${hostCount} hosts, powered off ${poweroffs.size}/${hostCount} (load ${load()})`,
          );
        }
        return Promise.resolve(poweroffs.size >= hostCount);
      },
      timeoutMs,
      250,
    ).catch((error: unknown) => console.log(`WARNING: ${String(error)}`));
    await promotion;
    const lastPoweroffAt = Date.now();
    await sleep(settleMs);
    log.refresh();
    first = log.firstMatching(SHUTDOWN_COMMAND, fileChangedAt);
    poweroffs = log.countMatching(HOST_POWEROFF_COMMAND, fileChangedAt);
    const firstPoweroff = log.firstMatching(HOST_POWEROFF_COMMAND, fileChangedAt);

    const reaction = distribution([...first.values()].map((at) => at - changedAt));
    const poweredOff = distribution([...firstPoweroff.values()].map((at) => at - changedAt));
    const hostIds = stage.sim.hosts.map((h) => h.id);
    const never = hostIds.filter((id) => (poweroffs.get(id) ?? 0) === 0);
    const twice = hostIds.filter((id) => (poweroffs.get(id) ?? 0) > 1);
    const exactlyOnce = hostIds.length - never.length - twice.length;
    const survivors = [...stage.orchestrators, ...stage.workers].filter(
      (p) => p.child.exitCode === null && p.child.signalCode === null,
    ).length;

    console.log('');
    console.log(`failover drill (${title}), from the moment upsd served OB LB:`);
    console.log(`  first shutdown command received by each host   ${formatDistribution(reaction)}`);
    console.log(`  host poweroff received                         ${formatDistribution(poweredOff)}`);
    console.log(
      `  all poweroffs in by +${secs(lastPoweroffAt - changedAt)}, then ${secs(settleMs)} more watched for duplicates; ${survivors} product processes still running`,
    );
    if (never.length > 0) console.log(`  NEVER powered off: ${never.length} (${never.slice(0, 10).join(', ')}…)`);
    if (twice.length > 0)
      console.log(
        `  powered off MORE THAN ONCE: ${twice.length} (${twice
          .slice(0, 10)
          .map((id) => `${id}×${poweroffs.get(id) ?? 0}`)
          .join(', ')}…)`,
      );
    const detected = await stage.db.prisma.powerEvent.findFirst({
      where: { upsId: stage.fleet.upsId, type: 'STATUS_CHANGE', status: { contains: 'LB' } },
      orderBy: { receivedAt: 'asc' },
    });
    console.log(
      `  OB LB detected by the monitor (first PowerEvent)  ${detected ? `+${secs(detected.receivedAt.getTime() - changedAt)}` : 'never'}`,
    );
    console.log(`  plans and steps: ${await planSummary(stage, changedAt)}`);
    console.log(`  hosts by power state in nutfleet's inventory: ${await powerStates(stage)}`);
    console.log(`  load average (1, 5, 15 min): ${load()}`);
    console.log(`failover (${scenario}): first shutdown command p50 ${secs(reaction.p50)} p99 ${secs(reaction.p99)}`);
    console.log(`failover: hosts powered off exactly once: ${exactlyOnce}/${hostCount}`);
    return { scenario, title, hosts: hostCount, exactlyOnce, firstCommandP99Ms: reaction.p99 };
  } finally {
    await runCleanups(cleanups);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function main(): Promise<void> {
  const hostCount = intArg('hosts', 1000);
  const timeoutMs = intArg('timeout-s', 900) * 1000;
  // After the last host's poweroff: long enough for a duplicate from a retried step or a second
  // planning round (the return probe runs every 5 s) to show.
  const settleMs = intArg('settle-s', 30) * 1000;
  const chosen = stringArg('scenario') ?? 'both';
  if (!['kills', 'sentinel', 'both'].includes(chosen))
    throw new Error(`--scenario must be kills, sentinel or both, got ${chosen}`);
  const scenarios: Scenario[] = chosen === 'both' ? ['kills', 'sentinel'] : [chosen as Scenario];
  const results: DrillResult[] = [];
  for (const scenario of scenarios) results.push(await drill(scenario, hostCount, timeoutMs, settleMs));
  console.log('');
  console.log(`summary (load average ${load()}):`);
  for (const r of results) {
    console.log(`  ${r.scenario}: ${r.title}`);
    console.log(`failover (${r.scenario}): first shutdown command p99 ${secs(r.firstCommandP99Ms)}`);
    console.log(`failover: hosts powered off exactly once: ${r.exactlyOnce}/${r.hosts}`);
  }
  if (results.some((r) => r.exactlyOnce !== r.hosts)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`bench:failover failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
