/**
 * Installs, configures or removes NutClient on one host, step by step, recording each finished
 * step in a journal so a crashed run resumes where it stopped. Every step is also safe to repeat
 * on its own (it checks the host first), because a crash can come after a step's effect and
 * before its record: the install step sees the version already there and sends nothing.
 *
 *   const report = await new HostDeployer(host, { action: 'install', artifact, userVars, journal }).run();
 */
import { InvalidUserVarsError } from '../config/user-vars.validator';
import { DeployError, DeployStepFailedError } from './deploy.errors';
import {
  DEPLOY_STEPS,
  type DeployReport,
  type DeployStepName,
  type DeployStepResult,
  type DeployTarget,
  type HostDeployOptions,
  MemoryDeployJournal,
} from './deploy.types';
import { runCleanup, runInstall, runRemove, runStopService, runUpload } from './package.steps';
import { runPreflight } from './preflight.step';
import { checkDesiredUserVars, runConfigure, runRestartService, runVerify } from './service-config.steps';
import { skipped, type StepContext } from './step-context';

// Newer than any release: every option exists, widest ranges.
const ANY_VERSION = '99.0.0-99.0.0';

const STEP_RUNNERS: Readonly<
  Record<Exclude<DeployStepName, 'cleanup'>, (ctx: StepContext) => Promise<DeployStepResult>>
> = {
  preflight: runPreflight,
  upload: runUpload,
  install: runInstall,
  configure: runConfigure,
  'restart-service': runRestartService,
  verify: runVerify,
  'stop-service': runStopService,
  remove: runRemove,
};

export class HostDeployer {
  constructor(
    private readonly host: DeployTarget,
    private readonly options: HostDeployOptions,
  ) {
    if (options.action === 'install' && !options.artifact)
      throw new DeployError(host.label, 'preflight', 'an install needs an artifact', 'pick the artifact to deploy');
  }

  async run(): Promise<DeployReport> {
    const { host, options } = this;
    const journal = options.journal ?? new MemoryDeployJournal();
    const steps = DEPLOY_STEPS[options.action];
    const completedAtStart = new Set<DeployStepName>();
    for (const step of steps) if (await journal.completed(step)) completedAtStart.add(step);
    const ctx: StepContext = {
      host,
      options,
      vibName: options.artifact?.descriptor.name ?? options.vibName ?? 'upsmon',
      warnings: [],
      facts: undefined,
      resumed: completedAtStart.size > 0,
      changed: false,
      uploadedThisRun: false,
      observed: undefined,
    };
    // Bad values are refused before the first command: nothing is half-written. Without an artifact
    // the host's version is unknown until preflight; characters do not depend on it, and the
    // per-version ranges are checked again before anything is set.
    this.guard('preflight', () => checkDesiredUserVars(ctx, options.artifact?.descriptor.version ?? ANY_VERSION));

    const results: DeployStepResult[] = [];
    for (const step of steps) {
      let result: DeployStepResult;
      // Preflight always runs: it proves the host is reachable and gathers the facts later steps
      // rely on. Verify too (it only reads): the report says what the host has now.
      if (step !== 'preflight' && step !== 'verify' && completedAtStart.has(step)) {
        result = skipped(step, 'completed in an earlier run');
      } else {
        result = await this.guardAsync(step, () =>
          step === 'cleanup' ? runCleanup(ctx, completedAtStart.has('upload')) : STEP_RUNNERS[step](ctx),
        );
        if (!completedAtStart.has(step)) await journal.record(step, result);
      }
      results.push(result);
      options.onStep?.(result);
    }
    if (!ctx.observed) throw new Error('verify did not record what it read: every action ends with verify');
    return { host: host.label, action: options.action, steps: results, warnings: ctx.warnings, observed: ctx.observed };
  }

  private guard(step: DeployStepName, work: () => void): void {
    try {
      work();
    } catch (err) {
      throw this.wrap(step, err);
    }
  }

  private async guardAsync<T>(step: DeployStepName, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw this.wrap(step, err);
    }
  }

  private wrap(step: DeployStepName, err: unknown): DeployError {
    if (err instanceof DeployError) return err;
    if (err instanceof InvalidUserVarsError)
      return new DeployError(this.host.label, step, err.message, 'fix the inventory values named above', {
        cause: err,
      });
    return new DeployStepFailedError(this.host.label, step, err);
  }
}
