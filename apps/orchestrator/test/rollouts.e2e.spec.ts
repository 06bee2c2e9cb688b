import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { type INestApplicationContext } from '@nestjs/common';

import {
  buildOfflineBundleFixture,
  buildVibFixture,
  type EsxiFleet,
  type HostProfile,
  startEsxiFleet,
} from '@nutfleet/testing';

import { createWorkerApp } from '../../worker/src/worker.app';
import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import {
  commandLines,
  insertFedHost,
  READ_ONLY_COMMAND,
  type RolloutView,
  vibTransactions,
  waitRolloutDone,
} from './support/rollout-fleet';
import { insertNutServer } from './support/nut-server-rows';

const NUT_PASSWORD = 'monPa55word';
const PROFILES: Record<string, HostProfile> = {
  fresh: { acceptanceLevel: 'CommunitySupported' },
  configure: { acceptanceLevel: 'CommunitySupported' },
  upgrade: { acceptanceLevel: 'CommunitySupported' },
  remove: { acceptanceLevel: 'CommunitySupported' },
  bundle: { acceptanceLevel: 'CommunitySupported' },
  partner: { acceptanceLevel: 'PartnerSupported' },
  secureboot: { acceptanceLevel: 'PartnerSupported', secureBoot: true },
  esxi8: { acceptanceLevel: 'CommunitySupported', version: '8.0' },
  badauth: { acceptanceLevel: 'CommunitySupported' },
  keychange: { acceptanceLevel: 'CommunitySupported' },
  nospace: { acceptanceLevel: 'CommunitySupported' },
  nofeeds: { acceptanceLevel: 'CommunitySupported' },
  hostile: { acceptanceLevel: 'CommunitySupported' },
  'ra-good': { acceptanceLevel: 'CommunitySupported' },
  'rb-bad': { acceptanceLevel: 'CommunitySupported' },
  'rc-bad': { acceptanceLevel: 'CommunitySupported' },
  'rd-later': { acceptanceLevel: 'CommunitySupported' },
  're-later': { acceptanceLevel: 'CommunitySupported' },
  'ca-first': { acceptanceLevel: 'CommunitySupported' },
  'cb-second': { acceptanceLevel: 'CommunitySupported' },
  'cc-third': { acceptanceLevel: 'CommunitySupported' },
};
const NAMES = Object.keys(PROFILES);

describe('rollouts (API + in-process worker + simulated ESXi over SSH)', { timeout: 240_000 }, () => {
  let api: ApiTestApp;
  let worker: INestApplicationContext;
  let fleet: EsxiFleet;
  const storage = mkdtempSync(join(tmpdir(), 'nutfleet-artifacts-'));
  const hostIds = new Map<string, string>();
  const artifacts: Record<string, string> = {};
  const sim = (name: string) => fleet.host(NAMES.indexOf(name));

  async function upload(bytes: Buffer, fileName: string) {
    const response = await fetch(`${api.base}/artifacts?fileName=${encodeURIComponent(fileName)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.tokens.admin}`, 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    const text = await response.text();
    api.responses.push(text);
    return {
      status: response.status,
      body: JSON.parse(text) as { id: string; message: string; version: string; kind: string },
    };
  }

  async function rollout(body: Record<string, unknown>, timeoutMs = 60_000): Promise<RolloutView> {
    const created = await api.call<RolloutView>('POST', '/rollouts', {
      token: api.tokens.operator,
      body: { canaryCount: 0, ...body },
    });
    assert.equal(created.status, 201, created.text);
    return waitRolloutDone(
      async () => (await api.call<RolloutView>('GET', `/rollouts/${created.body.id}`)).body,
      timeoutMs,
    );
  }
  const on = (...names: string[]) => ({ hosts: names.map((n) => hostIds.get(n) ?? n) });

  before(async () => {
    api = await startApiTestApp({ ARTIFACT_STORAGE_DIR: storage, PLAN_RECONCILE_INTERVAL_MS: '1000' });
    worker = await createWorkerApp(api.config);
    fleet = await startEsxiFleet({ hosts: NAMES.map((n) => ({ ...PROFILES[n], hostname: n })), seed: 'rollouts-e2e' });
    const key = api.config.secretKey;
    const prisma = api.db.prisma;
    const nut = await insertNutServer(prisma, key, {
      name: 'nut1',
      host: 'nut1.lan',
      username: 'monuser',
      password: NUT_PASSWORD,
      upses: ['ups1'],
    });
    const evil = await insertNutServer(prisma, key, {
      name: 'evil',
      host: 'evil.lan',
      username: 'mon user',
      password: `a"b'c$(reboot)\`id\`;poweroff x\ny`,
      upses: ['ups9'],
    });
    for (const name of NAMES) {
      const upsIds = name === 'nofeeds' ? [] : name === 'hostile' ? [evil.upsId('ups9')] : [nut.upsId('ups1')];
      const password = ['badauth', 'rb-bad', 'rc-bad'].includes(name) ? 'wrong-password' : undefined;
      hostIds.set(
        name,
        await insertFedHost(prisma, key, sim(name), { upsIds, name, ...(password ? { password } : {}) }),
      );
    }
  });

  after(async () => {
    await worker?.close();
    await fleet?.stop();
    const leaked = api?.responses.filter((body) => body.includes(NUT_PASSWORD) || body.includes('$(reboot)'));
    await api?.close();
    rmSync(storage, { recursive: true, force: true });
    assert.deepEqual(leaked, [], 'a NUT password appeared in an API response');
  });

  describe('artifacts', () => {
    test('a good VIB, an older VIB, a bundle and a VIB without the ESXi 8 checksum are stored with their sha256', async () => {
      const vib = buildVibFixture();
      const res = await upload(vib.bytes, vib.fileName);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.version, '2.8.5-2.7.3');
      artifacts.current = res.body.id;
      const old = await upload(buildVibFixture({ version: '2.8.2-2.6.2' }).bytes, 'upsmon-2.8.2-2.6.2.x86_64.vib');
      assert.equal(old.status, 201);
      artifacts.old = old.body.id;
      const bundle = await upload(
        buildOfflineBundleFixture([buildVibFixture({ version: '2.8.5-2.7.3' })]),
        'NutClient-ESXi-offline_bundle.zip',
      );
      assert.equal(bundle.status, 201, JSON.stringify(bundle.body));
      assert.equal(bundle.body.kind, 'bundle');
      artifacts.bundle = bundle.body.id;
      const noGunzip = await upload(
        buildVibFixture({ version: '2.8.0-2.3.1', withoutGunzipChecksum: true }).bytes,
        'upsmon-2.8.0-2.3.1.vib',
      );
      assert.equal(noGunzip.status, 201);
      artifacts.noGunzip = noGunzip.body.id;
      const list = await api.call<Array<{ id: string }>>('GET', '/artifacts', { token: api.tokens.viewer });
      assert.equal(list.body.length, 4);
    });

    test('garbage is refused with the parser message (422); a duplicate is a 409 naming the artifact; viewers cannot upload', async () => {
      const garbage = await upload(Buffer.from('this is not a vib at all'), 'notes.vib');
      assert.equal(garbage.status, 422);
      assert.match(garbage.body.message, /notes\.vib is not a usable VIB or offline bundle/);
      const dup = await upload(buildVibFixture().bytes, 'again.vib');
      assert.equal(dup.status, 409);
      assert.match(dup.body.message, new RegExp(`artifact ${artifacts.current}`));
      const corrupt = await upload(buildVibFixture({ corruptPayloadChecksum: true }).bytes, 'corrupt.vib');
      assert.equal(corrupt.status, 422);
      const denied = await api.call('POST', '/artifacts?fileName=x.vib', {
        token: api.tokens.operator,
        raw: { contentType: 'application/octet-stream', data: 'x' },
      });
      assert.equal(denied.status, 403);
    });
  });

  describe('desired configuration', () => {
    test('GET /hosts/:id/desired-config derives the UserVars from the inventory, password redacted', async () => {
      const res = await api.call<{
        ok: boolean;
        userVars: Record<string, unknown>;
        plannedShutdownDeadlineSeconds: number;
      }>('GET', `/hosts/${hostIds.get('fresh')}/desired-config`, { token: api.tokens.viewer });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.ok, true);
      assert.equal(res.body.userVars['NutUpsName'], 'ups1@nut1.lan');
      assert.equal(res.body.userVars['NutUser'], 'monuser');
      assert.equal(res.body.userVars['NutPassword'], '***');
      assert.ok(res.body.plannedShutdownDeadlineSeconds > 0);
      const blocked = await api.call<{ ok: boolean; problems: Array<{ code: string }> }>(
        'GET',
        `/hosts/${hostIds.get('nofeeds')}/desired-config`,
      );
      assert.equal(blocked.body.ok, false);
      assert.ok(blocked.body.problems.some((p) => p.code === 'no-feeds'));
    });
  });

  describe('deploy', () => {
    test('fresh install; then the same version again sends nothing but checks', async () => {
      const done = await rollout({ action: 'install', artifactId: artifacts.current, target: on('fresh') });
      assert.equal(done.state, 'SUCCEEDED', JSON.stringify(done.hosts));
      const h = sim('fresh');
      assert.equal(h.state.vibs.get('upsmon')?.descriptor.version, '2.8.5-2.7.3');
      assert.equal(h.state.upsmon.running, true);
      assert.equal(h.state.upsmon.current?.config['NutPassword'], NUT_PASSWORD);
      assert.equal(vibTransactions(h).length, 1);
      assert.deepEqual(
        done.hosts[0]?.steps.map((s) => s.step),
        ['preflight', 'upload', 'install', 'configure', 'restart-service', 'verify', 'cleanup'],
      );
      // The inventory shows the verified version at once (this host was never discovered: no facts).
      const view = await api.call<{ vibVersion: string | null; facts: unknown }>(
        'GET',
        `/hosts/${hostIds.get('fresh')}`,
      );
      assert.deepEqual({ vib: view.body.vibVersion, facts: view.body.facts }, { vib: '2.8.5-2.7.3', facts: null });
      const mark = h.commandLog.length;
      const again = await rollout({ action: 'install', artifactId: artifacts.current, target: on('fresh') });
      assert.equal(again.state, 'SUCCEEDED');
      const sent = commandLines(h, mark);
      assert.ok(sent.length > 0);
      for (const line of sent) assert.match(line, READ_ONLY_COMMAND, `unexpected command on a no-op rollout: ${line}`);
    });

    test('configuration-only change: only the option that differs is set, then the service restarts', async () => {
      await rollout({ action: 'install', artifactId: artifacts.current, target: on('configure') });
      const policy = await api.db.prisma.policy.create({ data: { name: 'longer-on-battery', onBatterySeconds: 900 } });
      await api.db.prisma.host.update({ where: { id: hostIds.get('configure') }, data: { policyId: policy.id } });
      const h = sim('configure');
      const mark = h.commandLog.length;
      const done = await rollout({ action: 'configure', target: on('configure') });
      assert.equal(done.state, 'SUCCEEDED', JSON.stringify(done.hosts));
      const writes = commandLines(h, mark).filter((l) => !READ_ONLY_COMMAND.test(l));
      assert.equal(writes.length, 2, writes.join('\n'));
      assert.match(writes[0] ?? '', /^esxcli system settings advanced set -o \/UserVars\/NutOnBatteryDelay -i \d+$/);
      assert.equal(writes[1], '/etc/init.d/upsmon restart');
    });

    test('upgrade: an older version is updated with esxcli software vib update', async () => {
      await rollout({ action: 'install', artifactId: artifacts.old, target: on('upgrade') });
      const done = await rollout({ action: 'upgrade', artifactId: artifacts.current, target: on('upgrade') });
      assert.equal(done.state, 'SUCCEEDED', JSON.stringify(done.hosts));
      const h = sim('upgrade');
      assert.match(vibTransactions(h)[1] ?? '', /^esxcli software vib update -v /);
      assert.equal(h.state.vibs.get('upsmon')?.descriptor.version, '2.8.5-2.7.3');
    });

    test('offline bundle install, then removal', async () => {
      const done = await rollout({ action: 'install', artifactId: artifacts.bundle, target: on('bundle') });
      assert.equal(done.state, 'SUCCEEDED', JSON.stringify(done.hosts));
      assert.match(vibTransactions(sim('bundle'))[0] ?? '', /vib install -d \S+\.zip -n upsmon/);
      await rollout({ action: 'install', artifactId: artifacts.current, target: on('remove') });
      const removed = await rollout({ action: 'uninstall', target: on('remove') });
      assert.equal(removed.state, 'SUCCEEDED', JSON.stringify(removed.hosts));
      assert.equal(sim('remove').state.vibs.has('upsmon'), false);
      assert.ok(commandLines(sim('remove')).includes('esxcli software vib remove -n upsmon'));
      const view = await api.call<{ vibVersion: string | null }>('GET', `/hosts/${hostIds.get('remove')}`);
      assert.equal(view.body.vibVersion, null, 'the inventory says not installed at once');
    });
  });

  describe('refusals, each a failed host with the reason and the remedy', () => {
    const failure = async (name: string, body: Record<string, unknown>) => {
      const done = await rollout({ action: 'install', artifactId: artifacts.current, target: on(name), ...body });
      assert.equal(done.state, 'FAILED');
      assert.equal(done.hosts[0]?.state, 'FAILED');
      return done.hosts[0]?.error ?? '';
    };

    test('acceptance level: refused unless allowed, nothing installed; resumed with the change allowed, installed', async () => {
      const refused = await rollout({ action: 'install', artifactId: artifacts.current, target: on('partner') });
      assert.equal(refused.state, 'FAILED');
      assert.match(
        refused.hosts[0]?.error ?? '',
        /acceptance level is PartnerSupported.*allow the acceptance level change/,
      );
      assert.equal(sim('partner').state.vibs.has('upsmon'), false);
      // Resume with a changed option: the same rollout, now allowed to lower the acceptance level.
      const resumed = await api.call<RolloutView>('POST', `/rollouts/${refused.id}/resume`, {
        token: api.tokens.operator,
        body: { allowAcceptanceChange: true },
      });
      assert.equal(resumed.status, 200, resumed.text);
      const allowed = await waitRolloutDone(
        async () => (await api.call<RolloutView>('GET', `/rollouts/${refused.id}`)).body,
      );
      assert.equal(allowed.state, 'SUCCEEDED', JSON.stringify(allowed.hosts));
      assert.equal(sim('partner').state.vibs.has('upsmon'), true);
      const audit = await api.call<{ items: { action: string; before: unknown; after: unknown }[] }>(
        'GET',
        '/audit?resourceType=rollouts&limit=100',
      );
      const entry = audit.body.items.find(
        (e) => e.action === 'rollout.resume' && JSON.stringify(e.after).includes('allowAcceptanceChange'),
      );
      assert.deepEqual(
        [
          (entry?.before as Record<string, unknown>)?.allowAcceptanceChange,
          (entry?.after as Record<string, unknown>)?.allowAcceptanceChange,
        ],
        [false, true],
        'the audit entry records the option before and after',
      );
    });

    test('Secure Boot', async () => {
      assert.match(
        await failure('secureboot', { allowAcceptanceChange: true }),
        /Secure Boot is enabled.*disable Secure Boot/,
      );
      assert.equal(vibTransactions(sim('secureboot')).length, 0);
    });

    test('ESXi 8 refuses a payload without the gunzip checksum', async () => {
      const error = await (async () => {
        const done = await rollout({ action: 'install', artifactId: artifacts.noGunzip, target: on('esxi8') });
        return done.hosts[0]?.error ?? '';
      })();
      assert.match(error, /sha-256 gunzip checksum/);
      assert.equal(vibTransactions(sim('esxi8')).length, 0);
    });

    test('wrong credentials', async () => {
      assert.match(await failure('badauth', {}), /authenticat/i);
      assert.equal(sim('badauth').commandLog.length, 0);
    });

    test('host key mismatch: failed, host blocked, nothing sent', async () => {
      sim('keychange').injectFault({ kind: 'host-key-changed' });
      assert.match(await failure('keychange', {}), /key/i);
      assert.equal(sim('keychange').commandLog.length, 0);
      const row = await api.db.prisma.host.findUniqueOrThrow({ where: { id: hostIds.get('keychange') } });
      assert.equal(row.trustState, 'MISMATCH');
    });

    test('upload interrupted by a full disk: failed at upload with the remedy, nothing installed, resumable', async () => {
      const h = sim('nospace');
      h.injectFault({ kind: 'no-space-left', afterBytes: 1000 });
      const done = await rollout({ action: 'install', artifactId: artifacts.current, target: on('nospace') });
      assert.equal(done.state, 'FAILED');
      assert.match(done.hosts[0]?.error ?? '', /upload failed.*free space/);
      assert.equal(vibTransactions(h).length, 0);
      h.clearFaults('no-space-left');
      const resumed = await api.call<RolloutView>('POST', `/rollouts/${done.id}/resume`, {
        token: api.tokens.operator,
      });
      assert.equal(resumed.status, 200, resumed.text);
      const after = await waitRolloutDone(
        async () => (await api.call<RolloutView>('GET', `/rollouts/${done.id}`)).body,
      );
      assert.equal(after.state, 'SUCCEEDED', JSON.stringify(after.hosts));
      assert.equal(vibTransactions(h).length, 1);
    });

    test('a host whose inventory has problems fails before anything is sent', async () => {
      const done = await rollout({ action: 'install', artifactId: artifacts.current, target: on('nofeeds') });
      assert.match(done.hosts[0]?.error ?? '', /configuration problems: feeds: .*no power feed/);
      assert.equal(sim('nofeeds').commandLog.length, 0);
    });

    test('hostile UserVars values (quotes, $(), backticks, ;, spaces, newline) are refused before anything is sent', async () => {
      const done = await rollout({ action: 'install', artifactId: artifacts.current, target: on('hostile') });
      const error = done.hosts[0]?.error ?? '';
      assert.match(error, /configuration problems: .*NutPassword/);
      assert.match(error, /NutUser/);
      assert.doesNotMatch(error, /reboot|poweroff/, 'the refused password is not echoed');
      assert.equal(sim('hostile').commandLog.length, 0);
    });
  });

  describe('waves', () => {
    test('failure ratio stops the rollout at its threshold: later waves never start; resume after the fix', async () => {
      const created = await api.call<RolloutView>('POST', '/rollouts', {
        token: api.tokens.operator,
        body: {
          action: 'install',
          artifactId: artifacts.current,
          target: on('ra-good', 'rb-bad', 'rc-bad', 'rd-later', 're-later'),
          canaryCount: 1,
          maxInFlight: 2,
          maxFailureRatio: 0.5,
        },
      });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(
        created.body.hosts.map((h) => `${h.hostName}:${h.wave}`),
        ['ra-good:0', 'rb-bad:1', 'rc-bad:1', 'rd-later:2', 're-later:2'],
      );
      const done = await waitRolloutDone(
        async () => (await api.call<RolloutView>('GET', `/rollouts/${created.body.id}`)).body,
      );
      assert.equal(done.state, 'FAILED');
      assert.match(done.stoppedReason ?? '', /2\/3 .*passed the threshold of 50 %.*wave 2/);
      assert.deepEqual(
        done.hosts.map((h) => h.state),
        ['SUCCEEDED', 'FAILED', 'FAILED', 'CANCELLED', 'CANCELLED'],
      );
      assert.equal(sim('rd-later').commandLog.length, 0);
      assert.equal(sim('re-later').commandLog.length, 0);

      for (const name of ['rb-bad', 'rc-bad']) {
        const { sealSecret } = await import('@nutfleet/db');
        const id = hostIds.get(name) ?? '';
        await api.db.prisma.host.update({
          where: { id },
          data: { passwordEnc: sealSecret(sim(name).password, api.config.secretKey, `host:${id}:password`) },
        });
      }
      const resumed = await api.call('POST', `/rollouts/${created.body.id}/resume`, { token: api.tokens.operator });
      assert.equal(resumed.status, 200, resumed.text);
      const after = await waitRolloutDone(
        async () => (await api.call<RolloutView>('GET', `/rollouts/${created.body.id}`)).body,
      );
      assert.equal(after.state, 'SUCCEEDED', JSON.stringify(after.hosts));
      for (const name of ['ra-good', 'rb-bad', 'rc-bad', 'rd-later', 're-later'])
        assert.equal(vibTransactions(sim(name)).length, 1, name);
    });

    test('cancel during the pause between waves: later hosts are never contacted', async () => {
      const created = await api.call<RolloutView>('POST', '/rollouts', {
        token: api.tokens.operator,
        body: {
          action: 'install',
          artifactId: artifacts.current,
          target: on('ca-first', 'cb-second', 'cc-third'),
          canaryCount: 1,
          pauseSeconds: 600,
        },
      });
      assert.equal(created.status, 201, created.text);
      const get = async () => (await api.call<RolloutView>('GET', `/rollouts/${created.body.id}`)).body;
      const { waitFor } = await import('@nutfleet/testing');
      await waitFor('canary done', async () => (await get()).hosts[0]?.state === 'SUCCEEDED', 30_000, 100);
      const cancelled = await api.call<RolloutView>('POST', `/rollouts/${created.body.id}/cancel`, {
        token: api.tokens.operator,
        body: { reason: 'change window over' },
      });
      assert.equal(cancelled.status, 200, cancelled.text);
      const done = await waitRolloutDone(get);
      assert.equal(done.state, 'CANCELLED');
      assert.deepEqual(
        done.hosts.map((h) => h.state),
        ['SUCCEEDED', 'CANCELLED', 'CANCELLED'],
      );
      assert.equal(sim('cb-second').commandLog.length, 0);
      assert.equal(sim('cc-third').commandLog.length, 0);
      const again = await api.call('POST', `/rollouts/${created.body.id}/cancel`, { token: api.tokens.operator });
      assert.equal(again.status, 409);
    });

    test('the live stream replays each host and the rollout state, then ends', async () => {
      const list = await api.call<Array<{ id: string }>>('GET', '/rollouts', { token: api.tokens.viewer });
      const id = list.body[0]?.id ?? '';
      const response = await fetch(`${api.base}/rollouts/${id}/events`, {
        headers: { authorization: `Bearer ${api.tokens.viewer}` },
      });
      const text = await response.text();
      assert.match(text, /event: host\ndata: \{.*"state":"SUCCEEDED"/);
      assert.match(text, /event: rollout\ndata: \{.*"state":"CANCELLED"/);
    });

    test('an artifact used by an unfinished rollout cannot be deleted; a finished one can', async () => {
      const del = await api.call('DELETE', `/artifacts/${artifacts.old}`, { token: api.tokens.admin });
      assert.equal(del.status, 204, del.text);
      const gone = await api.call('GET', `/artifacts/${artifacts.old}`, { token: api.tokens.viewer });
      assert.equal(gone.status, 404);
    });
  });
});
