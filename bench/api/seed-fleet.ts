import { type Client } from 'pg';

export interface SeedCounts {
  hosts: number;
  groups: number;
  upses: number;
}

/**
 * 10,000 hosts in a few set-based statements: 100 groups, 2 NUT servers with 25 UPSes each,
 * tags from a small vocabulary, one or two feeds per host, a few hosts in error.
 */
export async function seedFleet(db: Client, hosts: number): Promise<SeedCounts> {
  await db.query(`
    INSERT INTO "NutServer" (id, name, host, port, "updatedAt")
    SELECT gen_random_uuid(), 'nut-' || i, '10.0.0.' || i, 3493, now() FROM generate_series(1, 2) i`);
  await db.query(`
    INSERT INTO "Ups" (id, "nutServerId", name, "updatedAt")
    SELECT gen_random_uuid(), s.id, 'ups' || i, now() FROM "NutServer" s, generate_series(1, 25) i`);
  await db.query(`
    INSERT INTO "HostGroup" (id, name, "updatedAt")
    SELECT gen_random_uuid(), 'group-' || lpad(i::text, 3, '0'), now() FROM generate_series(1, 100) i`);
  await db.query(
    `
    WITH g AS (SELECT id, row_number() OVER (ORDER BY name) - 1 AS n FROM "HostGroup")
    INSERT INTO "Host" (id, name, address, "passwordEnc", "macAddresses", "groupId", tags, "shutdownStage", "restartWave",
                        "trustState", "lastError", "updatedAt")
    SELECT gen_random_uuid(), 'esx-' || lpad(i::text, 5, '0'), '10.' || (i / 65536) || '.' || ((i / 256) % 256) || '.' || (i % 256),
           'v1:bench:x:y:z', ARRAY['00:50:56:' || lpad(to_hex((i / 65536) % 256), 2, '0') || ':' || lpad(to_hex((i / 256) % 256), 2, '0') || ':' || lpad(to_hex(i % 256), 2, '0')],
           g.id, ARRAY['site-' || (i % 20), 'rack-' || (i % 7)] || CASE WHEN i % 10 = 0 THEN ARRAY['critical'] ELSE ARRAY[]::text[] END,
           i % 4, i % 3,
           (CASE WHEN i % 5 = 0 THEN 'UNTRUSTED' WHEN i % 97 = 0 THEN 'MISMATCH' ELSE 'TRUSTED' END)::"HostTrustState",
           CASE WHEN i % 211 = 0 THEN 'ssh: connection timed out' END, now()
    FROM generate_series(1, $1::int) i JOIN g ON g.n = i % 100`,
    [hosts],
  );
  await db.query(`
    WITH u AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM "Ups"),
         h AS (SELECT id, row_number() OVER (ORDER BY name) AS i FROM "Host")
    INSERT INTO "PowerFeed" (id, "hostId", "upsId", "powerValue")
    SELECT gen_random_uuid(), h.id, u.id, 1 FROM h JOIN u ON u.n = h.i % 50
    UNION ALL
    SELECT gen_random_uuid(), h.id, u.id, 1 FROM h JOIN u ON u.n = (h.i + 25) % 50 WHERE h.i % 2 = 0`);
  await db.query('ANALYZE');
  return { hosts, groups: 100, upses: 50 };
}
