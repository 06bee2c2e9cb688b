import { Injectable } from '@nestjs/common';

import { type Plan, type PlanStep, Prisma, PrismaService } from '@nutfleet/db';

import { allowedPredecessors, NOT_STARTED_STEP_STATES, type StepStateName } from './plan-step-state';
import { type PlanOutcome, type StepView } from './runnable-steps';

/** Plans and steps in PostgreSQL: every state change is a conditional update (see plan-step-state.ts). */
@Injectable()
export class PlanRepository {
  public constructor(private readonly prisma: PrismaService) {}

  public findPlan(planId: string): Promise<Plan | null> {
    return this.prisma.plan.findUnique({ where: { id: planId } });
  }

  public async stepViews(planId: string): Promise<StepView[]> {
    const rows = await this.prisma.planStep.findMany({
      where: { planId },
      select: {
        id: true,
        key: true,
        stage: true,
        state: true,
        dependsOn: true,
        deadlineAt: true,
        jobId: true,
        action: true,
      },
      orderBy: [{ stage: 'asc' }, { sequence: 'asc' }],
    });
    return rows.map((r) => ({ ...r, deadlineAt: r.deadlineAt?.getTime() ?? null }));
  }

  public findStep(stepId: string): Promise<(PlanStep & { plan: Plan }) | null> {
    return this.prisma.planStep.findUnique({ where: { id: stepId }, include: { plan: true } });
  }

  /** Unfinished shutdown and restart plans, oldest first: what the reconciler resumes. */
  public unfinishedPlanIds(): Promise<string[]> {
    return this.prisma.plan
      .findMany({
        where: { kind: { in: ['SHUTDOWN', 'RESTART'] }, state: { in: ['PENDING', 'RUNNING'] } },
        select: { id: true },
        orderBy: { createdAt: 'asc' },
      })
      .then((rows) => rows.map((r) => r.id));
  }

  public async startPlan(planId: string, now: Date): Promise<void> {
    await this.prisma.plan.updateMany({
      where: { id: planId, state: 'PENDING' },
      data: { state: 'RUNNING', startedAt: now },
    });
  }

  public async finishPlan(planId: string, outcome: Exclude<PlanOutcome, 'RUNNING'>, now: Date): Promise<boolean> {
    const { count } = await this.prisma.plan.updateMany({
      where: { id: planId, state: { in: ['PENDING', 'RUNNING'] } },
      data: { state: outcome, finishedAt: now },
    });
    return count === 1;
  }

  /**
   * PENDING → QUEUED for the given steps; returns those this caller won. One statement for the
   * whole batch (a stage of 1,000 hosts is 1,000 steps: one round trip each would delay the last
   * host's first command by seconds); RETURNING keeps the "who won" answer exact.
   */
  public async markQueued(steps: ReadonlyArray<{ id: string; jobId: string }>): Promise<string[]> {
    if (steps.length === 0) return [];
    const now = new Date().toISOString();
    const rows = await this.prisma.$queryRaw<Array<{ id: string }>>`
      UPDATE "PlanStep" AS s
         SET "state" = 'QUEUED'::"StepState", "jobId" = v."jobId", "updatedAt" = ${now}::timestamp(3)
        FROM unnest(${steps.map((s) => s.id)}::uuid[], ${steps.map((s) => s.jobId)}::text[]) AS v("id", "jobId")
       WHERE s."id" = v."id" AND s."state" = 'PENDING'::"StepState"
      RETURNING s."id"::text AS "id"`;
    return rows.map((r) => r.id);
  }

  /** QUEUED/RUNNING → RUNNING (a retry or a resumed attempt takes it over again); one statement. */
  public async claimRunning(stepId: string, now: Date): Promise<boolean> {
    const at = now.toISOString();
    const from = allowedPredecessors('RUNNING');
    const count = await this.prisma.$executeRaw`
      UPDATE "PlanStep"
         SET "state" = 'RUNNING'::"StepState", "attempts" = "attempts" + 1,
             "startedAt" = COALESCE("startedAt", ${at}::timestamp(3)), "updatedAt" = ${at}::timestamp(3)
       WHERE "id" = ${stepId}::uuid AND "state"::text = ANY(${from}::text[])`;
    return count === 1;
  }

  public async finishStep(
    stepId: string,
    state: Extract<StepStateName, 'SUCCEEDED' | 'FAILED' | 'SKIPPED'>,
    result: { output?: string; error?: string | null },
    now: Date,
  ): Promise<boolean> {
    const { count } = await this.prisma.planStep.updateMany({
      where: { id: stepId, state: 'RUNNING' },
      data: {
        state,
        finishedAt: now,
        ...(result.output !== undefined ? { output: result.output } : {}),
        error: result.error ?? null,
      },
    });
    return count === 1;
  }

  public async recordAttemptError(stepId: string, error: string): Promise<void> {
    await this.prisma.planStep.updateMany({ where: { id: stepId, state: 'RUNNING' }, data: { error } });
  }

  public async saveProgress(stepId: string, progress: Prisma.InputJsonValue, output?: string): Promise<void> {
    await this.prisma.planStep.updateMany({
      where: { id: stepId, state: 'RUNNING' },
      data: { progress, ...(output !== undefined ? { output } : {}) },
    });
  }

  /**
   * The at-most-once gate of a host power-off: only the caller whose UPDATE turns
   * `commandSentAt` from NULL to a time may send `poweroff`. Returns that time, or undefined
   * when it was already set (sent before a crash, or by another attempt): verify, never resend.
   */
  public async claimPowerOffCommand(stepId: string, now: Date): Promise<Date | undefined> {
    const { count } = await this.prisma.planStep.updateMany({
      where: { id: stepId, commandSentAt: null, state: 'RUNNING' },
      data: { commandSentAt: now },
    });
    return count === 1 ? now : undefined;
  }

  /**
   * Moves an earlier claim to `now` (compare-and-set on the previous claim time), so that of
   * several resumed attempts only one resends.
   */
  public async reclaimPowerOffCommand(stepId: string, previous: Date, now: Date): Promise<Date | undefined> {
    const { count } = await this.prisma.planStep.updateMany({
      where: { id: stepId, commandSentAt: previous, state: 'RUNNING' },
      data: { commandSentAt: now },
    });
    return count === 1 ? now : undefined;
  }

  /** Only when the command provably never left this process (no session could be used). */
  public async releasePowerOffCommand(stepId: string, claimedAt: Date): Promise<void> {
    await this.prisma.planStep.updateMany({
      where: { id: stepId, commandSentAt: claimedAt },
      data: { commandSentAt: null },
    });
  }

  public async noteOverdue(stepIds: readonly string[], note: string): Promise<void> {
    if (stepIds.length === 0) return;
    await this.prisma.planStep.updateMany({
      where: { id: { in: [...stepIds] }, state: { in: ['QUEUED', 'RUNNING'] }, error: null },
      data: { error: note },
    });
  }

  /** Cancels every step not started yet (PENDING/QUEUED); running ones finish. */
  public async cancelNotStarted(planId: string, now: Date, reason: string): Promise<number> {
    const { count } = await this.prisma.planStep.updateMany({
      where: { planId, state: { in: [...NOT_STARTED_STEP_STATES] } },
      data: { state: 'CANCELLED', finishedAt: now, error: reason },
    });
    return count;
  }
}
