import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { type PrismaService } from '@nutfleet/db';
import { createTestDatabase, type TestDatabase } from '@nutfleet/testing';

import { FleetSnapshotLoader } from './fleet-snapshot.loader';

let db: TestDatabase;
let loader: FleetSnapshotLoader;

before(async () => {
  db = await createTestDatabase();
  loader = new FleetSnapshotLoader(db.prisma as unknown as PrismaService);
  if ((await db.prisma.policy.count({ where: { isDefault: true } })) === 0)
    await db.prisma.policy.create({ data: { name: 'default', isDefault: true } });
});

after(async () => {
  await db.drop();
});

test('the inventory is read again after every kind of change, and only then', async () => {
  const host = await db.prisma.host.create({ data: { name: 'esxi-01', address: '127.0.0.1' } });
  const first = await loader.load();
  assert.deepEqual(
    first.hosts.map((h) => [h.name, h.powerState]),
    [['esxi-01', 'unknown']],
  );
  assert.equal((await loader.load()).hosts, first.hosts, 'nothing changed: the rows read before are reused');

  // A raw SQL update (the worker's power-state writes are plain SQL), then one through Prisma.
  await db.prisma.$executeRawUnsafe(`UPDATE "Host" SET "powerState" = 'OFF' WHERE "id" = $1::uuid`, host.id);
  assert.deepEqual(
    (await loader.load()).hosts.map((h) => h.powerState),
    ['off'],
  );
  await db.prisma.host.update({ where: { id: host.id }, data: { minSupplies: 2 } });
  assert.deepEqual(
    (await loader.load()).hosts.map((h) => h.minSupplies),
    [2],
  );

  const server = await db.prisma.nutServer.create({ data: { name: 'nut', host: '127.0.0.1', port: 3493 } });
  const ups = await db.prisma.ups.create({ data: { name: 'ups1', nutServerId: server.id } });
  await db.prisma.powerFeed.create({ data: { hostId: host.id, upsId: ups.id } });
  assert.deepEqual(
    (await loader.load()).feeds.map((f) => f.upsId),
    [ups.id],
  );

  const policy = await db.prisma.policy.create({ data: { name: 'strict' } });
  const group = await db.prisma.hostGroup.create({ data: { name: 'rack-a', policyId: policy.id } });
  await db.prisma.host.update({ where: { id: host.id }, data: { groupId: group.id } });
  assert.equal((await loader.load()).hosts[0]?.policyId, policy.id, 'the group policy applies');
  const other = await db.prisma.policy.create({ data: { name: 'other' } });
  await db.prisma.hostGroup.update({ where: { id: group.id }, data: { policyId: other.id } });
  assert.equal((await loader.load()).hosts[0]?.policyId, other.id, "a group's new policy is seen");
  await db.prisma.policy.update({ where: { id: other.id }, data: { onLowBattery: false } });
  assert.equal(
    (await loader.load()).policies.find((p) => p.id === other.id)?.triggers.onLowBattery,
    false,
    "a policy's new setting is seen",
  );

  await db.prisma.host.delete({ where: { id: host.id } });
  assert.deepEqual((await loader.load()).hosts, []);
});
