import { type UpsId } from './ups-observation';

export type RestartStepKind = 'wake' | 'wait-ssh' | 'verify-esxi' | 'power-on-vms';

export interface RestartPlanStep {
  /** Deterministic: `host:<hostId>:wake`, `...:wait-ssh`, `...:verify-esxi`, `...:power-on-vms`. */
  readonly key: string;
  readonly kind: RestartStepKind;
  readonly wave: number;
  readonly hostId: string;
  readonly hostName: string;
  readonly dependsOn: readonly string[];
  readonly timeoutSeconds: number;
  /** `power-on-vms` only: VM ids in autostart order. */
  readonly vmIds?: readonly string[];
}

export interface RestartWave {
  readonly wave: number;
  readonly hostIds: readonly string[];
  /** UPSes feeding the wave's hosts: the power gates look at these. */
  readonly upsIds: readonly UpsId[];
}

export interface RestartPlan {
  readonly key: string;
  /** Ascending wave numbers. */
  readonly waves: readonly RestartWave[];
  readonly steps: readonly RestartPlanStep[];
  /** How long a woken host may take to be verified before it is reported and stops holding its wave. */
  readonly hostTimeoutSeconds: number;
  readonly skipped: ReadonlyArray<{ readonly hostId: string; readonly reason: string }>;
}
