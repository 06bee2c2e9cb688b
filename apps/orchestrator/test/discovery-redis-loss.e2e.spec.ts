import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { type INestApplicationContext } from '@nestjs/common';

import { deleteKeysStartingWith, type EsxiFleet, startEsxiFleet, waitFor } from '@nutfleet/testing';

import { createWorkerApp } from '../../worker/src/worker.app';
import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import { insertSimHost } from './support/simulated-host-rows';

interface Run {
  state: string;
  total: number;
  succeeded: number;
  failed: number;
  pending: number;
  errors: Array<{ hostId: string; error: string }>;
}

describe('discovery runs finish after Redis lost their jobs (PostgreSQL is the truth)', { timeout: 120_000 }, () => {
  let api: ApiTestApp;
  let fleet: EsxiFleet;
  let worker: INestApplicationContext | undefined;
  const hostIds: string[] = [];

  before(async () => {
    api = await startApiTestApp();
    fleet = await startEsxiFleet({ hosts: 4 });
    for (const sim of fleet.hosts)
      hostIds.push(await insertSimHost(api.db.prisma, api.config.secretKey, sim, { trusted: true, tags: ['lost'] }));
  });

  after(async () => {
    await worker?.close();
    await fleet?.stop();
    await api?.close();
  });

  async function run(runId: string): Promise<Run> {
    const res = await api.call<Run>('GET', `/discovery-runs/${runId}`, { token: api.tokens.viewer });
    assert.equal(res.status, 200, res.text);
    return res.body;
  }

  test('a fleet run whose jobs were deleted is re-enqueued by the worker and completes; a day-old one is closed', async () => {
    // Requested while no worker runs, so every job is still waiting in Redis when Redis loses it.
    const queued = await api.call<{ runId: string }>('POST', '/hosts/discover', {
      token: api.tokens.operator,
      body: { tags: ['lost'] },
    });
    assert.equal(queued.status, 202, queued.text);
    const { runId } = queued.body;
    assert.ok((await deleteKeysStartingWith(api.config.redis.url, `${api.config.redis.keyPrefix}:`)) > 0);
    // The reconciler leaves runs younger than 30 s alone (they may still be being enqueued).
    await api.db.prisma.discoveryRun.update({
      where: { id: runId },
      data: { createdAt: new Date(Date.now() - 60_000) },
    });
    // A run from yesterday whose job is long gone: it must end, reported as not discovered.
    const first = hostIds[0] as string;
    const stale = await api.db.prisma.discoveryRun.create({
      data: {
        filter: { hostIds: [first] },
        total: 1,
        createdAt: new Date(Date.now() - 25 * 3600_000),
        hosts: { create: [{ hostId: first }] },
      },
    });
    assert.equal((await run(runId)).state, 'running');

    worker = await createWorkerApp(api.config);

    let finished: Run | undefined;
    await waitFor(
      'the run to finish',
      async () => {
        finished = await run(runId);
        return finished.state === 'finished';
      },
      60_000,
      200,
    );
    assert.deepEqual(
      { total: finished?.total, succeeded: finished?.succeeded, failed: finished?.failed },
      { total: 4, succeeded: 4, failed: 0 },
    );
    const facts = await api.db.prisma.host.findMany({ where: { id: { in: hostIds } }, select: { esxiVersion: true } });
    assert.ok(
      facts.every((h) => h.esxiVersion !== null),
      'every host was really discovered',
    );

    const old = await run(stale.id);
    assert.equal(old.state, 'finished');
    assert.equal(old.failed, 1);
    assert.match(old.errors[0]?.error ?? '', /not discovered within 24 h.*start discovery again/);
  });
});
