import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { type HostFacts } from '@nutfleet/db';
import { type EsxiFleet } from '@nutfleet/testing';

import { type ApiTestApp } from './support/api-test-app';
import {
  commandLines,
  discoverAll as discoverFleet,
  insertFedHost,
  READ_ONLY_COMMAND,
  type RolloutView,
  runRollout,
  uploadVib,
  vibTransactions,
  type RolloutEnv,
  startRolloutEnv,
} from './support/rollout-fleet';

const NUT_PASSWORD = 'drift-Pa55-secret';
const CURRENT = '2.8.5-2.7.3';
const OLD = '2.8.2-2.6.2';
/** In sync after the first rollout and never touched again: a drift rollout must leave them alone. */
const IN_SYNC = ['insync-a', 'insync-b', 'insync-c'];
/** Each drifts in its own way (see `before`). */
const DRIFTED = ['hand-edited', 'no-password', 'old-version', 'never-installed', 'policy-changed'];
const NAMES = [...IN_SYNC, ...DRIFTED];

interface DriftReport {
  artifactId: string | null;
  checkedHosts: number;
  drifted: Array<{
    hostId: string;
    hostName: string;
    reasons: string[];
    installedVersion: string | null;
    desiredVersion: string | null;
    userVarChanges: Array<{ name: string; type: string; from: string | number | null; to: string | number }>;
    problems: string[];
  }>;
}

describe(
  'drift: GET /hosts/drift after discovery, and a rollout targeting { drifted: true }',
  { timeout: 120_000 },
  () => {
    let env: RolloutEnv;
    let api: ApiTestApp;
    let fleet: EsxiFleet;
    const hostIds = new Map<string, string>();
    const artifacts: Record<string, string> = {};
    const sim = (name: string) => fleet.host(NAMES.indexOf(name));
    const on = (...names: string[]) => ({ hosts: names.map((n) => hostIds.get(n) ?? n) });

    const upload = (version: string): Promise<string> => uploadVib(api, version);
    const rollout = (body: Record<string, unknown>): Promise<RolloutView> => runRollout(api, body);
    const discoverAll = (): Promise<void> => discoverFleet(api, NAMES.length);

    async function drift(query = `?artifactId=${artifacts.current}`): Promise<DriftReport> {
      const res = await api.call<DriftReport>('GET', `/hosts/drift${query}`, { token: api.tokens.viewer });
      assert.equal(res.status, 200, res.text);
      return res.body;
    }

    const byName = (report: DriftReport) => new Map(report.drifted.map((d) => [d.hostName, d]));

    before(async () => {
      env = await startRolloutEnv({ names: NAMES, seed: 'drift-e2e', upses: ['ups1'], nutPassword: NUT_PASSWORD });
      ({ api, fleet } = env);
      const { nut } = env;
      for (const name of NAMES)
        hostIds.set(
          name,
          await insertFedHost(api.db.prisma, api.config.secretKey, sim(name), { upsIds: [nut.upsId('ups1')], name }),
        );
      // The old version first: without artifactId, drift is judged against the newest upload (the current one).
      artifacts.old = await upload(OLD);
      artifacts.current = await upload(CURRENT);

      // Discovered first, as in real use: NutFinalDelay follows the host's power-off deadline, which
      // depends on the VMs discovery finds, so a fleet configured before its first discovery drifts.
      await discoverAll();
      // Everyone but `never-installed` gets the current version with full configuration, `old-version` the old one.
      const installed = await rollout({
        action: 'install',
        artifactId: artifacts.current,
        target: on(...NAMES.filter((n) => !['old-version', 'never-installed'].includes(n))),
      });
      assert.equal(installed.state, 'SUCCEEDED', JSON.stringify(installed.hosts));
      const old = await rollout({ action: 'install', artifactId: artifacts.old, target: on('old-version') });
      assert.equal(old.state, 'SUCCEEDED', JSON.stringify(old.hosts));

      // Drift on the hosts themselves: an administrator edits a UserVar by hand, another clears the password.
      assert.equal(sim('hand-edited').state.settings.setString('/UserVars/NutUpsName', 'ups1@old-nut.lan').ok, true);
      assert.equal(sim('no-password').state.settings.setString('/UserVars/NutPassword', '').ok, true);
      // Drift on the inventory side: the host's policy now wants a longer on-battery delay.
      const policy = await api.db.prisma.policy.create({ data: { name: 'longer-on-battery', onBatterySeconds: 900 } });
      await api.db.prisma.host.update({ where: { id: hostIds.get('policy-changed') }, data: { policyId: policy.id } });
    });

    after(async () => {
      assert.deepEqual((await env?.stop()) ?? [], [], 'the NUT password appeared in an API response');
    });

    test('after discovery: exactly the drifted hosts are listed, each with its differences, the password redacted', async () => {
      await discoverAll();
      const report = await drift();
      assert.equal(report.artifactId, artifacts.current);
      assert.equal(report.checkedHosts, NAMES.length);
      assert.deepEqual(
        report.drifted.map((d) => d.hostName).sort(),
        [...DRIFTED].sort(),
        JSON.stringify(report.drifted, null, 1),
      );
      const d = byName(report);

      const handEdited = d.get('hand-edited');
      assert.deepEqual(handEdited?.userVarChanges, [
        { name: 'NutUpsName', type: 'string', from: 'ups1@old-nut.lan', to: 'ups1@nut1.lan' },
      ]);
      assert.equal(handEdited?.installedVersion, CURRENT);

      const noPassword = d.get('no-password');
      assert.equal(noPassword?.userVarChanges.length, 1, JSON.stringify(noPassword));
      assert.equal(noPassword?.userVarChanges[0]?.name, 'NutPassword');
      assert.equal(noPassword?.userVarChanges[0]?.to, '***', 'the desired password is redacted');
      assert.ok(noPassword?.reasons.every((r) => !r.includes(NUT_PASSWORD)));

      const oldVersion = d.get('old-version');
      assert.equal(oldVersion?.installedVersion, OLD);
      assert.equal(oldVersion?.desiredVersion, CURRENT);
      assert.ok(
        oldVersion?.reasons.some((r) => r.includes(`NutClient ${OLD} installed, desired ${CURRENT}`)),
        JSON.stringify(oldVersion?.reasons),
      );

      const never = d.get('never-installed');
      assert.equal(never?.installedVersion, null);
      assert.ok(never?.reasons.some((r) => /not installed/.test(r)));
      // Every desired UserVar is missing on that host; the password among them is still redacted.
      assert.equal(never?.userVarChanges.find((c) => c.name === 'NutPassword')?.to, '***');

      const policyChanged = d.get('policy-changed');
      assert.deepEqual(
        policyChanged?.userVarChanges.map((c) => c.name),
        ['NutOnBatteryDelay'],
      );
      assert.equal(policyChanged?.installedVersion, CURRENT);

      // Without artifactId the newest upload is the desired version: the same list.
      const byDefault = await drift('');
      assert.equal(byDefault.artifactId, artifacts.current);
      assert.deepEqual(byDefault.drifted.map((x) => x.hostName).sort(), [...DRIFTED].sort());
      // Against the old artifact, the current-version hosts drift by version too; the old one by config only.
      const againstOld = byName(await drift(`?artifactId=${artifacts.old}`));
      assert.ok(
        againstOld.get('insync-a')?.reasons.some((r) => r.includes(`NutClient ${CURRENT} installed, desired ${OLD}`)),
      );
      assert.equal(againstOld.get('old-version'), undefined, JSON.stringify(againstOld.get('old-version')));

      assert.equal((await api.call('GET', '/hosts/drift?artifactId=nope', { token: api.tokens.viewer })).status, 400);
      assert.equal(
        (await api.call('GET', `/hosts/drift?artifactId=${crypto.randomUUID()}`, { token: api.tokens.viewer })).status,
        404,
      );
    });

    test('a rollout with target { drifted: true } fixes exactly those hosts; in-sync hosts receive no command; drift is empty at once', async () => {
      const marks = new Map(NAMES.map((n) => [n, sim(n).commandLog.length]));
      const installsBefore = new Map(NAMES.map((n) => [n, vibTransactions(sim(n)).length]));
      const done = await rollout({ action: 'install', artifactId: artifacts.current, target: { drifted: true } });
      assert.equal(done.state, 'SUCCEEDED', JSON.stringify(done.hosts));
      assert.deepEqual(done.hosts.map((h) => h.hostName).sort(), [...DRIFTED].sort());

      for (const name of IN_SYNC)
        assert.deepEqual(commandLines(sim(name), marks.get(name)), [], `${name} is in sync: not contacted`);
      const writes = (name: string) =>
        commandLines(sim(name), marks.get(name)).filter((l) => !READ_ONLY_COMMAND.test(l));
      const installs = (name: string) => vibTransactions(sim(name)).slice(installsBefore.get(name));

      // Configuration-only drift: the one option that differs, then the service restart; no VIB transaction.
      assert.deepEqual(writes('hand-edited'), [
        'esxcli system settings advanced set -o /UserVars/NutUpsName -s ups1@nut1.lan',
        '/etc/init.d/upsmon restart',
      ]);
      assert.deepEqual(installs('hand-edited'), []);
      assert.equal(writes('no-password').length, 2, writes('no-password').join('\n'));
      assert.match(
        writes('no-password')[0] ?? '',
        /^esxcli system settings advanced set -o \/UserVars\/NutPassword -s /,
      );
      assert.equal(sim('no-password').state.upsmon.current?.config['NutPassword'], NUT_PASSWORD);
      assert.match(
        writes('policy-changed')[0] ?? '',
        /^esxcli system settings advanced set -o \/UserVars\/NutOnBatteryDelay -i \d+$/,
      );
      assert.deepEqual(installs('policy-changed'), []);
      // Version drift: one VIB transaction each.
      assert.equal(installs('old-version').length, 1);
      assert.match(installs('old-version')[0] ?? '', /^esxcli software vib update -v /);
      assert.equal(installs('never-installed').length, 1);
      for (const name of ['old-version', 'never-installed'])
        assert.equal(sim(name).state.vibs.get('upsmon')?.descriptor.version, CURRENT, name);

      // The rollout's verification updated each host's facts at once: no discovery needed.
      const report = await drift();
      assert.deepEqual(report.drifted, [], JSON.stringify(report.drifted, null, 1));
      for (const name of ['never-installed', 'old-version']) {
        const view = await api.call<{ vibVersion: string | null; facts: HostFacts }>(
          'GET',
          `/hosts/${hostIds.get(name)}`,
          {
            token: api.tokens.viewer,
          },
        );
        assert.equal(view.body.vibVersion, CURRENT, name);
        assert.equal(view.body.facts.nutClient?.installed && view.body.facts.nutClient.version, CURRENT, name);
        assert.equal(view.body.facts.reads.nutClient.state === 'ok' && view.body.facts.reads.nutClient.by, 'rollout');
        assert.equal(
          view.body.facts.reads.vms.state === 'ok' && view.body.facts.reads.vms.by,
          'discovery',
          'other facts kept',
        );
      }
      // A discovery reads the same from the hosts themselves.
      await discoverAll();
      assert.deepEqual((await drift()).drifted, []);
      // Nothing left to fix: a second drift rollout selects no host.
      const none = await api.call<{ message: string }>('POST', '/rollouts', {
        token: api.tokens.operator,
        body: { action: 'install', artifactId: artifacts.current, target: { drifted: true } },
      });
      assert.equal(none.status, 400, none.text);
      assert.match(none.body.message, /selects no host/);
    });

    test('an uninstall leaves the host "not installed" in the inventory at once, its UserVars gone', async () => {
      const removed = await rollout({ action: 'uninstall', target: on('insync-c') });
      assert.equal(removed.state, 'SUCCEEDED', JSON.stringify(removed.hosts));
      const view = await api.call<{ vibVersion: string | null; facts: HostFacts }>(
        'GET',
        `/hosts/${hostIds.get('insync-c')}`,
        { token: api.tokens.viewer },
      );
      assert.equal(view.body.vibVersion, null);
      assert.deepEqual(view.body.facts.nutClient, { installed: false });
      // The VIB's removal deleted its options on the host, and the verification read them back as gone.
      assert.equal(sim('insync-c').state.settings.get('/UserVars/NutUpsName'), undefined);
      assert.deepEqual(view.body.facts.nutUserVars, {});
      const report = byName(await drift());
      assert.ok(
        report.get('insync-c')?.reasons.some((r) => r.includes(`NutClient not installed (desired ${CURRENT})`)),
        JSON.stringify(report.get('insync-c')),
      );
    });
  },
);
