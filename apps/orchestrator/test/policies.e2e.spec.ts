import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { allReadsOk, type HostFacts, type Prisma } from '@nutfleet/db';

import { POLICY_SETTING_FIELDS, POLICY_SETTINGS } from '../src/inventory/policies/policy-settings';
import { type ApiTestApp, startApiTestApp } from './support/api-test-app';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface ErrorBody {
  statusCode: number;
  message: string;
  fields?: { field: string; reason: string }[];
}
type PolicyView = { id: string; name: string; isDefault: boolean } & Record<string, unknown>;
interface Rung {
  action: string;
  timeoutSeconds: number;
}
interface PreviewStep {
  kind: 'vm-stop' | 'host-power-off';
  hostId: string;
  vmName?: string;
  ladder: Rung[];
}

/** A value of every setting, none of them its default, so a round trip cannot pass by accident. */
const EVERY_SETTING: Record<string, unknown> = {
  triggerCombination: 'ALL',
  onLowBattery: false,
  onForcedShutdown: false,
  onBatterySeconds: 240,
  runtimeBelowSeconds: 180,
  chargeBelowPercent: 35,
  lowBatteryConfirmSeconds: 7,
  deadtimeSeconds: 25,
  flapGuardSeconds: 9,
  flapMaxOnsets: 4,
  flapWindowSeconds: 900,
  flapOnBatteryBudgetSeconds: 120,
  calibrationEmergencyChargePercent: 8,
  calibrationEmergencyRuntimeSeconds: 90,
  calibrationMaxSeconds: 5400,
  calibrationNoInputEndsExcuse: false,
  offDurationSeconds: null,
  vmGuestShutdownTimeoutSecs: 75,
  vmFallbackAction: 'SUSPEND',
  vmWithoutToolsAction: 'POWER_OFF',
  vmSuspendTimeoutSecs: 95,
  vmPowerOffTimeoutSecs: 20,
  hostPowerOffTimeoutSecs: 240,
  pointOfNoReturnSeconds: 45,
  powerBackConfirmSeconds: 20,
  restartStableSeconds: 150,
  restartMinChargePercent: 70,
};

/** One value per request that the API must refuse, with the field the 400 must name. */
const INVALID: ReadonlyArray<[string, unknown]> = [
  ['triggerCombination', 'SOME'],
  ['onLowBattery', 'yes'],
  ['onForcedShutdown', null],
  ['onBatterySeconds', -1],
  ['runtimeBelowSeconds', 86_401],
  ['chargeBelowPercent', 101],
  ['lowBatteryConfirmSeconds', -5],
  ['deadtimeSeconds', 0],
  ['flapGuardSeconds', 2.5],
  ['flapMaxOnsets', 1],
  ['flapWindowSeconds', 0],
  ['flapOnBatteryBudgetSeconds', 0],
  ['calibrationEmergencyChargePercent', -1],
  ['calibrationEmergencyRuntimeSeconds', '60'],
  ['calibrationMaxSeconds', -1],
  ['calibrationNoInputEndsExcuse', 1],
  ['offDurationSeconds', -1],
  ['vmGuestShutdownTimeoutSecs', 7201],
  ['vmFallbackAction', 'HIBERNATE'],
  ['vmWithoutToolsAction', 'suspend'],
  ['vmSuspendTimeoutSecs', 0],
  ['vmPowerOffTimeoutSecs', null],
  ['hostPowerOffTimeoutSecs', 0],
  ['pointOfNoReturnSeconds', -1],
  ['powerBackConfirmSeconds', 3601],
  ['restartStableSeconds', -1],
  ['restartMinChargePercent', 150],
];

/** Discovered facts with one VM whose Tools run and one without Tools: both ladders show. */
const FACTS: HostFacts = {
  schemaVersion: 2,
  discoveredAt: new Date(0).toISOString(),
  reads: allReadsOk(new Date(0).toISOString()),
  esxi: { product: 'VMware ESXi', version: '8.0.3', build: 'Releasebuild-1', buildNumber: 1, update: 3, patch: 0 },
  nics: [],
  vms: [
    {
      id: 1,
      name: 'app',
      file: '[ds] app/app.vmx',
      guestOs: 'other',
      hwVersion: 'vmx-19',
      powerState: 'poweredOn',
      tools: 'running',
    },
    {
      id: 2,
      name: 'appliance',
      file: '[ds] a/a.vmx',
      guestOs: 'other',
      hwVersion: 'vmx-19',
      powerState: 'poweredOn',
      tools: 'notInstalled',
    },
  ],
  invalidVmIds: [],
  autostart: {
    defaults: { enabled: false, startDelay: 120, stopDelay: 120, waitForHeartbeat: false, stopAction: 'powerOff' },
    sequence: [],
  },
  nutClient: { installed: false },
  nutUserVars: {},
  acceptanceLevel: 'PartnerSupported',
  maintenanceMode: false,
};

describe('policies: every setting, the default policy', () => {
  let t: ApiTestApp;
  let seededDefault: PolicyView;

  const policies = async (): Promise<PolicyView[]> =>
    (await t.call<Page<PolicyView>>('GET', '/policies?limit=500')).body.items;

  /** Per VM name (and "host" for the host step), the ladder the shutdown preview plans for a host. */
  async function ladders(hostId: string): Promise<Record<string, Rung[]>> {
    const preview = await t.call<{ steps: PreviewStep[] }>('GET', `/plans/shutdown/preview?hosts=${hostId}`);
    assert.equal(preview.status, 200, preview.text);
    return Object.fromEntries(preview.body.steps.map((s) => [s.vmName ?? 'host', s.ladder]));
  }

  async function hostWithFacts(name: string, address: string, policyId?: string): Promise<string> {
    const host = await t.call<{ id: string }>('POST', '/hosts', {
      body: { name, address, ...(policyId ? { policyId } : {}) },
    });
    assert.equal(host.status, 201, host.text);
    await t.db.prisma.host.update({
      where: { id: host.body.id },
      data: { facts: FACTS as unknown as Prisma.InputJsonValue },
    });
    return host.body.id;
  }

  before(async () => {
    t = await startApiTestApp();
  });
  after(async () => t?.close());

  test('the migrations leave exactly one default policy, named "default"', async () => {
    const defaults = (await policies()).filter((p) => p.isDefault);
    assert.equal(defaults.length, 1);
    seededDefault = defaults[0] as PolicyView;
    assert.equal(seededDefault.name, 'default');
    assert.equal(seededDefault.onBatterySeconds, 300);
  });

  test('a policy created with a name only has every setting at its documented default', async () => {
    const created = await t.call<PolicyView>('POST', '/policies', { body: { name: 'defaults-only' } });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.isDefault, false);
    for (const field of POLICY_SETTING_FIELDS) assert.equal(created.body[field], POLICY_SETTINGS[field].default, field);
  });

  test('every setting round-trips through create, read and update', async () => {
    assert.deepEqual(Object.keys(EVERY_SETTING).sort(), [...POLICY_SETTING_FIELDS].sort());
    const created = await t.call<PolicyView>('POST', '/policies', { body: { name: 'every', ...EVERY_SETTING } });
    assert.equal(created.status, 201, created.text);
    const read = await t.call<PolicyView>('GET', `/policies/${created.body.id}`, { token: t.tokens.viewer });
    for (const [field, value] of Object.entries(EVERY_SETTING)) {
      assert.deepEqual(created.body[field], value, field);
      assert.deepEqual(read.body[field], value, field);
    }
    // Back to every default, one PATCH: each field changes again.
    const defaults = Object.fromEntries(POLICY_SETTING_FIELDS.map((f) => [f, POLICY_SETTINGS[f].default]));
    const patched = await t.call<PolicyView>('PATCH', `/policies/${created.body.id}`, {
      token: t.tokens.operator,
      body: defaults,
    });
    assert.equal(patched.status, 200, patched.text);
    const reread = await t.call<PolicyView>('GET', `/policies/${created.body.id}`);
    for (const [field, value] of Object.entries(defaults)) assert.deepEqual(reread.body[field], value, field);
  });

  test('each invalid value is refused with a 400 naming its field, on create and on update', async () => {
    const target = await t.call<PolicyView>('POST', '/policies', { body: { name: 'target', ...EVERY_SETTING } });
    for (const [field, value] of INVALID) {
      for (const [method, path, body] of [
        ['POST', '/policies', { name: `bad-${field.toLowerCase()}`, [field]: value }],
        ['PATCH', `/policies/${target.body.id}`, { [field]: value }],
      ] as const) {
        const r = await t.call<ErrorBody>(method, path, { body });
        assert.equal(r.status, 400, `${method} ${field}=${String(value)}: ${r.text}`);
        assert.deepEqual(
          r.body.fields?.map((f) => f.field),
          [field],
          `${method} ${field}=${String(value)}`,
        );
        assert.ok((r.body.fields?.[0]?.reason ?? '').length > 0);
      }
    }
    const unchanged = await t.call<PolicyView>('GET', `/policies/${target.body.id}`);
    for (const [field, value] of Object.entries(EVERY_SETTING)) assert.deepEqual(unchanged.body[field], value, field);
  });

  test('the whole policy is checked as the engine reads it: a window shorter than the budget is refused', async () => {
    const p = await t.call<PolicyView>('POST', '/policies', {
      body: { name: 'budgeted', flapWindowSeconds: 600, flapOnBatteryBudgetSeconds: 300 },
    });
    assert.equal(p.status, 201, p.text);
    // Only the window changes; the stored budget no longer fits it.
    const shrink = await t.call<ErrorBody>('PATCH', `/policies/${p.body.id}`, { body: { flapWindowSeconds: 200 } });
    assert.equal(shrink.status, 400, shrink.text);
    assert.deepEqual(shrink.body.fields, [
      { field: 'flapOnBatteryBudgetSeconds', reason: 'cannot exceed the window (200 s), got 300' },
    ]);
    assert.equal((await t.call<PolicyView>('GET', `/policies/${p.body.id}`)).body.flapWindowSeconds, 600);
    const create = await t.call<ErrorBody>('POST', '/policies', {
      body: { name: 'over-budget', flapOnBatteryBudgetSeconds: 900 },
    });
    assert.equal(create.status, 400);
    assert.equal(create.body.fields?.[0]?.field, 'flapOnBatteryBudgetSeconds');
    assert.equal(
      (await policies()).some((x) => x.name === 'over-budget'),
      false,
    );
  });

  test('isDefault is shown but read-only: no request sets or removes it', async () => {
    for (const [method, path, body] of [
      ['PATCH', `/policies/${seededDefault.id}`, { isDefault: false }],
      ['POST', '/policies', { name: 'wannabe', isDefault: true }],
    ] as const) {
      const r = await t.call<ErrorBody>(method, path, { body });
      assert.equal(r.status, 400, r.text);
      assert.equal(r.body.fields?.[0]?.field, 'isDefault');
      assert.match(r.body.fields?.[0]?.reason ?? '', /make-default/);
    }
    assert.equal((await t.call<PolicyView>('GET', `/policies/${seededDefault.id}`)).body.isDefault, true);
  });

  test('the default policy governs a host without a policy: what is edited is what the plan uses', async () => {
    const hostId = await hostWithFacts('esx-nopolicy', '10.9.0.1');
    const before = await ladders(hostId);
    // The seeded row's values (column defaults): guest shutdown 120 s then power-off 30 s,
    // no Tools: suspend 120 s then power-off, host poweroff 180 s.
    assert.deepEqual(before.app, [
      { action: 'guest-shutdown', timeoutSeconds: 120 },
      { action: 'power-off', timeoutSeconds: 30 },
    ]);
    assert.deepEqual(before.appliance?.[0], { action: 'suspend', timeoutSeconds: 120 });
    assert.deepEqual(before.host, [{ action: 'power-off', timeoutSeconds: 180 }]);

    const edit = await t.call<PolicyView>('PATCH', `/policies/${seededDefault.id}`, {
      body: {
        vmGuestShutdownTimeoutSecs: 77,
        vmFallbackAction: 'SUSPEND',
        vmSuspendTimeoutSecs: 44,
        vmPowerOffTimeoutSecs: 11,
        vmWithoutToolsAction: 'POWER_OFF',
        hostPowerOffTimeoutSecs: 99,
      },
    });
    assert.equal(edit.status, 200, edit.text);
    assert.equal(edit.body.isDefault, true);
    const after = await ladders(hostId);
    assert.deepEqual(after.app, [
      { action: 'guest-shutdown', timeoutSeconds: 77 },
      { action: 'suspend', timeoutSeconds: 44 },
      { action: 'power-off', timeoutSeconds: 11 },
    ]);
    assert.deepEqual(after.appliance, [{ action: 'power-off', timeoutSeconds: 11 }]);
    assert.deepEqual(after.host, [{ action: 'power-off', timeoutSeconds: 99 }]);
  });

  test('the default policy cannot be deleted (409 naming why)', async () => {
    const r = await t.call<ErrorBody>('DELETE', `/policies/${seededDefault.id}`);
    assert.equal(r.status, 409, r.text);
    assert.equal(r.body.fields?.[0]?.field, 'isDefault');
    assert.match(r.body.message, /is the default policy.*make another policy the default first/);
    assert.equal((await t.call('GET', `/policies/${seededDefault.id}`)).status, 200);
  });

  test('making another policy the default moves the flag (admin, audited), and hosts without a policy follow it', async () => {
    const hostId = (await t.db.prisma.host.findFirstOrThrow({ where: { name: 'esx-nopolicy' } })).id;
    const next = await t.call<PolicyView>('POST', '/policies', {
      body: { name: 'branch', vmGuestShutdownTimeoutSecs: 33, hostPowerOffTimeoutSecs: 66 },
    });
    assert.equal(next.status, 201, next.text);

    const path = `/policies/${next.body.id}/make-default`;
    assert.equal((await t.call('POST', path, { token: t.tokens.operator })).status, 403);
    assert.equal((await t.call('POST', '/policies/00000000-0000-4000-8000-000000000000/make-default')).status, 404);
    const moved = await t.call<PolicyView>('POST', path, { headers: { 'x-request-id': 'req-make-default' } });
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.body.isDefault, true);
    const defaults = (await policies()).filter((p) => p.isDefault).map((p) => p.name);
    assert.deepEqual(defaults, ['branch']);
    assert.equal((await t.call<PolicyView>('GET', `/policies/${seededDefault.id}`)).body.isDefault, false);

    const l = await ladders(hostId);
    assert.deepEqual(l.app?.[0], { action: 'guest-shutdown', timeoutSeconds: 33 });
    assert.deepEqual(l.host, [{ action: 'power-off', timeoutSeconds: 66 }]);

    const audit = await t.db.prisma.auditEntry.findMany({ where: { action: 'policy.makeDefault' } });
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.resourceId, next.body.id);
    assert.equal(audit[0]?.actor, 'test-admin');
    assert.deepEqual(audit[0]?.before, { defaultPolicy: { id: seededDefault.id, name: 'default' } });

    // Again: nothing changes, nothing is audited.
    assert.equal((await t.call<PolicyView>('POST', path)).body.isDefault, true);
    assert.equal(await t.db.prisma.auditEntry.count({ where: { action: 'policy.makeDefault' } }), 1);
    // The former default is an ordinary policy now: it can be deleted.
    assert.equal((await t.call('DELETE', `/policies/${seededDefault.id}`)).status, 204);
  });

  test('concurrent moves of the default leave exactly one default', async () => {
    const ids: string[] = [];
    for (const name of ['race-a', 'race-b', 'race-c', 'race-d']) {
      ids.push((await t.call<PolicyView>('POST', '/policies', { body: { name } })).body.id);
    }
    const results = await Promise.all(ids.map((id) => t.call('POST', `/policies/${id}/make-default`)));
    assert.deepEqual(
      results.map((r) => r.status),
      [200, 200, 200, 200],
    );
    assert.equal(await t.db.prisma.policy.count({ where: { isDefault: true } }), 1);
  });

  test('deleting a policy in use: its hosts follow the default policy, and the audit says how many', async () => {
    const own = await t.call<PolicyView>('POST', '/policies', { body: { name: 'own', hostPowerOffTimeoutSecs: 500 } });
    const hostId = await hostWithFacts('esx-own', '10.9.0.2', own.body.id);
    assert.deepEqual((await ladders(hostId)).host, [{ action: 'power-off', timeoutSeconds: 500 }]);

    assert.equal((await t.call('DELETE', `/policies/${own.body.id}`)).status, 204);
    const host = await t.call<{ policyId: string | null }>('GET', `/hosts/${hostId}`);
    assert.equal(host.body.policyId, null);
    const current = (await policies()).find((p) => p.isDefault) as PolicyView;
    assert.deepEqual((await ladders(hostId)).host, [
      { action: 'power-off', timeoutSeconds: current.hostPowerOffTimeoutSecs as number },
    ]);
    const entry = await t.db.prisma.auditEntry.findFirstOrThrow({
      where: { action: 'policy.delete', resourceId: own.body.id },
    });
    assert.deepEqual((entry.before as { releasedTo: unknown }).releasedTo, {
      defaultPolicy: { id: current.id, name: current.name },
      hosts: 1,
      groups: 0,
    });
  });
});
