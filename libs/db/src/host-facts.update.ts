import {
  type FactReadStatus,
  type HostFactRead,
  type HostFacts,
  isHostFacts,
  type NutClientFacts,
  type NutUserVarFacts,
} from './host-facts';

/**
 * Pure updates of a stored facts document. Both keep every fact they do not concern as it was:
 * a discovery whose read of one fact failed, or a rollout that only knows the VIB and its UserVars.
 */

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Copies the fields of one read from `source` into `target`. */
function copyFact(read: HostFactRead, target: Mutable<HostFacts>, source: HostFacts): void {
  switch (read) {
    case 'esxi':
      target.esxi = source.esxi;
      return;
    case 'nics':
      target.nics = source.nics;
      return;
    case 'vms':
      target.vms = source.vms;
      target.invalidVmIds = source.invalidVmIds;
      return;
    case 'autostartDefaults':
      target.autostart = { ...target.autostart, defaults: source.autostart.defaults };
      return;
    case 'autostartSequence':
      target.autostart = { ...target.autostart, sequence: source.autostart.sequence };
      return;
    case 'nutClient':
      target.nutClient = source.nutClient;
      return;
    case 'nutUserVars':
      target.nutUserVars = source.nutUserVars;
      return;
    case 'acceptanceLevel':
      target.acceptanceLevel = source.acceptanceLevel;
      return;
    case 'maintenanceMode':
      target.maintenanceMode = source.maintenanceMode;
      return;
  }
}

/** When the value a status stands for was read (undefined: it holds no reading). */
function valueReadAt(status: FactReadStatus): string | undefined {
  return status.state === 'ok' ? status.at : (status.valueReadAt ?? undefined);
}

/**
 * A new discovery's facts, where each failed read takes back the value the previous document
 * held for it (with `valueReadAt` saying when that value was read) instead of "unknown". A
 * previous document of another schema version is ignored.
 */
export function keepPreviousValuesOfFailedReads(next: HostFacts, previous: unknown): HostFacts {
  if (!isHostFacts(previous)) return next;
  const merged: Mutable<HostFacts> = { ...next };
  const reads: Record<string, FactReadStatus> = { ...next.reads };
  for (const [read, status] of Object.entries(next.reads) as Array<[HostFactRead, FactReadStatus]>) {
    if (status.state !== 'failed') continue;
    const readAt = valueReadAt(previous.reads[read]);
    if (readAt === undefined) continue;
    copyFact(read, merged, previous);
    reads[read] = { ...status, valueReadAt: readAt };
  }
  merged.reads = reads as HostFacts['reads'];
  return merged;
}

/** What a rollout verified on the host after installing, configuring or removing the VIB. */
export interface VerifiedNutClient {
  readonly nutClient: NutClientFacts;
  /** The `/UserVars/Nut*` read back after configuring; absent when the rollout did not read them. */
  readonly nutUserVars?: Readonly<Record<string, NutUserVarFacts>>;
  readonly at: Date;
}

/**
 * The facts after a rollout: the VIB (and the UserVars when read back) as the rollout verified
 * them, marked as read by the rollout; every other fact unchanged. UserVars read back replace the
 * names they cover and keep the others. Undefined for a host never discovered: a rollout alone
 * does not know enough to make a facts document (its VMs and autostart would be "unknown").
 */
export function withVerifiedNutClient(current: unknown, verified: VerifiedNutClient): HostFacts | undefined {
  if (!isHostFacts(current)) return undefined;
  const at = verified.at.toISOString();
  const ok: FactReadStatus = { state: 'ok', at, by: 'rollout' };
  const reads: Record<HostFactRead, FactReadStatus> = { ...current.reads, nutClient: ok };
  let nutUserVars = current.nutUserVars;
  if (verified.nutUserVars !== undefined) {
    // Read back after an install or configure: those names replace theirs. After a removal the
    // VIB's options are gone: what was read back is all there is.
    nutUserVars = verified.nutClient.installed
      ? { ...(nutUserVars ?? {}), ...verified.nutUserVars }
      : { ...verified.nutUserVars };
    reads.nutUserVars = ok;
  }
  return { ...current, reads, nutClient: verified.nutClient, nutUserVars };
}
