import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { type PrismaClientWithPool } from '@nutfleet/db';
import { type PlanStore } from '@nutfleet/plan';

const run = promisify(execFile);

interface ReplayedHost {
  readonly id: string;
  readonly name: string;
  readonly criticalAt: number | null;
  readonly steps: ReadonlyArray<{ readonly key: string }>;
}

export interface DemoReplayComparison {
  readonly hosts: number;
  readonly matching: number;
  readonly steps: number;
  readonly differences: readonly string[];
}

/**
 * Replays what the monitor recorded during the demo outage (`npm run replay -- --from --to`, the
 * administrator's command) and compares it with what the live product did: every host of the
 * shutdown plan critical within one poll of the live decision, with the same steps.
 */
export async function compareDemoWithReplay(
  prisma: PrismaClientWithPool,
  plans: PlanStore,
  shutdownPlanId: string,
  from: Date,
  pollIntervalMs: number,
): Promise<DemoReplayComparison> {
  const to = new Date();
  const { stdout } = await run(
    process.execPath,
    [
      join(process.cwd(), 'dist/apps/orchestrator/src/cli/replay.cli.js'),
      '--from',
      from.toISOString(),
      '--to',
      to.toISOString(),
    ],
    { env: process.env, maxBuffer: 64 * 1024 * 1024 },
  );
  const replayed = new Map((JSON.parse(stdout) as { hosts: ReplayedHost[] }).hosts.map((h) => [h.id, h]));
  const plan = await plans.reads.withSteps(shutdownPlanId);
  const decisions = await prisma.powerEvent.findMany({
    where: { planId: shutdownPlanId, type: 'DECISION' },
    orderBy: { id: 'asc' },
  });
  const decidedAt = new Map<string, number>();
  for (const d of decisions) {
    const data = d.data as { decidedAt?: number; summaries?: Array<{ hostId: string }> } | null;
    for (const s of data?.summaries ?? [])
      if (!decidedAt.has(s.hostId) && typeof data?.decidedAt === 'number') decidedAt.set(s.hostId, data.decidedAt);
  }
  const differences: string[] = [];
  let matching = 0;
  const hostIds = [...new Set((plan?.steps ?? []).map((s) => s.hostId).filter((id): id is string => id !== null))];
  for (const hostId of hostIds) {
    const live = decidedAt.get(hostId);
    const replay = replayed.get(hostId);
    const name = replay?.name ?? hostId;
    const liveKeys = (plan?.steps ?? [])
      .filter((s) => s.hostId === hostId)
      .map((s) => s.key)
      .sort();
    const replayKeys = (replay?.steps ?? []).map((s) => s.key).sort();
    if (live === undefined || replay?.criticalAt === null || replay === undefined) {
      differences.push(
        `${name}: live decision ${live === undefined ? 'missing' : 'made'}, replay ${replay?.criticalAt === null ? 'never critical' : 'missing'}`,
      );
      continue;
    }
    const replayAt = from.getTime() + replay.criticalAt * 1000;
    const gap = Math.abs(replayAt - live);
    if (gap > pollIntervalMs + 250) differences.push(`${name}: replay critical ${gap} ms from the live decision`);
    else if (liveKeys.join() !== replayKeys.join())
      differences.push(`${name}: steps ${replayKeys.join()} vs live ${liveKeys.join()}`);
    else matching += 1;
  }
  return { hosts: hostIds.length, matching, steps: plan?.steps.length ?? 0, differences };
}
