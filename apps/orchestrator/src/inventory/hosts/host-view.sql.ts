import { Prisma } from '@nutfleet/db';
import { LEFT_OFF_MARK } from '@nutfleet/plan';

const ts = (column: string): Prisma.Sql => Prisma.raw(`to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/**
 * The host view as PostgreSQL builds it: one JSON text per host, feeds included. List pages are
 * assembled from these texts (only compacted, once per read-cache refresh: see HostReader.page)
 * and served as ready bytes from the inventory read cache, with no per-request serialisation.
 */
export const HOST_VIEW_JSON = Prisma.sql`json_build_object(
  'id', h.id, 'name', h.name, 'address', h.address, 'sshPort', h."sshPort", 'username', h.username,
  'hasPassword', h."passwordEnc" IS NOT NULL, 'hasPrivateKey', h."privateKeyEnc" IS NOT NULL,
  'hostKeyFingerprint', h."hostKeyFingerprint", 'trustState', h."trustState",
  'macAddresses', h."macAddresses", 'wolBroadcast', h."wolBroadcast", 'wolPort', h."wolPort",
  'groupId', h."groupId", 'group', g.name, 'policyId', h."policyId", 'tags', h.tags,
  'shutdownStage', h."shutdownStage", 'restartWave', h."restartWave", 'minSupplies', h."minSupplies",
  'feeds', COALESCE((
    SELECT json_agg(json_build_object('id', f.id, 'upsId', f."upsId", 'ups', u.name || '@' || s.name, 'powerValue', f."powerValue")
                    ORDER BY s.name, u.name)
    FROM "PowerFeed" f JOIN "Ups" u ON u.id = f."upsId" JOIN "NutServer" s ON s.id = u."nutServerId"
    WHERE f."hostId" = h.id), '[]'::json),
  'esxiVersion', h."esxiVersion", 'esxiBuild', h."esxiBuild", 'vibVersion', h."vibVersion",
  'lastSeenAt', ${ts('h."lastSeenAt"')}, 'lastError', h."lastError",
  'power', json_build_object('state', lower(h."powerState"::text), 'since', ${ts('h."powerStateSince"')},
    'source', h."powerStateSource", 'planId', h."powerStatePlanId", 'wakeAfterOutage', h."wakeAfterOutage",
    'leftOff', COALESCE(strpos(h."powerStateSource", ${LEFT_OFF_MARK}) > 0, false)),
  'createdAt', ${ts('h."createdAt"')}, 'updatedAt', ${ts('h."updatedAt"')}
)`;

export const HOST_FROM = Prisma.sql`FROM "Host" h LEFT JOIN "HostGroup" g ON g.id = h."groupId"`;
