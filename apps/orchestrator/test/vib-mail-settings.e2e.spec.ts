import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { type EsxiFleet } from '@nutfleet/testing';

import { type ApiTestApp } from './support/api-test-app';
import {
  discoverAll,
  insertFedHost,
  type RolloutView,
  runRollout,
  uploadVib,
  type RolloutEnv,
  startRolloutEnv,
} from './support/rollout-fleet';

const NUT_PASSWORD = 'mail-Pa55-secret';
const NAMES = ['plain', 'edge-1'];

interface Settings {
  scope: string;
  groupId: string | null;
  group: string | null;
  mode: string;
  mailTo: string | null;
  smtpRelay: string | null;
  updatedBy: string | null;
  updatedAt: string | null;
}
interface Desired {
  ok: boolean;
  userVars: Record<string, string | number>;
  reasons: Record<string, string>;
  problems?: Array<{ field: string; code: string }>;
}
interface Drift {
  drifted: Array<{ hostName: string; userVarChanges: Array<{ name: string; from: unknown; to: unknown }> }>;
}

describe(
  "the VIB's own mail settings come from the inventory: fleet default, group overrides",
  { timeout: 120_000 },
  () => {
    let env: RolloutEnv;
    let api: ApiTestApp;
    let fleet: EsxiFleet;
    let groupId = '';
    let artifactId = '';
    const ids = new Map<string, string>();

    const desired = async (name: string): Promise<Desired> => {
      const res = await api.call<Desired>('GET', `/hosts/${ids.get(name)}/desired-config`, {
        token: api.tokens.viewer,
      });
      assert.equal(res.status, 200, res.text);
      return res.body;
    };
    const put = (path: string, body: unknown, token = api.tokens.admin) =>
      api.call<Settings & { message: string; fields: Array<{ field: string }> }>('PUT', path, { token, body });
    const rollout = (body: Record<string, unknown>): Promise<RolloutView> => runRollout(api, body);

    before(async () => {
      env = await startRolloutEnv({ names: NAMES, seed: 'vib-mail-e2e', upses: ['ups1'], nutPassword: NUT_PASSWORD });
      ({ api, fleet } = env);
      const { nut } = env;
      const group = await api.call<{ id: string }>('POST', '/groups', {
        token: api.tokens.operator,
        body: { name: 'edge' },
      });
      groupId = group.body.id;
      for (const [i, name] of NAMES.entries()) {
        const id = await insertFedHost(api.db.prisma, api.config.secretKey, fleet.host(i), {
          upsIds: [nut.upsId('ups1')],
          name,
        });
        if (name.startsWith('edge')) await api.db.prisma.host.update({ where: { id }, data: { groupId } });
        ids.set(name, id);
      }
      artifactId = await uploadVib(api);
      await discoverAll(api, NAMES.length);
      const installed = await rollout({ action: 'install', artifactId, target: { drifted: true } });
      assert.equal(installed.state, 'SUCCEEDED', JSON.stringify(installed.hosts));
    });

    after(async () => {
      assert.deepEqual((await env?.stop()) ?? [], [], 'the NUT password appeared in an API response');
    });

    test('nothing set: mail off on every host, and the reason says so', async () => {
      const list = await api.call<{ fleet: Settings; groups: Settings[] }>('GET', '/vib-mail-settings', {
        token: api.tokens.viewer,
      });
      assert.equal(list.status, 200, list.text);
      assert.deepEqual(list.body, {
        fleet: {
          scope: 'fleet',
          groupId: null,
          group: null,
          mode: 'OFF',
          mailTo: null,
          smtpRelay: null,
          updatedBy: null,
          updatedAt: null,
        },
        groups: [],
      });
      const d = await desired('plain');
      assert.equal(d.userVars['NutSendMail'], 0);
      assert.equal(d.userVars['NutMailTo'], undefined);
      assert.match(d.reasons['NutSendMail'] ?? '', /^0 \(no mail from the host\): no fleet default is set/);
      assert.deepEqual((await api.call<Drift>('GET', '/hosts/drift')).body.drifted, []);
    });

    test('only admins change them, and bad values are refused naming the field', async () => {
      const body = { mode: 'MAIL', mailTo: 'ops@example.com' };
      assert.equal((await put('/vib-mail-settings', body, api.tokens.operator)).status, 403);
      assert.equal((await put(`/groups/${groupId}/vib-mail`, body, api.tokens.operator)).status, 403);
      const refused: Array<[unknown, string]> = [
        [{ mode: 'MAIL' }, 'mailTo'],
        [{ mode: 'ON', mailTo: 'ops@example.com' }, 'mode'],
        [{ mode: 'MAIL', mailTo: 'ops team@example.com' }, 'mailTo'],
        [{ mode: 'MAIL', mailTo: 'a@b;reboot' }, 'mailTo'],
        [{ mode: 'MAIL', mailTo: 'ops@example.com', smtpRelay: 'smtp.example.com:587' }, 'smtpRelay'],
        [{ mode: 'MAIL', mailTo: 'ops@example.com', smtpRelay: '$(reboot)' }, 'smtpRelay'],
      ];
      for (const [bad, field] of refused) {
        const res = await put('/vib-mail-settings', bad);
        assert.equal(res.status, 400, `${JSON.stringify(bad)}: ${res.text}`);
        assert.ok(
          res.body.fields.some((f) => f.field === field),
          `${JSON.stringify(bad)} names ${field}: ${res.text}`,
        );
      }
      assert.equal((await put(`/groups/${crypto.randomUUID()}/vib-mail`, body)).status, 404);
      assert.equal((await api.call('DELETE', `/groups/${groupId}/vib-mail`, { token: api.tokens.admin })).status, 404);
    });

    test('a fleet default and a group override reach desired config and drift, and a rollout applies them', async () => {
      const fleetDefault = await put('/vib-mail-settings', { mode: 'MAIL', mailTo: 'ops@example.com' });
      assert.equal(fleetDefault.status, 200, fleetDefault.text);
      assert.equal(fleetDefault.body.updatedBy, 'test-admin');
      const override = await put(`/groups/${groupId}/vib-mail`, {
        mode: 'VERBOSE',
        mailTo: 'edge-oncall@example.com',
        smtpRelay: 'relay.edge.lan',
      });
      assert.equal(override.status, 200, override.text);
      assert.equal(override.body.group, 'edge');

      const plain = await desired('plain');
      assert.deepEqual(
        [plain.userVars['NutSendMail'], plain.userVars['NutMailTo'], plain.userVars['NutSmtpRelay']],
        [1, 'ops@example.com', 'none'],
      );
      assert.equal(plain.reasons['NutMailTo'], 'from the fleet default');
      const edge = await desired('edge-1');
      assert.deepEqual(
        [edge.userVars['NutSendMail'], edge.userVars['NutMailTo'], edge.userVars['NutSmtpRelay']],
        [2, 'edge-oncall@example.com', 'relay.edge.lan'],
      );
      assert.match(
        edge.reasons['NutSendMail'] ?? '',
        /^2 \(verbose mail with the UPS status\): from the override of group "edge"/,
      );

      const drift = (await api.call<Drift>('GET', '/hosts/drift')).body;
      assert.deepEqual(
        drift.drifted.map((d) => [d.hostName, d.userVarChanges.map((c) => `${c.name}=${String(c.to)}`)]).sort(),
        [
          ['edge-1', ['NutMailTo=edge-oncall@example.com', 'NutSmtpRelay=relay.edge.lan', 'NutSendMail=2']],
          ['plain', ['NutMailTo=ops@example.com', 'NutSendMail=1']],
        ],
      );

      const applied = await rollout({ action: 'configure', target: { drifted: true } });
      assert.equal(applied.state, 'SUCCEEDED', JSON.stringify(applied.hosts));
      const edgeSim = fleet.host(NAMES.indexOf('edge-1'));
      assert.equal(edgeSim.state.settings.get('/UserVars/NutSendMail'), 2);
      assert.equal(edgeSim.state.settings.get('/UserVars/NutMailTo'), 'edge-oncall@example.com');
      assert.equal(edgeSim.state.settings.get('/UserVars/NutSmtpRelay'), 'relay.edge.lan');
      assert.deepEqual((await api.call<Drift>('GET', '/hosts/drift')).body.drifted, []);
    });

    test('removing the override puts the group back on the fleet default; changes are audited', async () => {
      const cleared = await api.call('DELETE', `/groups/${groupId}/vib-mail`, { token: api.tokens.admin });
      assert.equal(cleared.status, 204, cleared.text);
      const edge = await desired('edge-1');
      assert.equal(edge.userVars['NutMailTo'], 'ops@example.com');
      assert.equal(edge.reasons['NutMailTo'], 'from the fleet default');
      const audit = await api.call<{ items: Array<{ action: string }> }>('GET', '/audit', { token: api.tokens.admin });
      const actions = audit.body.items.map((a) => a.action);
      for (const action of ['vib-mail.fleet.set', 'vib-mail.group.set', 'vib-mail.group.clear'])
        assert.ok(actions.includes(action), `${action} in ${actions.join(', ')}`);
    });
  },
);
