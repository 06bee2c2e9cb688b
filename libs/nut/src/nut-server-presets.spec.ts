import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { NUT_SERVER_PRESET_IDS, NUT_SERVER_PRESETS, nutServerPreset } from './nut-server-presets';

// What the inventory API accepts (apps/orchestrator: UPS_NAME_PATTERN and the NUT username rule):
// a preset filling a value the API would refuse would make "add from preset" fail for everyone.
const UPS_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const NUT_USER = /^[^\s"\\]{1,100}$/;

describe('NUT server presets', () => {
  test('one preset per id, in the order the form lists them', () => {
    assert.deepEqual(
      NUT_SERVER_PRESETS.map((p) => p.id),
      [...NUT_SERVER_PRESET_IDS],
    );
  });

  test('every filled value is one the inventory API accepts', () => {
    for (const p of NUT_SERVER_PRESETS) {
      assert.ok(p.port >= 1 && p.port <= 65535, p.id);
      if (p.upsName !== null) assert.match(p.upsName, UPS_NAME, p.id);
      if (p.username !== null) assert.match(p.username, NUT_USER, p.id);
      assert.ok(p.whereToCheck.length > 40, `${p.id} says where to check`);
      assert.match(p.reference, /^https:\/\//, p.id);
    }
  });

  test('a password is only filled where the vendor hard-codes the account with it', () => {
    for (const p of NUT_SERVER_PRESETS.filter((x) => x.knownPassword !== null)) {
      assert.notEqual(p.username, null, `${p.id}: a known password without its user`);
      assert.notEqual(p.upsName, null, `${p.id}: hard-coded accounts come with a hard-coded UPS name`);
    }
  });

  test('the values the vendors document', () => {
    assert.deepEqual(
      NUT_SERVER_PRESETS.map((p) => [p.id, p.port, p.upsName, p.username, p.knownPassword]),
      [
        ['synology-dsm', 3493, 'ups', 'monuser', 'secret'],
        ['qnap-qts', 3493, 'qnapups', 'admin', '123456'],
        ['pfsense', 3493, null, null, null],
        ['truenas', 3493, 'ups', 'upsmon', null],
        ['unraid', 3493, 'ups', 'slaveuser', null],
        ['home-assistant', 3493, null, null, null],
        ['debian-upsd', 3493, null, null, null],
      ],
    );
  });

  test('each filled default is named where the preset says to check it, so the administrator can compare', () => {
    for (const p of NUT_SERVER_PRESETS) {
      for (const value of [p.upsName, p.username, p.knownPassword])
        if (value !== null) assert.ok(p.whereToCheck.includes(value), `${p.id}: "${value}" is not in whereToCheck`);
    }
  });

  test('a changeable default password is named as one to replace, never filled', () => {
    // TrueNAS ships "fixmepass", the Unraid plugin "slavepass": both can be changed in their UI.
    for (const [id, shipped] of [
      ['truenas', 'fixmepass'],
      ['unraid', 'slavepass'],
    ] as const) {
      const p = nutServerPreset(id);
      assert.equal(p?.knownPassword, null, id);
      assert.match(
        p?.whereToCheck ?? '',
        new RegExp(`${shipped}.*change|change.*${shipped}|${shipped}[^.]*set your own`),
        id,
      );
    }
  });

  test('looked up by id; an unknown id has none', () => {
    assert.equal(nutServerPreset('synology-dsm')?.username, 'monuser');
    assert.equal(nutServerPreset('netware'), undefined);
  });
});
