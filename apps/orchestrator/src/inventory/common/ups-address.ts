import { type Prisma } from '@nutfleet/db';

export interface UpsAddress {
  name: string;
  server: string;
}

/** `ups@server` as NUT writes it; server = the NutServer's name (or its host when unambiguous). */
export function parseUpsAddress(value: string): UpsAddress | undefined {
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]{0,63})@([^@\s:]{1,253})$/.exec(value);
  if (!match?.[1] || !match[2]) return undefined;
  return { name: match[1], server: match[2] };
}

/** Every UPS keyed by `name@serverName` and, where unambiguous, `name@serverHost`. */
export async function upsDirectory(db: Prisma.TransactionClient): Promise<Map<string, string>> {
  const rows = await db.ups.findMany({
    select: { id: true, name: true, nutServer: { select: { name: true, host: true } } },
  });
  const byName = new Map<string, string>();
  const byHost = new Map<string, string | null>();
  for (const row of rows) {
    byName.set(`${row.name}@${row.nutServer.name}`, row.id);
    const hostKey = `${row.name}@${row.nutServer.host}`;
    byHost.set(hostKey, byHost.has(hostKey) ? null : row.id);
  }
  for (const [key, id] of byHost) if (id !== null && !byName.has(key)) byName.set(key, id);
  return byName;
}
