import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { type INestApplicationContext } from '@nestjs/common';

import { sealSecret } from '@nutfleet/db';
import { type EsxiFleet, type NutTestbed, startEsxiFleet, startNutTestbed, waitFor } from '@nutfleet/testing';

import { createWorkerApp } from '../../worker/src/worker.app';
import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import { HttpReceiver, type ReceivedRequest } from './support/http-receiver';
import { insertNutServer, testbedServerRow } from './support/nut-server-rows';
import { discoverAll, insertFedHost, runRollout, uploadVib } from './support/rollout-fleet';

interface ReadinessView {
  score: number | null;
  threshold: number;
  hosts: {
    hostId: string;
    hostName: string;
    score: number | null;
    checks: { code: string; ok: boolean; message: string; checkedAt: string }[];
  }[];
  groups: { groupId: string | null; score: number | null; hosts: number; failingHosts: number }[];
}

const TOPIC = '/readiness';
/** Each host is checked every 5 s (the smallest interval): a break shows within one interval. */
const INTERVAL_SECONDS = 5;
const NAMES = ['ready-a', 'ready-b'];
const HEALTHY_BATTERY = { 'battery.charge': '100', 'battery.runtime': '3600' };

// The whole path against the ESXi simulator and a real upsd: the orchestrator schedules and
// judges, an in-process worker runs the SSH checks, the dispatcher notifies a local ntfy-like
// receiver. Each test breaks one thing on ready-a, sees its check fail first, the score and the
// gauge drop and exactly one notification, then restores it and sees the score come back.
describe('fleet readiness: each check broken in turn on a simulated host', { timeout: 400_000 }, () => {
  let api: ApiTestApp;
  let worker: INestApplicationContext;
  let bed: NutTestbed;
  let fleet: EsxiFleet;
  let receiver: HttpReceiver;
  let storage = '';
  const ids = new Map<string, string>();
  const idOf = (name: string): string => ids.get(name) ?? name;
  const simA = () => fleet.host(0);

  const readiness = async (): Promise<ReadinessView> => {
    const res = await api.call<ReadinessView>('GET', '/fleet/readiness', { token: api.tokens.viewer });
    assert.equal(res.status, 200, res.text);
    return res.body;
  };
  const hostOf = (view: ReadinessView, name: string) => {
    const host = view.hosts.find((h) => h.hostName === name);
    assert.ok(host, `${name} is listed`);
    return host;
  };
  const waitView = async (what: string, ok: (view: ReadinessView) => boolean): Promise<ReadinessView> => {
    let last: ReadinessView | undefined;
    try {
      await waitFor(
        what,
        async () => {
          last = await readiness();
          return ok(last);
        },
        45_000,
        250,
      );
    } catch (error) {
      throw new Error(`${String(error)}; last view: ${JSON.stringify(last?.hosts)}`);
    }
    return last as ReadinessView;
  };
  const allReady = (view: ReadinessView): boolean =>
    view.hosts.length === NAMES.length && view.hosts.every((h) => h.score === 100);
  /** nutfleet_readiness_host_score of one host, as scraped. */
  const gauge = async (name: string): Promise<number | null> => {
    const res = await api.call('GET', '/metrics', { token: api.tokens.viewer });
    assert.equal(res.status, 200, res.text);
    const line = res.text
      .split('\n')
      .find((l) => l.startsWith('nutfleet_readiness_host_score{') && l.includes(`host="${name}"`));
    return line === undefined ? null : Number(line.split(' ').pop());
  };
  const notes = (name: string, kind: 'not ready' | 'ready again'): ReceivedRequest[] =>
    receiver.to(TOPIC).filter((r) => String(r.headers.title ?? '').includes(`Host ${name} is ${kind}`));

  /** Breaks something, checks what an administrator would see, restores it, checks again. */
  async function breakAndRestore(code: string, breakIt: () => Promise<void>, restore: () => Promise<void>) {
    const dropsBefore = notes('ready-a', 'not ready').length;
    const recoveriesBefore = notes('ready-a', 'ready again').length;
    await breakIt();
    const broken = await waitView(`${code} failing first on ready-a`, (v) => {
      const first = hostOf(v, 'ready-a').checks[0];
      return first?.code === code && !first.ok;
    });
    const a = hostOf(broken, 'ready-a');
    assert.ok(a.score !== null && a.score < broken.threshold, `score ${String(a.score)} below the threshold`);
    assert.equal(hostOf(broken, 'ready-b').score, 100, 'the other host is untouched');
    assert.ok(broken.hosts.indexOf(a) < broken.hosts.indexOf(hostOf(broken, 'ready-b')), 'lowest score listed first');
    await waitFor('the gauge to show the drop', async () => (await gauge('ready-a')) === a.score, 10_000, 250);
    await waitFor(
      `readiness drop of ready-a for ${code} notified`,
      async () => notes('ready-a', 'not ready').length > dropsBefore,
      20_000,
      100,
    );
    // Two more intervals of checks still failing: no second notification.
    await new Promise((resolve) => setTimeout(resolve, 2 * INTERVAL_SECONDS * 1000));
    assert.equal(notes('ready-a', 'not ready').length, dropsBefore + 1, 'exactly one notification per crossing');
    const note = notes('ready-a', 'not ready').at(-1);
    assert.match(note?.body ?? '', new RegExp(code));

    await restore();
    await waitView(`ready-a back to 100 after restoring ${code}`, allReady);
    await waitFor('the gauge to show 100', async () => (await gauge('ready-a')) === 100, 10_000, 250);
    await waitFor(
      `readiness recovery of ready-a after ${code} notified`,
      async () => notes('ready-a', 'ready again').length > recoveriesBefore,
      20_000,
      100,
    );
    assert.equal(notes('ready-a', 'ready again').length, recoveriesBefore + 1);
  }

  before(async () => {
    storage = mkdtempSync(join(tmpdir(), 'nutfleet-readiness-'));
    bed = await startNutTestbed({
      upses: [
        { name: 'ups1', variables: HEALTHY_BATTERY },
        { name: 'ups2', variables: HEALTHY_BATTERY },
      ],
    });
    receiver = await HttpReceiver.start();
    api = await startApiTestApp({
      ARTIFACT_STORAGE_DIR: storage,
      POWER_MONITOR_ENABLED: 'true',
      POWER_MONITOR_POLL_INTERVAL_MS: '500',
      POWER_MONITOR_INVENTORY_REFRESH_MS: '500',
      POWER_MONITOR_LEASE_TTL_MS: '3000',
      NOTIFY_DISPATCH_INTERVAL_MS: '200',
      PLAN_RECONCILE_INTERVAL_MS: '1000',
      FLEET_READINESS_INTERVAL_SECONDS: String(INTERVAL_SECONDS),
      FLEET_READINESS_ENABLED: 'true',
    });
    worker = await createWorkerApp(api.config);
    await worker.init();
    fleet = await startEsxiFleet({
      hosts: NAMES.map((hostname) => ({ acceptanceLevel: 'CommunitySupported' as const, hostname })),
      seed: 'fleet-readiness-e2e',
    });
    const nut = await insertNutServer(api.db.prisma, api.config.secretKey, testbedServerRow(bed, 'site-r'));
    for (const [i, name] of NAMES.entries()) {
      const sim = fleet.host(i);
      const id = await insertFedHost(api.db.prisma, api.config.secretKey, sim, {
        upsIds: [nut.upsId(`ups${i + 1}`)],
        name,
      });
      await api.db.prisma.host.update({ where: { id }, data: { macAddresses: [sim.mac] } });
      ids.set(name, id);
      // A restart two days ago woke it and verified ESXi: Wake-on-LAN is proven.
      const woke = Date.now() - 2 * 86_400_000;
      await api.db.prisma.plan.create({
        data: {
          kind: 'RESTART',
          mode: 'ARMED',
          state: 'SUCCEEDED',
          steps: {
            create: [
              { key: `host:${id}:wake`, hostId: id, action: 'wake', state: 'SUCCEEDED', finishedAt: new Date(woke) },
              {
                key: `host:${id}:verify-esxi`,
                hostId: id,
                action: 'verify-esxi',
                state: 'SUCCEEDED',
                finishedAt: new Date(woke + 90_000),
              },
            ],
          },
        },
      });
    }
    // As an administrator would: discover, then install and configure NutClient.
    await discoverAll(api, NAMES.length);
    const artifactId = await uploadVib(api);
    const rollout = await runRollout(api, { action: 'install', artifactId, target: { hosts: [...ids.values()] } });
    assert.equal(rollout.state, 'SUCCEEDED', JSON.stringify(rollout.hosts));

    // The baseline: every check passes on both hosts, and no alert is pending.
    await waitView('both hosts fully ready', allReady);
    await waitFor(
      'no pending readiness alert',
      async () => (await api.db.prisma.fleetReadinessAlert.count()) === 0,
      20_000,
      200,
    );
    // Routed only now: what was not ready while the fleet was being set up is not part of the test.
    const channel = await api.call('POST', '/notifications/channels', {
      body: {
        name: 'readiness-pager',
        kind: 'NTFY',
        webhookUrl: `${receiver.base}${TOPIC}`,
        routes: [{ eventTypes: ['readiness.dropped', 'readiness.recovered'] }],
      },
    });
    assert.equal(channel.status, 201, channel.text);
  });

  after(async () => {
    await worker?.close();
    await api?.close();
    await fleet?.stop();
    await bed?.stop();
    await receiver?.close();
    if (storage) rmSync(storage, { recursive: true, force: true });
  });

  test('the baseline: every check of every host passes, with what it saw', async () => {
    const view = await readiness();
    assert.equal(view.score, 100);
    const a = hostOf(view, 'ready-a');
    assert.deepEqual(a.checks.map((c) => c.code).sort(), [
      'AUTOSTART',
      'ESXI_ANSWERS',
      'FSD_CLEAR',
      'HOST_UPSC',
      'NUT_LOGIN',
      'RUNTIME_MARGIN',
      'SSH_AUTH',
      'VIB_IN_SYNC',
      'VM_TOOLS',
      'WOL_MAC',
      'WOL_PROVEN',
    ]);
    const message = (code: string) => a.checks.find((c) => c.code === code)?.message ?? '';
    assert.match(message('ESXI_ANSWERS'), /^ESXi 8\./);
    assert.match(message('HOST_UPSC'), new RegExp(`ups1@${bed.host}:${bed.port}: OL`));
    assert.match(message('WOL_MAC'), new RegExp(simA().mac.replace(/[:-]/g, '.')));
    assert.match(message('RUNTIME_MARGIN'), /against 3600 s of battery runtime/);
    // The simulator's command log: the checks only read.
    const writes = simA()
      .commandLog.map((c) => c.line)
      .filter((line) => /vim-cmd vmsvc\/get\.guest|upsc/.test(line));
    assert.ok(writes.length > 0, 'the host-side upsc and the Tools state were read over SSH');
    assert.equal(await gauge('ready-a'), 100);
  });

  test('wrong password: SSH_AUTH fails', async () => {
    const id = idOf('ready-a');
    const seal = (password: string) => sealSecret(password, api.config.secretKey, `host:${id}:password`);
    await breakAndRestore(
      'SSH_AUTH',
      async () => {
        await api.db.prisma.host.update({ where: { id }, data: { passwordEnc: seal('not-the-password') } });
      },
      async () => {
        await api.db.prisma.host.update({ where: { id }, data: { passwordEnc: seal(simA().password) } });
      },
    );
  });

  test('changed host key: SSH_AUTH fails, the host is blocked until re-trusted', async () => {
    await breakAndRestore(
      'SSH_AUTH',
      async () => {
        simA().injectFault({ kind: 'host-key-changed' });
        simA().dropConnections();
      },
      async () => {
        simA().clearFaults('host-key-changed');
        simA().dropConnections();
        await api.db.prisma.host.update({
          where: { id: idOf('ready-a') },
          data: { trustState: 'TRUSTED', lastError: null },
        });
      },
    );
  });

  test('NutClient VIB removed: VIB_IN_SYNC fails', async () => {
    const vibs = simA().state.vibs;
    const saved = new Map(vibs);
    await breakAndRestore(
      'VIB_IN_SYNC',
      async () => {
        vibs.clear();
      },
      async () => {
        for (const [name, vib] of saved) vibs.set(name, vib);
      },
    );
  });

  test('the host-side upsc cannot reach its UPS: HOST_UPSC fails', async () => {
    const target = `ups1@${bed.host}:${bed.port}`;
    await breakAndRestore(
      'HOST_UPSC',
      async () => {
        simA().state.unreachableUpses.add(target);
      },
      async () => {
        simA().state.unreachableUpses.delete(target);
      },
    );
  });

  test('VMware Tools stopped in a VM the plan shuts down from the guest: VM_TOOLS fails', async () => {
    const vm = simA().state.vms.find((v) => v.name === 'app01');
    assert.ok(vm);
    await breakAndRestore(
      'VM_TOOLS',
      async () => {
        vm.toolsStopped = true;
      },
      async () => {
        vm.toolsStopped = false;
      },
    );
  });

  test('MAC address missing: WOL_MAC fails', async () => {
    const id = idOf('ready-a');
    await breakAndRestore(
      'WOL_MAC',
      async () => {
        await api.db.prisma.host.update({ where: { id }, data: { macAddresses: [] } });
      },
      async () => {
        await api.db.prisma.host.update({ where: { id }, data: { macAddresses: [simA().mac] } });
      },
    );
  });

  test('RUNTIME_MARGIN predicts from what earlier armed plans measured, as the outage plan does', async () => {
    const id = idOf('ready-a');
    const predicted = (view: ReadinessView): number => {
      const message = hostOf(view, 'ready-a').checks.find((c) => c.code === 'RUNTIME_MARGIN')?.message ?? '';
      return Number(/^predicted shutdown (\d+) s/.exec(message)?.[1] ?? Number.NaN);
    };
    // Nothing measured yet: the policies' worst case.
    const worstCase = predicted(await readiness());
    assert.ok(Number.isFinite(worstCase) && worstCase > 20, String(worstCase));
    // An armed plan yesterday took ready-a from poweroff to verified down in 8 s.
    const finishedAt = new Date(Date.now() - 86_400_000);
    const plan = await api.db.prisma.plan.create({
      data: {
        kind: 'SHUTDOWN',
        mode: 'ARMED',
        state: 'SUCCEEDED',
        steps: {
          create: [
            {
              key: `host:${id}:power-off`,
              hostId: id,
              action: 'host-power-off',
              state: 'SUCCEEDED',
              startedAt: new Date(finishedAt.getTime() - 8_000),
              finishedAt,
            },
          ],
        },
      },
    });
    const measured = predicted(
      await waitView('a prediction from the measured power-off', (v) => predicted(v) < worstCase),
    );
    assert.ok(measured <= worstCase - 1, `${measured} s predicted, worst case ${worstCase} s`);
    await api.db.prisma.plan.delete({ where: { id: plan.id } });
    await waitView('the worst case again once the measurement is gone', (v) => predicted(v) === worstCase);
  });

  test('battery runtime below the plan: RUNTIME_MARGIN fails', async () => {
    await breakAndRestore(
      'RUNTIME_MARGIN',
      async () => {
        bed.setVariables('ups1', { 'battery.charge': '35', 'battery.runtime': '45' });
      },
      async () => {
        bed.setVariables('ups1', HEALTHY_BATTERY);
      },
    );
  });
});
