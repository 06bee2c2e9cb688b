import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { type ThresholdEvent, thresholdAlertMessage, thresholdRecoveryMessage } from './threshold-messages';

const event: ThresholdEvent = {
  thresholdId: 't1',
  rule: { metric: 'LOAD', value: 80, hysteresis: 5 },
  severity: 'WARNING',
  upsId: 'u1',
  ups: 'ups1@nut.example:3493',
  hosts: ['esx-01', 'esx-02'],
  value: 87,
  at: new Date('2026-01-01T00:00:00Z'),
};

describe('threshold messages', () => {
  test('the alert names the UPS, the reading, the threshold and the hosts it feeds', () => {
    const m = thresholdAlertMessage(event);
    assert.equal(m.eventType, 'threshold.alert');
    assert.equal(m.severity, 'WARNING');
    assert.equal(m.title, 'UPS ups1@nut.example:3493 load 87 % is above 80 %');
    assert.match(m.text, /It feeds 2 hosts: esx-01, esx-02\./);
    assert.match(m.text, /back at or under 75 %/);
    assert.deepEqual(
      m.fields.map((f) => `${f.label}=${f.value}`),
      [
        'UPS=ups1@nut.example:3493',
        'Load=87 %',
        'Threshold=load above 80 %',
        'Recovers at=75 %',
        'Hosts fed=esx-01, esx-02',
      ],
    );
    assert.deepEqual(m.refs, { upsId: 'u1', thresholdId: 't1' });
  });

  test('the recovery keeps the alert severity, so it reaches whoever got the alert', () => {
    const m = thresholdRecoveryMessage({ ...event, value: 70, severity: 'CRITICAL' });
    assert.equal(m.eventType, 'threshold.recovered');
    assert.equal(m.severity, 'CRITICAL');
    assert.equal(m.title, 'UPS ups1@nut.example:3493 load back to 70 % (threshold: load above 80 %)');
    assert.match(m.text, /is over\. It feeds 2 hosts/);
  });

  test('runtime in minutes; a UPS feeding no host says so; long host lists are cut', () => {
    const runtime = thresholdAlertMessage({
      ...event,
      rule: { metric: 'RUNTIME', value: 15, hysteresis: 2 },
      value: 12.345,
      hosts: [],
    });
    assert.equal(runtime.title, 'UPS ups1@nut.example:3493 runtime 12.3 min is below 15 min');
    assert.match(runtime.text, /It feeds no host\./);
    const many = Array.from({ length: 25 }, (_, i) => `esx-${i}`);
    const big = thresholdAlertMessage({ ...event, hosts: many });
    assert.match(big.text, /It feeds 25 hosts: esx-0, .*esx-19 and 5 more\./);
  });
});
