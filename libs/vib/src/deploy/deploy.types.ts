/** Inputs, outputs and the journal contract of the per-host deploy engine. */
import { type CommandTarget, type UploadOptions, type UploadResult, type VibSummary } from '@nutfleet/esxi';
import { type NutUserVars } from '../config/nut-user-var.definitions';
import { type ObservedNutUserVar } from '../config/observed-user-vars';
import { type VibDescriptor } from '../descriptor/vib-descriptor.types';

export type DeployAction = 'install' | 'configure' | 'uninstall';

export type DeployStepName =
  | 'preflight'
  | 'upload'
  | 'install'
  | 'configure'
  | 'restart-service'
  | 'verify'
  | 'cleanup'
  | 'stop-service'
  | 'remove';

/** The steps each action runs, in order. */
export const DEPLOY_STEPS: Readonly<Record<DeployAction, readonly DeployStepName[]>> = {
  install: ['preflight', 'upload', 'install', 'configure', 'restart-service', 'verify', 'cleanup'],
  configure: ['preflight', 'configure', 'restart-service', 'verify'],
  uninstall: ['preflight', 'stop-service', 'remove', 'verify'],
};

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export interface DeployStepResult {
  readonly step: DeployStepName;
  /** `skipped`: nothing to do (already in the desired state) or completed by an earlier run. */
  readonly outcome: 'done' | 'skipped';
  /** One line for the UI ("installed Margar_bootbank_upsmon_2.8.5-2.7.3", "2 options set"). */
  readonly summary: string;
  /** Step details for the journal (never a password). */
  readonly output: { readonly [key: string]: JsonValue };
}

/**
 * Where progress is kept, typically PlanStep rows in PostgreSQL. `record` must be durable when it
 * returns: a step recorded is never run again for this deployment; a step not recorded is run
 * again, and every step is written to be harmless when repeated.
 */
export interface DeployJournal {
  completed(step: DeployStepName): boolean | Promise<boolean>;
  record(step: DeployStepName, result: DeployStepResult): void | Promise<void>;
}

/** What the engine needs from a host: `EsxiHost` fits. */
export interface DeployTarget extends CommandTarget {
  upload(localPath: string, remotePath: string, options?: UploadOptions): Promise<UploadResult>;
}

export interface DeployArtifact {
  readonly kind: 'vib' | 'bundle';
  /** Local file (the Artifact's storagePath). */
  readonly localPath: string;
  readonly fileName: string;
  /** Hex sha256 of the file (checked on the host after upload). */
  readonly sha256: string;
  /** The NutClient VIB's descriptor (for a bundle, the VIB inside it to install). */
  readonly descriptor: VibDescriptor;
}

export interface HostDeployOptions {
  readonly action: DeployAction;
  /** Required for `install`. */
  readonly artifact?: DeployArtifact;
  /** Desired values (from `buildDesiredUserVars`); only these options are managed. */
  readonly userVars?: NutUserVars;
  /** Lower the host acceptance level to what the VIB needs (CommunitySupported). Default false. */
  readonly allowAcceptanceChange?: boolean;
  /** Default: an in-memory journal (no resume across processes). */
  readonly journal?: DeployJournal;
  /** Where the artifact is uploaded: /tmp (RAM disk) or a datastore path. Default /tmp. */
  readonly remoteDirectory?: string;
  /** VIB name for configure/uninstall when no artifact is given. Default `upsmon`. */
  readonly vibName?: string;
  /** Called after each step (for live events). */
  readonly onStep?: (result: DeployStepResult) => void;
}

/** What the verify step read on the host at the end of the run (never a password). */
export interface DeployObservation {
  /** `esxcli software vib list`'s line for the VIB; null when it is not installed. */
  readonly vib: VibSummary | null;
  /** Every `/UserVars/Nut*` option the VIB defines, as read back (absent ones left out). */
  readonly userVars: Readonly<Record<string, ObservedNutUserVar>>;
  readonly at: Date;
}

export interface DeployReport {
  readonly host: string;
  readonly action: DeployAction;
  readonly steps: readonly DeployStepResult[];
  /** Non-fatal notes (reboot required, downgrade, clamped timing...). */
  readonly warnings: readonly string[];
  /** The state verify confirmed: what the host's inventory facts can take as read. */
  readonly observed: DeployObservation;
}

/** Journal kept in memory: enough for one process; tests use it to simulate crashes. */
export class MemoryDeployJournal implements DeployJournal {
  readonly results = new Map<DeployStepName, DeployStepResult>();
  completed(step: DeployStepName): boolean {
    return this.results.has(step);
  }
  record(step: DeployStepName, result: DeployStepResult): void {
    this.results.set(step, result);
  }
}
