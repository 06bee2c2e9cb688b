import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { LEAD_STALL_MS, LeadCommandsGate } from './lead-commands.gate';

const settled = async (promise: Promise<void>): Promise<boolean> => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('LeadCommandsGate', () => {
  test('with no lead pending, nothing waits', async () => {
    assert.equal(await settled(new LeadCommandsGate().clear(10_000)), true);
  });

  test('the others wait until the last pending lead has sent its command', async () => {
    const gate = new LeadCommandsGate();
    const first = gate.hold();
    const second = gate.hold();
    const waiting = gate.clear(10_000);
    first();
    assert.equal(await settled(waiting), false, 'one lead is still pending');
    first();
    assert.equal(gate.pendingLeads, 1, 'a second release of the same lead counts nothing');
    second();
    assert.equal(await settled(waiting), true);
    assert.equal(gate.pendingLeads, 0);
  });

  test('a lead that never sends holds the others no longer than the bound', async () => {
    const gate = new LeadCommandsGate();
    gate.hold();
    const began = Date.now();
    await gate.clear(40);
    assert.ok(Date.now() - began >= 35, 'waited for the bound');
    assert.equal(gate.pendingLeads, 1);
  });

  test('the others wait on while leads keep going out, past the stall time in all', async () => {
    const gate = new LeadCommandsGate();
    const leads = Array.from({ length: 4 }, () => gate.hold());
    const began = Date.now();
    const waiting = gate.clear(10_000);
    for (const release of leads.slice(0, 3)) {
      await new Promise((resolve) => setTimeout(resolve, LEAD_STALL_MS / 2));
      release();
      assert.equal(await settled(waiting), false, 'a lead is still pending and the leads progress');
    }
    assert.ok(Date.now() - began >= LEAD_STALL_MS, 'longer than a stall, in all');
    leads[3]?.();
    assert.equal(await settled(waiting), true);
  });

  test('leads that stop going out hold the others one stall time after the last one, not their whole bound', async () => {
    const gate = new LeadCommandsGate();
    const sent = gate.hold();
    gate.hold(); // never sends: its host does not answer
    sent();
    const began = Date.now();
    await gate.clear(10_000);
    const waited = Date.now() - began;
    assert.ok(waited >= LEAD_STALL_MS - 50 && waited < LEAD_STALL_MS + 500, `waited ${waited} ms`);
    assert.equal(gate.pendingLeads, 1);
  });

  test('a bound of zero does not wait', async () => {
    const gate = new LeadCommandsGate();
    gate.hold();
    assert.equal(await settled(gate.clear(0)), true);
  });

  test('a new lead after a stuck one counts as progress: the others wait for it', async () => {
    const gate = new LeadCommandsGate();
    gate.hold(); // stuck
    await new Promise((resolve) => setTimeout(resolve, LEAD_STALL_MS + 50));
    const fresh = gate.hold();
    const waiting = gate.clear(10_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(await settled(waiting), false, 'the new lead has not sent yet');
    fresh();
    const began = Date.now();
    await waiting;
    assert.ok(Date.now() - began < LEAD_STALL_MS + 200, 'one stall time after the new lead went out');
  });
});
