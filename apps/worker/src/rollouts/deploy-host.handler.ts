import { randomUUID } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Job } from 'bullmq';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { type Artifact, openSecret, PrismaService } from '@nutfleet/db';
import { isTerminal, type RolloutStepWithPlan, type RolloutWithArtifact } from '@nutfleet/plan';
import { JobName, type JobPayload } from '@nutfleet/queue';
import { errorText } from '@nutfleet/runtime';
import {
  type DeployArtifact,
  DeployError,
  type DeployReport,
  HostDeployer,
  type NutUserVars,
  readRolloutStepDetail,
  type RolloutStepDetail,
  type VibDescriptor,
} from '@nutfleet/vib';

import { HostConnector } from '../hosts/host-connector';
import { shouldRetry } from '../jobs/job-failure.policy';
import { HandlesJob, type JobHandler } from '../jobs/job-handler';
import { WorkerPlanStore } from '../plans/worker-plan.store';
import { PlanStepDeployJournal } from './plan-step.deploy-journal';
import { RolloutAdvancer } from './rollout-advancer';
import { VerifiedHostFactsRecorder } from './verified-host-facts.recorder';

type Payload = JobPayload<typeof JobName.DeployHost>;

/**
 * How long a deploy step stays claimed without a renewal: the rollouts queue's BullMQ lockDuration,
 * so a killed worker's step is free again when its stalled job comes back. Renewed every third.
 */
export const DEPLOY_LEASE_MS = 15_000;

/**
 * Deploys NutClient to one host of a rollout with `HostDeployer`, its journal in the step row, and
 * records what the deploy verified (VIB version, UserVars) in the host's inventory facts at once.
 * The step row is the truth (a job for a finished or cancelled step does nothing). A host whose
 * desired configuration had problems at creation fails here before any connection. Transient
 * failures (`retryable`) are thrown for BullMQ to retry while attempts remain — the journal skips
 * the steps already done; anything else, or the last attempt, fails the host with the remedy.
 */
@Injectable()
@HandlesJob(JobName.DeployHost)
export class DeployHostHandler implements JobHandler<typeof JobName.DeployHost> {
  private readonly logger = new Logger(DeployHostHandler.name);
  private readonly keys: readonly Buffer[];

  public constructor(
    private readonly prisma: PrismaService,
    private readonly store: WorkerPlanStore,
    private readonly connector: HostConnector,
    private readonly advancer: RolloutAdvancer,
    private readonly verifiedFacts: VerifiedHostFactsRecorder,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.keys = config.oldSecretKey ? [config.secretKey, config.oldSecretKey] : [config.secretKey];
  }

  public async handle(job: Job<Payload>): Promise<{ state: string }> {
    const step = await this.store.rollouts.findStep(job.data.stepId);
    if (!step || isTerminal(step.state) || step.state === 'PENDING') return { state: step?.state ?? 'MISSING' };
    const rollout = step.plan.rollout;
    if (!rollout) return { state: 'NOT-A-ROLLOUT' };
    // A lease, not just RUNNING: a job re-enqueued while this step's deploy still runs elsewhere
    // (Redis lost its keys) must not run the host's deploy a second time in parallel.
    const owner = randomUUID();
    if (!(await this.store.rollouts.claimDeploy(step.id, owner, DEPLOY_LEASE_MS))) return { state: 'LOST-CLAIM' };
    const heartbeat = setInterval(() => {
      this.store.rollouts.renewDeployLease(step.id, owner, DEPLOY_LEASE_MS).catch((error: unknown) => {
        this.logger.warn(`rollout ${step.planId}: lease renewal failed: ${errorText(error)}`);
      });
    }, DEPLOY_LEASE_MS / 3);
    heartbeat.unref();
    try {
      return await this.deploy(job, step, rollout, owner);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async deploy(
    job: Job<Payload>,
    step: RolloutStepWithPlan,
    rollout: RolloutWithArtifact,
    owner: string,
  ): Promise<{ state: string }> {
    let state: 'SUCCEEDED' | 'FAILED';
    let output: string;
    let error: string | null = null;
    try {
      const detail = readRolloutStepDetail(step.detail);
      if (detail.problems && detail.problems.length > 0) {
        state = 'FAILED';
        output = 'blocked before deploy: nothing was sent to the host';
        error = `configuration problems: ${detail.problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`;
      } else {
        const journal = new PlanStepDeployJournal(this.store.rollouts, step.id, step.progress);
        const userVars = await this.userVars(detail);
        const artifact = rollout.artifact ? deployArtifact(rollout.artifact) : undefined;
        const report = await this.connector.withHost(job.data.hostId, ({ host }) =>
          new HostDeployer(host, {
            action: detail.action,
            ...(artifact ? { artifact } : {}),
            ...(userVars ? { userVars } : {}),
            allowAcceptanceChange: rollout.allowAcceptanceChange,
            journal,
          }).run(),
        );
        // Before the step is done: whoever sees the host succeeded sees its new facts too. The
        // deploy itself succeeded either way: a failed write only leaves the facts to discovery.
        await this.verifiedFacts.record(job.data.hostId, report.observed).catch((error: unknown) => {
          this.logger.warn(
            `rollout ${step.planId}: host ${job.data.hostId} deployed, but its facts were not updated (run discovery): ${error instanceof Error ? error.message : String(error)}`,
          );
        });
        state = 'SUCCEEDED';
        output = reportText(report);
      }
    } catch (caught) {
      const message = errorText(caught);
      const attempts = job.opts.attempts ?? 1;
      if (shouldRetry(caught, job.attemptsMade, attempts)) {
        await this.store.execution.recordAttemptError(
          step.id,
          `attempt ${job.attemptsMade + 1}/${attempts}: ${message}`,
        );
        await this.store.rollouts.releaseDeployLease(step.id, owner);
        throw caught;
      }
      state = 'FAILED';
      output = caught instanceof DeployError ? `failed at ${caught.step}` : 'failed before the deploy started';
      error = message;
    }
    await this.store.execution.finishStep(step.id, state, { output, error }, new Date());
    if (state === 'FAILED') this.logger.warn(`rollout ${step.planId}: host ${job.data.hostId} failed: ${error ?? ''}`);
    void this.advancer.request(step.planId);
    return { state };
  }

  /** The stored values plus NutPassword opened from the NUT server's sealed monitoring password. */
  private async userVars(detail: RolloutStepDetail): Promise<NutUserVars | undefined> {
    if (!detail.userVars) return undefined;
    if (!detail.passwordFrom) return detail.userVars;
    const server = await this.prisma.nutServer.findUnique({
      where: { id: detail.passwordFrom },
      select: { id: true, passwordEnc: true },
    });
    if (!server?.passwordEnc)
      throw new Error(`NUT server ${detail.passwordFrom} no longer has a monitoring password; recreate the rollout`);
    const password = openSecret(server.passwordEnc, this.keys, `nutServer:${server.id}:password`);
    return { ...detail.userVars, NutPassword: password };
  }
}

function deployArtifact(row: Artifact): DeployArtifact {
  return {
    kind: row.kind === 'BUNDLE' ? 'bundle' : 'vib',
    localPath: row.storagePath,
    fileName: row.fileName,
    sha256: row.sha256,
    descriptor: row.descriptor as unknown as VibDescriptor,
  };
}

/** One line per deploy step for the API (never a password: step results are redacted by the engine). */
function reportText(report: DeployReport): string {
  const lines = report.steps.map((s) => `${s.step}: ${s.outcome} — ${s.summary}`);
  return [...lines, ...report.warnings.map((w) => `warning: ${w}`)].join('\n');
}
