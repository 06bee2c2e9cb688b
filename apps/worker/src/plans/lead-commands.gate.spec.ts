import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { LeadCommandsGate } from './lead-commands.gate';

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
});
