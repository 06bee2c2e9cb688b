import { Injectable } from '@nestjs/common';

import { HOST_FACT_READS, keepPreviousValuesOfFailedReads, type Prisma, PrismaService } from '@nutfleet/db';

import { WorkerPlanStore } from '../plans/worker-plan.store';
import { type DiscoveredHost, failedReadsSummary } from './host-facts.mapper';

/**
 * Writes a discovery's outcome: the Host row (facts, scalar columns, lastSeenAt / lastError)
 * and the host's line in its DiscoveryRun, in one transaction each. A line leaves PENDING once;
 * the run gets `finishedAt` when its last line does.
 */
@Injectable()
export class DiscoveryResultRecorder {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly plans: WorkerPlanStore,
  ) {}

  /**
   * The host answered. Facts whose read failed keep their previous value (the row is locked, so a
   * rollout writing the VIB's facts at the same moment is not lost); columns whose read failed are
   * left alone. With failed reads, lastError and the run line say which; the line is FAILED only
   * when no read at all succeeded.
   */
  public async recorded(
    runId: string,
    hostId: string,
    discovered: DiscoveredHost,
    at: Date,
  ): Promise<'SUCCEEDED' | 'FAILED'> {
    const failed = discovered.failedReads;
    const summary = failed.length > 0 ? failedReadsSummary(failed) : null;
    const state = failed.length === HOST_FACT_READS.length ? 'FAILED' : 'SUCCEEDED';
    await this.prisma.$transaction(async (tx) => {
      const [current] = await tx.$queryRaw<Array<{ facts: unknown; macAddresses: string[] | null }>>`
        SELECT "facts", "macAddresses" FROM "Host" WHERE "id" = ${hostId}::uuid FOR UPDATE`;
      if (current === undefined) return;
      const facts = keepPreviousValuesOfFailedReads(discovered.facts, current.facts);
      await tx.host.update({
        where: { id: hostId },
        data: {
          facts: facts as unknown as Prisma.InputJsonObject,
          ...(discovered.esxiVersion !== undefined ? { esxiVersion: discovered.esxiVersion } : {}),
          ...(discovered.esxiBuild !== undefined ? { esxiBuild: discovered.esxiBuild } : {}),
          ...(discovered.vibVersion !== undefined ? { vibVersion: discovered.vibVersion } : {}),
          // MACs for Wake-on-LAN are the operator's choice; discovery only fills an empty list.
          ...((current.macAddresses ?? []).length === 0 && discovered.macAddresses !== undefined
            ? { macAddresses: [...discovered.macAddresses] }
            : {}),
          lastSeenAt: at,
          lastError: summary,
        },
      });
      await this.finishLine(tx, runId, hostId, state, summary, at);
    });
    // It answered over SSH and ESXi replied: it is on, whatever nutfleet last knew.
    if (state === 'SUCCEEDED') await this.plans.hostPower.observe(hostId, { kind: 'discovered', at });
    return state;
  }

  /**
   * `final`: no retry will follow, so the run line is closed. `onHost`: also set Host.lastError
   * (not for refusals such as "not trusted", whose state already says why).
   */
  public async failed(
    runId: string,
    hostId: string,
    message: string,
    options: { final: boolean; onHost: boolean; at: Date },
  ): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      if (options.onHost) await tx.host.updateMany({ where: { id: hostId }, data: { lastError: message } });
      if (options.final) await this.finishLine(tx, runId, hostId, 'FAILED', message, options.at);
      else
        await tx.discoveryRunHost.updateMany({
          where: { runId, hostId, state: 'PENDING' },
          data: { error: message, attempts: { increment: 1 } },
        });
    });
  }

  private async finishLine(
    tx: Prisma.TransactionClient,
    runId: string,
    hostId: string,
    state: 'SUCCEEDED' | 'FAILED',
    error: string | null,
    at: Date,
  ): Promise<void> {
    const { count } = await tx.discoveryRunHost.updateMany({
      where: { runId, hostId, state: 'PENDING' },
      data: { state, error, finishedAt: at, attempts: { increment: 1 } },
    });
    if (count === 0) return;
    // Lock the run row first: two hosts finishing at once would otherwise each count the other as
    // still PENDING (READ COMMITTED), and neither would close the run.
    await tx.$queryRaw`SELECT 1 FROM "DiscoveryRun" WHERE "id" = ${runId}::uuid FOR UPDATE`;
    const pending = await tx.discoveryRunHost.count({ where: { runId, state: 'PENDING' } });
    if (pending === 0)
      await tx.discoveryRun.updateMany({ where: { id: runId, finishedAt: null }, data: { finishedAt: at } });
  }
}
