/** What the steps of one deployment share while it runs. */
import {
  type DeployObservation,
  type DeployStepResult,
  type DeployTarget,
  type HostDeployOptions,
  type JsonValue,
} from './deploy.types';

export interface PreflightFacts {
  readonly esxiVersion: string;
  /** Version of the VIB on the host before this run's install, if any. */
  readonly installedVersion: string | undefined;
  readonly installedVibId: string | undefined;
}

export interface StepContext {
  readonly host: DeployTarget;
  readonly options: HostDeployOptions;
  readonly vibName: string;
  readonly warnings: string[];
  facts: PreflightFacts | undefined;
  /** True when the journal already held completed steps when this run started. */
  readonly resumed: boolean;
  /** Set when this run changed the package or a UserVar (the service must re-read them). */
  changed: boolean;
  /** This run uploaded the artifact or found it already on the host: cleanup removes it. */
  uploadedThisRun: boolean;
  /** Set by verify: the VIB and UserVars it read back. */
  observed: DeployObservation | undefined;
}

export function done(
  step: DeployStepResult['step'],
  summary: string,
  output: { readonly [key: string]: JsonValue } = {},
): DeployStepResult {
  return { step, outcome: 'done', summary, output };
}

export function skipped(
  step: DeployStepResult['step'],
  summary: string,
  output: { readonly [key: string]: JsonValue } = {},
): DeployStepResult {
  return { step, outcome: 'skipped', summary, output };
}

export function requireFacts(ctx: StepContext): PreflightFacts {
  if (!ctx.facts) throw new Error('preflight facts missing: preflight always runs first');
  return ctx.facts;
}
