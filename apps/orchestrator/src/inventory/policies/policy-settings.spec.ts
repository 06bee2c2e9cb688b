import assert from 'node:assert/strict';
import { test } from 'node:test';

import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';

import { type Policy } from '@nutfleet/db';
import { resolveShutdownPolicy } from '@nutfleet/power';

import { flattenValidationErrors } from '../../http/validation-errors';
import { toShutdownPolicy } from '../../plans/host-inventory.mapper';
import { engineFieldErrors } from './policy-engine.check';
import { POLICY_SETTING_FIELDS, POLICY_SETTINGS, type PolicySettingField } from './policy-settings';
import { CreatePolicyDto, UpdatePolicyDto } from './policy.dto';

const ID = '00000000-0000-4000-8000-0000000000aa';

/** A row as the database stores it when only a name is given: every column at its default. */
function defaultRow(overrides: Partial<Policy> = {}): Policy {
  const settings = Object.fromEntries(POLICY_SETTING_FIELDS.map((f) => [f, POLICY_SETTINGS[f].default]));
  return {
    id: ID,
    name: 'p',
    description: null,
    isDefault: false,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...(settings as Pick<Policy, PolicySettingField>),
    ...overrides,
  };
}

const engineChecked = POLICY_SETTING_FIELDS.filter((f) => POLICY_SETTINGS[f].engine !== undefined);

async function fieldErrors(cls: typeof CreatePolicyDto | typeof UpdatePolicyDto, body: object) {
  const errors = await validate(plainToInstance(cls, body), {
    whitelist: true,
    forbidNonWhitelisted: true,
    stopAtFirstError: true,
  });
  return flattenValidationErrors(errors);
}

test('the column defaults are the engine defaults: a row left at its defaults is the policy libs/power assumes', () => {
  assert.deepEqual(toShutdownPolicy(defaultRow()), resolveShutdownPolicy({ id: ID, name: 'p' }));
  assert.deepEqual(engineFieldErrors(defaultRow()), []);
});

test('every default lies in its own range, and each engine setting has one API field', () => {
  for (const field of POLICY_SETTING_FIELDS) {
    const s = POLICY_SETTINGS[field];
    if (s.kind === 'int' && s.default !== null) assert.ok(s.default >= s.min && s.default <= s.max, field);
    if (s.kind === 'enum') assert.ok(Object.values(s.values).includes(s.default), field);
  }
  const paths = engineChecked.map((f) => POLICY_SETTINGS[f].engine);
  assert.equal(new Set(paths).size, paths.length);
  // The settings the restart gates read are the only ones outside the engine's policy.
  assert.deepEqual(
    POLICY_SETTING_FIELDS.filter((f) => !engineChecked.includes(f) && POLICY_SETTINGS[f].kind === 'int'),
    ['restartStableSeconds', 'restartMinChargePercent'],
  );
});

test('an engine refusal names the API field of every setting the engine checks', () => {
  for (const field of engineChecked) {
    const errors = engineFieldErrors(defaultRow({ [field]: -1 }));
    assert.equal(errors.length, 1, field);
    assert.equal(errors[0]?.field, field);
    assert.match(errors[0]?.reason ?? '', /got -1/, field);
  }
});

test('the on-battery budget may not exceed the flap window', () => {
  assert.deepEqual(engineFieldErrors(defaultRow({ flapWindowSeconds: 600, flapOnBatteryBudgetSeconds: 600 })), []);
  const [error] = engineFieldErrors(defaultRow({ flapWindowSeconds: 300, flapOnBatteryBudgetSeconds: 301 }));
  assert.equal(error?.field, 'flapOnBatteryBudgetSeconds');
  assert.match(error?.reason ?? '', /cannot exceed the window \(300 s\), got 301/);
});

test('offDurationSeconds null means never (OFFDURATION -1); a number is the OFF duration', () => {
  assert.equal(toShutdownPolicy(defaultRow({ offDurationSeconds: null })).off.offDurationSeconds, undefined);
  assert.equal(toShutdownPolicy(defaultRow({ offDurationSeconds: 0 })).off.offDurationSeconds, 0);
  assert.equal(toShutdownPolicy(defaultRow()).off.offDurationSeconds, 30);
});

test('request ranges: each bad value is refused naming its field and the range', async () => {
  const bad: Record<string, unknown> = {
    flapMaxOnsets: 1,
    flapWindowSeconds: 21_601,
    flapOnBatteryBudgetSeconds: 0,
    lowBatteryConfirmSeconds: -1,
    calibrationEmergencyChargePercent: 101,
    vmPowerOffTimeoutSecs: 0,
    offDurationSeconds: 1.5,
    vmWithoutToolsAction: 'HIBERNATE',
    calibrationNoInputEndsExcuse: 'yes',
  };
  const errors = await fieldErrors(CreatePolicyDto, { name: 'p', ...bad });
  assert.deepEqual(errors.map((e) => e.field).sort(), Object.keys(bad).sort());
  const reason = (field: string): string | undefined => errors.find((e) => e.field === field)?.reason;
  assert.equal(reason('flapMaxOnsets'), 'must be an integer from 2 to 1000');
  assert.equal(reason('vmWithoutToolsAction'), 'must be one of SUSPEND, POWER_OFF');
});

test('null: accepted where a setting can be off, refused elsewhere (create and update alike)', async () => {
  const nullable = POLICY_SETTING_FIELDS.filter((f) => {
    const s = POLICY_SETTINGS[f];
    return s.kind === 'int' && s.nullable;
  });
  assert.deepEqual(nullable.sort(), [
    'chargeBelowPercent',
    'flapOnBatteryBudgetSeconds',
    'offDurationSeconds',
    'onBatterySeconds',
    'runtimeBelowSeconds',
  ]);
  for (const cls of [CreatePolicyDto, UpdatePolicyDto]) {
    const allNull = Object.fromEntries(POLICY_SETTING_FIELDS.map((f) => [f, null]));
    const errors = await fieldErrors(cls, { name: 'p', ...allNull });
    assert.deepEqual(
      errors.map((e) => e.field).sort(),
      POLICY_SETTING_FIELDS.filter((f) => !nullable.includes(f)).sort(),
      cls.name,
    );
  }
});

test('isDefault is read-only in requests, and says how the default moves', async () => {
  for (const value of [true, false, null]) {
    const [error] = await fieldErrors(UpdatePolicyDto, { isDefault: value });
    assert.equal(error?.field, 'isDefault');
    assert.match(error?.reason ?? '', /read-only: POST \/policies\/\{id\}\/make-default/);
  }
  assert.deepEqual(await fieldErrors(UpdatePolicyDto, {}), []);
});
