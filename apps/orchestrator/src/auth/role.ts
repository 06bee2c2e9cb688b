import { ApiRole } from '@nutfleet/db';

/** API roles, each including the rights of the ones before it. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

export function roleAllows(held: Role, needed: Role): boolean {
  return roleRank(held) >= roleRank(needed);
}

const TO_DB: Record<Role, ApiRole> = { viewer: ApiRole.VIEWER, operator: ApiRole.OPERATOR, admin: ApiRole.ADMIN };

export function roleToDb(role: Role): ApiRole {
  return TO_DB[role];
}

export function roleFromDb(role: ApiRole): Role {
  return role.toLowerCase() as Role;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
