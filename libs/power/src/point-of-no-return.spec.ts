import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Step, at, history } from '../test/power-fixtures';
import { type PowerReturnInput, evaluatePowerReturn } from './point-of-no-return';

// Plan started at 100 s; point of no return 60 s later (160 s); power must hold 10 s to count.
const input = (ups: Record<string, readonly Step[]>, now: number): PowerReturnInput => ({
  planStartedAt: at(100),
  pointOfNoReturnSeconds: 60,
  powerBackConfirmSeconds: 10,
  upsIds: Object.keys(ups),
  histories: Object.entries(ups).map(([id, s]) => history(id, s)),
  now: at(now),
});

describe('evaluatePowerReturn (point of no return)', () => {
  it('power back and confirmed before the point of no return: cancels the steps not started', () => {
    const d = evaluatePowerReturn(
      input(
        {
          A: [
            [0, 'OB'],
            [120, 'OL'],
          ],
        },
        135,
      ),
    );
    assert.equal(d.action, 'cancel-pending');
    assert.match(d.reasons.at(-1) ?? '', /cancelling the steps not started/);
    assert.equal(d.passed, false);
    assert.equal(d.pointOfNoReturnAt, at(160));
  });

  it('power back after the point of no return: the plan completes', () => {
    const d = evaluatePowerReturn(
      input(
        {
          A: [
            [0, 'OB'],
            [170, 'OL'],
          ],
        },
        200,
      ),
    );
    assert.equal(d.action, 'complete-plan');
    assert.equal(d.passed, true);
  });

  it('power back 5 s before the point of no return cannot be confirmed in time: completes', () => {
    const d = evaluatePowerReturn(
      input(
        {
          A: [
            [0, 'OB'],
            [155, 'OL'],
          ],
        },
        158,
      ),
    );
    assert.equal(d.action, 'complete-plan');
  });

  it('power back but not confirmed yet: continue, re-check at the end of the confirmation', () => {
    const d = evaluatePowerReturn(
      input(
        {
          A: [
            [0, 'OB'],
            [120, 'OL'],
          ],
        },
        125,
      ),
    );
    assert.equal(d.action, 'continue');
    assert.equal(d.recheckAt, at(130));
  });

  it('a flap inside the confirmation restarts it', () => {
    const d = evaluatePowerReturn(
      input(
        {
          A: [
            [0, 'OB'],
            [120, 'OL'],
            [125, 'OB'],
            [127, 'OL'],
          ],
        },
        133,
      ),
    );
    assert.equal(d.action, 'continue');
    assert.equal(d.recheckAt, at(137));
  });

  it('one UPS back, the other still on battery: continue', () => {
    const d = evaluatePowerReturn(
      input(
        {
          A: [
            [0, 'OB'],
            [110, 'OL'],
          ],
          B: [[0, 'OB']],
        },
        140,
      ),
    );
    assert.equal(d.action, 'continue');
    assert.equal(d.powerBack, false);
    assert.ok(d.reasons.some((r) => r.includes('B is not back on line')));
  });

  it('evaluated late, after the point of no return, but confirmed before it: still cancels', () => {
    const d = evaluatePowerReturn(
      input(
        {
          A: [
            [0, 'OB'],
            [110, 'OL'],
          ],
        },
        300,
      ),
    );
    assert.equal(d.action, 'cancel-pending');
  });

  it('on line with FSD latched is not power back', () => {
    const d = evaluatePowerReturn(
      input(
        {
          A: [
            [0, 'OB'],
            [110, 'OL FSD'],
          ],
        },
        140,
      ),
    );
    assert.equal(d.action, 'continue');
  });

  it('silence after power came back is not power back', () => {
    const d = evaluatePowerReturn(
      input(
        {
          A: [
            [0, 'OB'],
            [110, 'OL'],
            [115, 'lost'],
          ],
        },
        140,
      ),
    );
    assert.equal(d.powerBack, false);
  });
});
