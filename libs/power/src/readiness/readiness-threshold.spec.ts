import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { detectReadinessCrossings } from './readiness-threshold';

const run = (scores: Record<string, number | null>, previouslyBelow: string[], threshold = 95) =>
  detectReadinessCrossings({
    scores: new Map(Object.entries(scores)),
    previouslyBelow: new Set(previouslyBelow),
    threshold,
  });

describe('readiness threshold crossings', () => {
  it('a drop below the threshold is reported once, then not while it stays below', () => {
    const first = run({ 'host:a': 90, fleet: 97 }, []);
    assert.deepEqual(first.crossings, [{ subject: 'host:a', direction: 'dropped', score: 90 }]);
    const second = run({ 'host:a': 81, fleet: 96 }, [...first.below]);
    assert.deepEqual(second.crossings, []);
    assert.deepEqual([...second.below], ['host:a']);
  });

  it('coming back to the threshold (equal counts as ready) reports a recovery', () => {
    const r = run({ 'host:a': 95 }, ['host:a']);
    assert.deepEqual(r.crossings, [{ subject: 'host:a', direction: 'recovered', score: 95 }]);
    assert.equal(r.below.size, 0);
  });

  it('a subject not scored yet neither alerts nor forgets that it was below', () => {
    assert.deepEqual(run({ 'host:new': null }, []).crossings, []);
    const kept = run({ 'host:a': null }, ['host:a']);
    assert.deepEqual(kept.crossings, []);
    assert.deepEqual([...kept.below], ['host:a']);
  });

  it('a subject that disappeared leaves the state silently', () => {
    const r = run({ fleet: 99 }, ['host:deleted']);
    assert.deepEqual(r.crossings, []);
    assert.equal(r.below.size, 0);
  });

  it('several subjects cross in one pass, in a stable order', () => {
    const r = run({ fleet: 80, 'host:b': 70, 'host:a': 50, 'group:g': 100 }, ['group:g']);
    assert.deepEqual(
      r.crossings.map((c) => `${c.subject}:${c.direction}`),
      ['fleet:dropped', 'group:g:recovered', 'host:a:dropped', 'host:b:dropped'],
    );
  });
});
