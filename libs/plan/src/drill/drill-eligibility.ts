/** The two drills: a read-only rehearsal, or a live shutdown and Wake-on-LAN restart of test hosts. */
export const DRILL_KINDS = ['rehearsal', 'live'] as const;
export type DrillKindName = (typeof DRILL_KINDS)[number];

export function isDrillKind(value: unknown): value is DrillKindName {
  return typeof value === 'string' && (DRILL_KINDS as readonly string[]).includes(value);
}

/** Why a drill may not start, one stable code each. */
export type DrillRefusalCode =
  | 'OUTAGE_OPEN'
  | 'GROUP_EMPTY'
  | 'HOST_NOT_IN_GROUP'
  | 'CONFIRMATION_MISSING'
  | 'CONFIRMATION_MISMATCH'
  | 'DRILL_RUNNING';

export interface DrillRefusal {
  readonly code: DrillRefusalCode;
  readonly message: string;
}

export interface DrillRequestFacts {
  readonly kind: DrillKindName;
  readonly group: { readonly id: string; readonly name: string };
  /** Every host of the group now. */
  readonly groupHostIds: readonly string[];
  /** A subset of the group the operator chose; absent: the whole group. */
  readonly requestedHostIds?: readonly string[];
  /** Live drills: the group's name typed again by the operator. */
  readonly confirm?: string;
  /** A real outage not closed yet. */
  readonly outageOpen: { readonly id: string } | null;
  /** Unfinished drills touching any of these hosts. */
  readonly runningDrillIds: readonly string[];
}

export type DrillEligibility =
  | { readonly ok: true; readonly hostIds: readonly string[] }
  | { readonly ok: false; readonly refusals: readonly DrillRefusal[] };

/**
 * Whether a drill may start, and on which hosts. A live drill powers hosts off for real, so it
 * takes only hosts of the chosen group and only with the group's name typed as confirmation;
 * neither kind starts during a real outage (the outage's plans must never wait for a drill's).
 */
export function drillEligibility(facts: DrillRequestFacts): DrillEligibility {
  const refusals: DrillRefusal[] = [];
  if (facts.outageOpen !== null)
    refusals.push({
      code: 'OUTAGE_OPEN',
      message: `a real outage (${facts.outageOpen.id}) is under way: drills wait until it is closed`,
    });
  if (facts.runningDrillIds.length > 0)
    refusals.push({
      code: 'DRILL_RUNNING',
      message: `drill ${facts.runningDrillIds.join(', ')} is still running on these hosts`,
    });
  const inGroup = new Set(facts.groupHostIds);
  const outside = (facts.requestedHostIds ?? []).filter((id) => !inGroup.has(id));
  if (outside.length > 0)
    refusals.push({
      code: 'HOST_NOT_IN_GROUP',
      message: `${outside.length} host(s) are not in group "${facts.group.name}" (${outside.join(', ')}): a drill takes only hosts of its group`,
    });
  const hostIds = facts.requestedHostIds !== undefined ? [...new Set(facts.requestedHostIds)] : [...facts.groupHostIds];
  if (hostIds.length === 0)
    refusals.push({ code: 'GROUP_EMPTY', message: `group "${facts.group.name}" selects no host to drill` });
  if (facts.kind === 'live') {
    if (facts.confirm === undefined || facts.confirm === '')
      refusals.push({
        code: 'CONFIRMATION_MISSING',
        message: `a live drill powers hosts off: confirm by sending the group's name ("${facts.group.name}") as confirm`,
      });
    else if (facts.confirm !== facts.group.name)
      refusals.push({
        code: 'CONFIRMATION_MISMATCH',
        message: `confirm "${facts.confirm}" is not the group's name "${facts.group.name}"`,
      });
  }
  return refusals.length > 0 ? { ok: false, refusals } : { ok: true, hostIds };
}
