/**
 * Each host's power state, as the API reports it, through a whole outage: a real upsd + dummy-ups,
 * the orchestrator in this process, the worker as a real process, simulated hosts over SSH that
 * wake on magic packets. What the API says is checked against what the simulated hosts really are.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { type EsxiFleet, type NutTestbed, type TestDatabase, waitFor } from '@nutfleet/testing';

import { insertOutageHost, poweroffTimes } from './support/outage-fleet';
import { OutageRig } from './support/outage-rig';

interface HostPowerView {
  state: 'on' | 'off' | 'unreachable' | 'unknown';
  since: string | null;
  source: string | null;
  planId: string | null;
  wakeAfterOutage: boolean;
  leftOff: boolean;
}

describe('host power state through an outage', { timeout: 600_000 }, () => {
  let rig: OutageRig;
  let db: TestDatabase;
  let bed: NutTestbed;
  let fleet: EsxiFleet;
  let base = '';
  let token = '';
  const hostIds: string[] = [];
  const api = async <T>(method: string, path: string): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${base}${path}`, { method, headers: { Authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as T };
  };
  const LEFT_OFF = /operator:.*power-op.*: left off, not woken by nutfleet$/;
  const powerOf = async (i: number): Promise<HostPowerView> =>
    (await api<{ power: HostPowerView }>('GET', `/hosts/${hostIds[i] ?? ''}`)).body.power;
  const powerIs = (i: number, state: HostPowerView['state']) => async () => (await powerOf(i)).state === state;
  const listed = async (state: string): Promise<string[]> =>
    (await api<{ items: Array<{ id: string }> }>('GET', `/hosts?power=${state}&limit=50`)).body.items.map((h) => h.id);

  before(async () => {
    rig = await OutageRig.start({
      upses: 2,
      fleet: { hosts: [{ vms: [] }, { vms: [] }, { vms: [] }], seed: 'host-power-e2e', msPerSecond: 50 },
      env: {
        HOST_RETURN_PROBE_INTERVAL_MS: '300',
        HOST_SESSION_WARM_INTERVAL_MS: '1000',
        // A host not back this long after its wake is reported (the simulated ones boot in 0.5 s).
        RESTART_HOST_TIMEOUT_SECONDS: '5',
      },
    });
    ({ db, bed, fleet } = rig);
    await db.prisma.policy.updateMany({
      where: { isDefault: true },
      data: { restartStableSeconds: 1, restartMinChargePercent: 0, pointOfNoReturnSeconds: 1 },
    });
    // Hosts 0 and 1 on ups1, host 2 on ups2 (never on battery here).
    for (const [i, ups] of ['ups1', 'ups1', 'ups2'].entries()) {
      const sim = fleet.host(i);
      const id = await insertOutageHost(db.prisma, rig.config.secretKey, sim, {
        stage: 0,
        minSupplies: 1,
        upsIds: [rig.nut.upsId(ups)],
        wakeOnLan: fleet,
      });
      hostIds.push(id);
    }
    token = await rig.token('power-op');
    await rig.startProcesses();
    base = rig.base;
    await rig.upsesOnLine(2);
  });
  after(() => rig?.stop());

  test('hosts nutfleet never observed are unknown, and the SSH warm-up makes them on', async () => {
    // The warm-up answers within a second of the worker's start: before it, nothing was observed.
    await waitFor('every host on', async () => (await listed('on')).length === 3, 20_000, 200);
    const power = await powerOf(2);
    assert.equal(power.source, 'SSH answered');
    assert.ok(power.since !== null);
    assert.deepEqual(await listed('unknown'), []);
  });

  test('an automatic shutdown makes its hosts off, naming the plan; the API filter and the simulator agree', async () => {
    bed.setStatus('ups1', 'OB DISCHRG LB');
    await waitFor('hosts 0 and 1 known off', async () => (await listed('off')).length === 2, 60_000, 200);
    const plan = await db.prisma.plan.findFirstOrThrow({ where: { kind: 'SHUTDOWN', createdBy: 'power-monitor' } });
    for (const i of [0, 1]) {
      assert.equal(fleet.host(i).power, 'off', `host ${i} really is off`);
      const power = await powerOf(i);
      assert.equal(power.state, 'off');
      assert.equal(power.planId, plan.id);
      assert.equal(power.source, `plan:${plan.id}: powered off, verified down`);
      assert.equal(power.wakeAfterOutage, true, "nutfleet's own shutdown owes it a wake");
    }
    assert.deepEqual((await listed('off')).sort(), [hostIds[0], hostIds[1]].sort());
    assert.equal((await powerOf(2)).state, 'on', 'host 2 was not in the plan');
    assert.equal(fleet.host(2).power, 'on');
  });

  test('an operator leaves host 1 off: the restart wakes host 0 only, and both states say why', async () => {
    const left = await api<HostPowerView>('POST', `/hosts/${hostIds[1] ?? ''}/leave-off`);
    assert.equal(left.status, 200);
    assert.equal(left.body.state, 'off');
    assert.equal(left.body.leftOff, true);
    assert.equal(left.body.wakeAfterOutage, false);
    assert.match(left.body.source ?? '', /^operator:.*power-op.*left off/);
    bed.setStatus('ups1', 'OL CHRG');
    await waitFor('host 0 woken and verified', powerIs(0, 'on'), 90_000, 200);
    await rig.outageOver();
    const woken = await powerOf(0);
    const restart = await db.prisma.plan.findFirstOrThrow({ where: { kind: 'RESTART' } });
    assert.equal(woken.source, `plan:${restart.id}: woken, ESXi answers`);
    assert.equal(woken.wakeAfterOutage, false);
    assert.equal(fleet.host(0).power, 'on');
    assert.equal(fleet.host(1).wolPacketsReceived, 0, 'a host left off is never woken');
    assert.equal(fleet.host(1).power, 'off');
    assert.equal((await powerOf(1)).state, 'off');
    const audit = await db.prisma.auditEntry.findFirst({ where: { action: 'host.power.leave-off' } });
    assert.ok(audit !== null, 'the decision is audited');
  });

  test('a host that comes back by itself is on at once, and the next OB LB powers it off again', async () => {
    assert.ok(fleet.host(1).pressPowerButton());
    const pressedAt = Date.now();
    await waitFor('host 1 seen back', powerIs(1, 'on'), 20_000, 100);
    const back = await powerOf(1);
    assert.equal(back.source, 'returned by itself: SSH answered');
    assert.equal(back.leftOff, false, 'it is up again: the old decision no longer describes it');
    assert.ok(Date.parse(back.since ?? '') >= pressedAt, 'dated when it was seen, not before');
    const before = poweroffTimes(fleet.host(1)).length;
    bed.setStatus('ups1', 'OB DISCHRG LB');
    await waitFor('host 1 powered off again', powerIs(1, 'off'), 60_000, 200);
    assert.equal(poweroffTimes(fleet.host(1)).length, before + 1, 'one more poweroff, once');
    assert.equal(fleet.host(1).power, 'off');
    bed.setStatus('ups1', 'OL CHRG');
    await waitFor('host 1 woken again', powerIs(1, 'on'), 90_000, 200);
    await rig.outageOver();
  });

  test('allow-wake undoes leave-off; an unknown host and a bad filter are refused', async () => {
    assert.equal((await api<HostPowerView>('POST', `/hosts/${hostIds[2] ?? ''}/leave-off`)).body.leftOff, true);
    const allowed = await api<HostPowerView>('POST', `/hosts/${hostIds[2] ?? ''}/allow-wake`);
    assert.equal(allowed.body.leftOff, false);
    assert.equal(allowed.body.state, 'on');
    assert.equal((await api('POST', '/hosts/00000000-0000-4000-8000-000000000000/leave-off')).status, 404);
    assert.equal((await api('GET', '/hosts?power=sleeping')).status, 400);
  });

  test('a host left off that stops answering is unreachable and still left off; answering, then discovered, it is on and still left off', async () => {
    const sim = fleet.host(2);
    assert.equal((await api<HostPowerView>('POST', `/hosts/${hostIds[2] ?? ''}/leave-off`)).body.leftOff, true);
    await sim.cutPower();
    await waitFor('host 2 unreachable', powerIs(2, 'unreachable'), 20_000, 100);
    const lost = await powerOf(2);
    assert.match(lost.source ?? '', /^SSH: .*ECONNREFUSED/);
    assert.match(lost.source ?? '', LEFT_OFF, 'an SSH failure does not undo the decision');
    assert.equal(lost.leftOff, true);

    assert.ok(sim.pressPowerButton());
    await waitFor('host 2 answers again', powerIs(2, 'on'), 20_000, 100);
    const answered = await powerOf(2);
    assert.match(answered.source ?? '', /^SSH answered; /);
    assert.equal(answered.leftOff, true, 'it was never known down: the decision holds');

    const queued = await api<{ runId: string }>('POST', `/hosts/${hostIds[2] ?? ''}/discover`);
    assert.equal(queued.status, 202);
    await waitFor(
      'the discovery to be recorded',
      async () => ((await powerOf(2)).source ?? '').startsWith('discovery: SSH and ESXi answered'),
      20_000,
      100,
    );
    const discovered = await powerOf(2);
    assert.equal(discovered.state, 'on');
    assert.match(discovered.source ?? '', LEFT_OFF);
    assert.equal(sim.power, 'on');
    assert.equal((await api<HostPowerView>('POST', `/hosts/${hostIds[2] ?? ''}/allow-wake`)).body.leftOff, false);
  });

  test('a host its magic packets never reach stays off after the restart, says why, and is still owed a wake', async () => {
    const sim = fleet.host(2);
    // Its recorded MAC is not its NIC's: the packets go nowhere.
    await db.prisma.host.update({ where: { id: hostIds[2] ?? '' }, data: { macAddresses: ['02:00:5e:00:00:99'] } });
    const packets = sim.wolPacketsReceived;
    bed.setStatus('ups2', 'OB DISCHRG LB');
    await waitFor('host 2 powered off', powerIs(2, 'off'), 60_000, 200);
    assert.equal(sim.power, 'off');
    bed.setStatus('ups2', 'OL CHRG');
    await waitFor(
      'the restart to give up on host 2',
      async () => /not back after Wake-on-LAN/.test((await powerOf(2)).source ?? ''),
      90_000,
      200,
    );
    await rig.outageOver();
    const restart = await db.prisma.plan.findFirstOrThrow({
      where: { kind: 'RESTART' },
      orderBy: { createdAt: 'desc' },
    });
    const power = await powerOf(2);
    assert.equal(power.state, 'off');
    assert.match(power.source ?? '', new RegExp(`^plan:${restart.id}: not back after Wake-on-LAN: `));
    assert.equal(power.wakeAfterOutage, true, 'the next restart tries again');
    assert.equal(sim.power, 'off', 'really still off');
    assert.equal(sim.wolPacketsReceived, packets, 'no packet reached it');
  });
});
