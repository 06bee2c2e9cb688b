import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { openSecret } from '@nutfleet/db';
import { createTestDatabase, testConfig, type TestDatabase } from '@nutfleet/testing';

import { DEMO_HOST_COUNT, DEMO_ROOT_PASSWORD, DEMO_TAG } from '../demo-fleet';
import { seed } from '../seed';

describe('seed', () => {
  let db: TestDatabase;

  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db?.drop();
  });
  beforeEach(async () => {
    await db.prisma.powerFeed.deleteMany();
    await db.prisma.host.deleteMany();
    await db.prisma.ups.deleteMany();
    await db.prisma.nutServer.deleteMany();
    await db.prisma.policy.deleteMany();
  });

  async function counts(): Promise<Record<string, number>> {
    return {
      policies: await db.prisma.policy.count(),
      servers: await db.prisma.nutServer.count(),
      upses: await db.prisma.ups.count(),
      hosts: await db.prisma.host.count(),
      feeds: await db.prisma.powerFeed.count(),
    };
  }

  test('an empty installation gets the default policy and the demo fleet, and a second run changes nothing', async () => {
    const config = testConfig({ DATABASE_URL: db.url });
    assert.deepEqual(await seed(db.prisma, config), { demo: true });
    const first = await counts();
    assert.deepEqual(first, { policies: 1, servers: 1, upses: 2, hosts: DEMO_HOST_COUNT, feeds: 16 });
    assert.deepEqual(await seed(db.prisma, config), { demo: true });
    assert.deepEqual(await counts(), first);
  });

  test('demo credentials are sealed, never stored in clear', async () => {
    const config = testConfig({ DATABASE_URL: db.url });
    await seed(db.prisma, config);
    const host = await db.prisma.host.findFirstOrThrow({ where: { tags: { has: DEMO_TAG } } });
    assert.ok(host.passwordEnc && !host.passwordEnc.includes(DEMO_ROOT_PASSWORD));
    assert.equal(openSecret(host.passwordEnc, [config.secretKey], `host:${host.id}:password`), DEMO_ROOT_PASSWORD);
  });

  test('a new secret key re-seals the demo credentials at the next seed', async () => {
    await seed(db.prisma, testConfig({ DATABASE_URL: db.url }));
    const config = testConfig({ DATABASE_URL: db.url });
    await seed(db.prisma, config);
    const host = await db.prisma.host.findFirstOrThrow({ where: { tags: { has: DEMO_TAG } } });
    assert.equal(
      openSecret(host.passwordEnc ?? '', [config.secretKey], `host:${host.id}:password`),
      DEMO_ROOT_PASSWORD,
    );
    const server = await db.prisma.nutServer.findFirstOrThrow();
    assert.equal(
      openSecret(server.passwordEnc ?? '', [config.secretKey], `nutServer:${server.id}:password`),
      'demo-nut-password',
    );
  });

  test('no demo data once a real host is configured', async () => {
    await db.prisma.host.create({ data: { name: 'esx-prod-1', address: '192.0.2.10' } });
    assert.deepEqual(await seed(db.prisma, testConfig({ DATABASE_URL: db.url })), { demo: false });
    const c = await counts();
    assert.equal(c.hosts, 1);
    assert.equal(c.servers, 0);
  });

  test('the demo hosts take NUTFLEET_DEMO_SSH_BASE_PORT and the ports after it, and follow a change of it', async () => {
    const config = (base: number) => testConfig({ DATABASE_URL: db.url, NUTFLEET_DEMO_SSH_BASE_PORT: String(base) });
    const ports = async (): Promise<number[]> =>
      (await db.prisma.host.findMany({ where: { tags: { has: DEMO_TAG } }, orderBy: { sshPort: 'asc' } })).map(
        (h) => h.sshPort,
      );
    await seed(db.prisma, config(24001));
    assert.deepEqual(
      await ports(),
      Array.from({ length: DEMO_HOST_COUNT }, (_, i) => 24001 + i),
    );
    await seed(db.prisma, config(25001));
    assert.deepEqual(
      await ports(),
      Array.from({ length: DEMO_HOST_COUNT }, (_, i) => 25001 + i),
    );
  });

  test('NUTFLEET_DEMO=off seeds only the default policy', async () => {
    assert.deepEqual(await seed(db.prisma, testConfig({ DATABASE_URL: db.url, NUTFLEET_DEMO: 'off' })), {
      demo: false,
    });
    assert.deepEqual(await counts(), { policies: 1, servers: 0, upses: 0, hosts: 0, feeds: 0 });
  });
});
