import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  describeRule,
  evaluateThreshold,
  readingFor,
  recoveryPoint,
  ruleProblems,
  type ThresholdRule,
} from './threshold-rule';

/** Feeds readings through the evaluator as the dispatcher does, returning every transition. */
function run(rule: ThresholdRule, readings: (number | undefined)[]): string[] {
  let active = false;
  const out: string[] = [];
  for (const reading of readings) {
    const verdict = evaluateThreshold(rule, reading, active);
    if (verdict === 'crossed') active = true;
    if (verdict === 'recovered') active = false;
    if (verdict !== 'unchanged') out.push(`${verdict}@${String(reading)}`);
  }
  return out;
}

describe('threshold evaluation with hysteresis', () => {
  const load: ThresholdRule = { metric: 'LOAD', value: 80, hysteresis: 5 };
  const runtime: ThresholdRule = { metric: 'RUNTIME', value: 15, hysteresis: 2 };
  const charge: ThresholdRule = { metric: 'CHARGE', value: 30, hysteresis: 5 };

  test('load above: fires once past the value, recovers only at value − hysteresis', () => {
    assert.deepEqual(run(load, [70, 80, 81, 79, 82, 78, 76, 75, 81]), ['crossed@81', 'recovered@75', 'crossed@81']);
  });

  test('a value hovering at the threshold alerts once, however long it hovers', () => {
    const hovering = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 80.5 : 79.5));
    assert.deepEqual(run(load, hovering), ['crossed@80.5']);
  });

  test('runtime below (minutes): fires under the value, recovers at value + hysteresis', () => {
    assert.deepEqual(run(runtime, [20, 15, 14.9, 16, 16.9, 17, 14]), ['crossed@14.9', 'recovered@17', 'crossed@14']);
  });

  test('charge below', () => {
    assert.deepEqual(run(charge, [100, 31, 29, 33, 35]), ['crossed@29', 'recovered@35']);
  });

  test('an unknown reading changes nothing, neither firing nor recovering', () => {
    assert.deepEqual(run(load, [undefined, 90, undefined, Number.NaN, undefined]), ['crossed@90']);
    assert.equal(evaluateThreshold(load, undefined, true), 'unchanged');
  });

  test('hysteresis 0 recovers as soon as the reading is back on the right side of the value', () => {
    assert.deepEqual(run({ metric: 'LOAD', value: 50, hysteresis: 0 }, [51, 50, 51]), [
      'crossed@51',
      'recovered@50',
      'crossed@51',
    ]);
  });

  test('the reading each metric compares, runtime converted to minutes', () => {
    const readings = { loadPercent: 42, chargePercent: 88, runtimeSeconds: 900 };
    assert.equal(readingFor('LOAD', readings), 42);
    assert.equal(readingFor('CHARGE', readings), 88);
    assert.equal(readingFor('RUNTIME', readings), 15);
    assert.equal(readingFor('RUNTIME', {}), undefined);
  });

  test('descriptions and recovery points', () => {
    assert.equal(describeRule(load), 'load above 80 %');
    assert.equal(describeRule(runtime), 'runtime below 15 min');
    assert.equal(describeRule(charge), 'battery charge below 30 %');
    assert.equal(recoveryPoint(load), 75);
    assert.equal(recoveryPoint(runtime), 17);
  });

  test('rules that cannot work are refused per field', () => {
    assert.deepEqual(ruleProblems(load), []);
    assert.deepEqual(
      ruleProblems({ metric: 'LOAD', value: 0, hysteresis: -1 }).map((p) => p.field),
      ['value', 'hysteresis'],
    );
    assert.match(ruleProblems({ metric: 'LOAD', value: 10, hysteresis: 10 })[0]?.reason ?? '', /below the threshold/);
    assert.deepEqual(
      ruleProblems({ metric: 'CHARGE', value: 120, hysteresis: 5 }).map((p) => p.field),
      ['value'],
      'a value out of range is the one problem named',
    );
    assert.match(ruleProblems({ metric: 'CHARGE', value: 98, hysteresis: 5 })[0]?.reason ?? '', /above 100 %/);
    assert.match(
      ruleProblems({ metric: 'RUNTIME', value: 2000, hysteresis: 1 })[0]?.reason ?? '',
      /between 1 and 1440 min/,
    );
  });
});
