import { type Prisma } from '@nutfleet/db';

/** Which hosts a plan covers: any combination; `all` wins. Hosts and groups by id or name. */
export interface PlanTargets {
  readonly all?: boolean;
  readonly hosts?: readonly string[];
  readonly groups?: readonly string[];
  readonly tags?: readonly string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Prisma filter for the targets; null when they select nothing. */
export function hostFilter(targets: PlanTargets): Prisma.HostWhereInput | null {
  if (targets.all === true) return {};
  const or: Prisma.HostWhereInput[] = [];
  const hosts = targets.hosts ?? [];
  const groups = targets.groups ?? [];
  if (hosts.length > 0) {
    or.push({ id: { in: hosts.filter((h) => UUID.test(h)) } }, { name: { in: [...hosts] } });
  }
  if (groups.length > 0) {
    or.push({ groupId: { in: groups.filter((g) => UUID.test(g)) } }, { group: { name: { in: [...groups] } } });
  }
  if ((targets.tags ?? []).length > 0) or.push({ tags: { hasSome: [...(targets.tags ?? [])] } });
  return or.length > 0 ? { OR: or } : null;
}
