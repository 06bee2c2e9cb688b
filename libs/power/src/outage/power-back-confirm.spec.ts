import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { outagePowerBackConfirmSeconds } from './power-back-confirm';

describe('outagePowerBackConfirmSeconds', () => {
  const policies = [
    { id: 'default', powerBackConfirmSeconds: 10 },
    { id: 'site-a', powerBackConfirmSeconds: 3 },
    { id: 'slow', powerBackConfirmSeconds: 120 },
  ];

  test('the longest confirmation among the policies hosts follow', () => {
    assert.equal(outagePowerBackConfirmSeconds(policies, [{ policyId: 'site-a' }, { policyId: 'default' }]), 10);
  });

  test('a policy no host follows has no say, however long it is', () => {
    assert.equal(outagePowerBackConfirmSeconds(policies, [{ policyId: 'site-a' }]), 3);
  });

  test('no host: no confirmation to wait for', () => {
    assert.equal(outagePowerBackConfirmSeconds(policies, []), 0);
  });
});
