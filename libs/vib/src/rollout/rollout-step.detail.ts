/**
 * `PlanStep.detail` of a rollout's host step, written by the orchestrator when the rollout is
 * created and read by the worker's deploy job. Never a secret: the NUT password is not stored,
 * only the id of the NUT server whose sealed monitoring password the worker opens at run time.
 */
import { type NutUserVars } from '../config/nut-user-var.definitions';
import { type UserVarProblem } from '../config/user-vars.validator';
import { type DeployAction } from '../deploy/deploy.types';

export type RolloutRequestedAction = 'install' | 'upgrade' | 'configure' | 'uninstall';

export interface RolloutStepDetail {
  readonly kind: 'deploy-host';
  readonly hostName: string;
  readonly wave: number;
  readonly action: DeployAction;
  readonly requestedAction: RolloutRequestedAction;
  /** Desired values without NutPassword; absent for an uninstall or a blocked host. */
  readonly userVars?: Omit<NutUserVars, 'NutPassword'>;
  /** NutServer whose monitoring password becomes NutPassword (null: the servers have none). */
  readonly passwordFrom?: string | null;
  /** Inventory problems found at creation: the host is failed before anything is sent. */
  readonly problems?: readonly UserVarProblem[];
  readonly warnings?: readonly string[];
}

export function readRolloutStepDetail(value: unknown): RolloutStepDetail {
  if (typeof value !== 'object' || value === null || (value as { kind?: unknown }).kind !== 'deploy-host')
    throw new Error('rollout step has no deploy-host detail (created by an older version?)');
  return value as RolloutStepDetail;
}
