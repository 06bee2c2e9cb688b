import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { type EsxiFleet } from '@nutfleet/testing';

import { type ApiTestApp } from './support/api-test-app';
import {
  discoverAll,
  insertFedHost,
  runRollout,
  uploadVib,
  type RolloutEnv,
  startRolloutEnv,
} from './support/rollout-fleet';

const NUT_PASSWORD = 'bounds-Pa55-secret';
/** A fleet in sync: three hosts in stage 1 on ups1. */
const FLEET = ['site-a', 'site-b', 'site-c'];

interface Drift {
  drifted: Array<{ hostName: string; reasons: string[]; userVarChanges: Array<{ name: string }> }>;
}
interface Desired {
  ok: boolean;
  userVars: Record<string, string | number>;
  reasons: Record<string, string>;
  plannedShutdownDeadlineSeconds: number;
  deadline: {
    seconds: number;
    upses: string[];
    earlierStages: Array<{ stage: number; seconds: number; boundedBy: string }>;
  };
  warnings: string[];
}

describe(
  "a host's desired UserVars depend only on what bounds it, never on the rest of the fleet",
  { timeout: 120_000 },
  () => {
    let env: RolloutEnv;
    let api: ApiTestApp;
    let fleet: EsxiFleet;
    const ids = new Map<string, string>();

    const drift = async (): Promise<Drift> => {
      const res = await api.call<Drift>('GET', '/hosts/drift', { token: api.tokens.viewer });
      assert.equal(res.status, 200, res.text);
      return res.body;
    };
    const desired = async (name: string): Promise<Desired> => {
      const res = await api.call<Desired>('GET', `/hosts/${ids.get(name)}/desired-config`, {
        token: api.tokens.viewer,
      });
      assert.equal(res.status, 200, res.text);
      assert.ok(res.body.ok, res.text);
      return res.body;
    };
    const importCsv = async (rows: string[]): Promise<void> => {
      const res = await api.call('POST', '/hosts/import', {
        token: api.tokens.operator,
        raw: { contentType: 'text/csv', data: ['name,address,shutdownStage,feeds', ...rows].join('\n') },
      });
      assert.equal(res.status, 200, res.text);
    };

    before(async () => {
      env = await startRolloutEnv({
        names: FLEET,
        seed: 'bounds-e2e',
        upses: ['ups1', 'ups2'],
        nutPassword: NUT_PASSWORD,
      });
      ({ api, fleet } = env);
      const { nut } = env;
      for (const [i, name] of FLEET.entries()) {
        const id = await insertFedHost(api.db.prisma, api.config.secretKey, fleet.host(i), {
          upsIds: [nut.upsId('ups1')],
          name,
        });
        await api.db.prisma.host.update({ where: { id }, data: { shutdownStage: 1 } });
        ids.set(name, id);
      }
      const artifactId = await uploadVib(api);
      // Discovered (the VMs set each host's own steps), then installed and configured.
      await discoverAll(api, FLEET.length);
      const done = await runRollout(api, { action: 'install', artifactId, target: { drifted: true } });
      assert.equal(done.state, 'SUCCEEDED', JSON.stringify(done.hosts));
    });

    after(async () => {
      assert.deepEqual((await env?.stop()) ?? [], [], 'the NUT password appeared in an API response');
    });

    test('the fleet is in sync, and each desired value says why it has that value', async () => {
      assert.deepEqual((await drift()).drifted, []);
      const d = await desired('site-a');
      assert.deepEqual(d.deadline.upses, ['ups1@nut1']);
      assert.deepEqual(d.deadline.earlierStages, []);
      assert.match(
        d.reasons['NutFinalDelay'] ?? '',
        /^L \+ D \+ M = 0 \+ \d+ \+ 60 = \d+ s: .*stage 1 is the first to go down in an outage of ups1@nut1/,
      );
      assert.match(
        d.reasons['NutOnBatteryDelay'] ?? '',
        // The seeded default policy shuts down after 300 s on battery: the host's own client waits
        // that, the plan's deadline and the margin, minus its own final delay.
        /^T \+ D \+ M − NutFinalDelay = 300 \+ \d+ \+ 60 − \d+ = \d+ s \(at least 1\): policy "default" shuts down after 300 s on battery/,
      );
      assert.match(d.reasons['NutUpsName'] ?? '', /ups1@nut1\.lan \(NUT server nut1\)/);
      assert.match(d.reasons['NutPassword'] ?? '', /monitoring password of NUT server nut1 \(never shown\)/);
      assert.match(d.reasons['NutSendMail'] ?? '', /^0 \(no mail from the host\)/);
      for (const name of Object.keys(d.userVars)) assert.ok(d.reasons[name], `a reason for ${name}`);
    });

    test('20 hosts imported in another stage or on other UPSes leave no other host drifting', async () => {
      const before = await Promise.all(FLEET.map(desired));
      await importCsv([
        // Earlier stage, other UPS: it would hold stage 1 back only if ups2 failed too.
        ...Array.from({ length: 10 }, (_, i) => `other-ups-${i},10.77.0.${i + 1},0,ups2@nut1`),
        // Same UPS, later stage: it goes down after these hosts.
        ...Array.from({ length: 10 }, (_, i) => `later-${i},10.77.1.${i + 1},2,ups1@nut1`),
      ]);
      const report = await drift();
      assert.deepEqual(
        report.drifted.map((d) => d.hostName).filter((name) => FLEET.includes(name)),
        [],
        JSON.stringify(
          report.drifted.filter((d) => FLEET.includes(d.hostName)),
          null,
          1,
        ),
      );
      assert.equal(report.drifted.length, 20, 'only the new hosts (never discovered) drift');
      const after = await Promise.all(FLEET.map(desired));
      assert.deepEqual(
        after.map((d) => d.userVars),
        before.map((d) => d.userVars),
      );
      // What a fleet-wide outage would do is not hidden: a warning, not a change.
      assert.match(
        after[0]?.warnings.join('\n') ?? '',
        /if every UPS failed at once, nutfleet's plan would reach site-a at \d+ s/,
      );
    });

    test('a host added before them on their own UPS does move their deadline, and their drift says why', async () => {
      const before = await desired('site-b');
      await importCsv(['first-down,10.77.2.1,0,ups1@nut1']);
      const after = await desired('site-b');
      assert.ok(after.plannedShutdownDeadlineSeconds > before.plannedShutdownDeadlineSeconds);
      assert.deepEqual(after.deadline.earlierStages, [
        { stage: 0, seconds: after.deadline.earlierStages[0]?.seconds ?? -1, boundedBy: 'first-down' },
      ]);
      const report = await drift();
      for (const name of FLEET) {
        const entry = report.drifted.find((d) => d.hostName === name);
        assert.ok(entry, `${name} drifts`);
        assert.deepEqual(
          entry.userVarChanges.map((c) => c.name),
          ['NutFinalDelay'],
        );
        assert.match(
          entry.reasons.join('\n'),
          /^NutFinalDelay: \d+ → \d+ — \d+ because L \+ D \+ M = .*stage 1 in an outage of ups1@nut1 starts after stage 0 \(\d+ s, set by first-down\)/m,
        );
      }
    });
  },
);
