import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boundedShutdownDeadlines, type DeadlineHost, describeShutdownDeadline } from './shutdown-deadline';

const host = (id: string, stage: number, upsIds: string[], ownSeconds: number): DeadlineHost => ({
  id,
  name: id,
  stage,
  upsIds,
  ownSeconds,
});

describe('boundedShutdownDeadlines', () => {
  const fleet = [
    host('a0', 0, ['ups-a'], 300),
    host('a0-fast', 0, ['ups-a'], 180),
    host('a1', 1, ['ups-a'], 200),
    host('a2', 2, ['ups-a'], 180),
    host('b0', 0, ['ups-b'], 900),
    host('ab1', 1, ['ups-a', 'ups-b'], 250),
  ];

  it("earlier stages on the host's own UPSes, each as long as its slowest host, then its own steps", () => {
    const d = boundedShutdownDeadlines(fleet);
    assert.deepEqual(d.get('a0'), {
      hostId: 'a0',
      deadlineSeconds: 300,
      stage: 0,
      ownSeconds: 300,
      upsIds: ['ups-a'],
      earlierStages: [],
    });
    assert.equal(d.get('a1')?.deadlineSeconds, 300 + 200);
    assert.deepEqual(d.get('a1')?.earlierStages, [{ stage: 0, seconds: 300, boundedBy: { id: 'a0', name: 'a0' } }]);
    // Stage 1 on ups-a is as long as its slowest host: ab1 (250 s), fed by ups-a too.
    assert.equal(d.get('a2')?.deadlineSeconds, 300 + 250 + 180);
    assert.equal(d.get('a2')?.earlierStages[1]?.boundedBy.name, 'ab1');
    // Fed by both: either outage can take it down, the slowest earlier stage of both counts.
    assert.equal(d.get('ab1')?.deadlineSeconds, 900 + 250);
  });

  it('hosts added on other UPSes, in the same stage or in later stages never move a host', () => {
    const before = boundedShutdownDeadlines(fleet);
    const added = [
      ...fleet,
      ...Array.from({ length: 20 }, (_, i) => host(`c${i}`, 0, ['ups-c'], 5000)),
      ...Array.from({ length: 20 }, (_, i) => host(`late${i}`, 3, ['ups-a'], 5000)),
      ...Array.from({ length: 20 }, (_, i) => host(`same${i}`, 1, ['ups-a'], 5000)),
    ];
    const after = boundedShutdownDeadlines(added);
    for (const id of ['a0', 'a0-fast', 'a1', 'b0', 'ab1']) assert.deepEqual(after.get(id), before.get(id), id);
    // a2 follows stage 1 on ups-a, which the slow `same*` hosts now lengthen: that one is real.
    assert.equal(after.get('a2')?.earlierStages[1]?.boundedBy.name, 'same0');
  });

  it('a host without a UPS counts only its own steps; ties name the first host', () => {
    const d = boundedShutdownDeadlines([
      host('lone', 4, [], 120),
      host('y', 0, ['u'], 100),
      host('x', 0, ['u'], 100),
      host('z', 1, ['u'], 1),
    ]);
    assert.equal(d.get('lone')?.deadlineSeconds, 120);
    assert.equal(d.get('z')?.earlierStages[0]?.boundedBy.name, 'x');
  });

  it('says what the deadline is counted from', () => {
    const d = boundedShutdownDeadlines(fleet).get('a2');
    assert.ok(d);
    assert.equal(
      describeShutdownDeadline(d, (id) => `${id}@nut1`),
      '730 s: stage 2 in an outage of ups-a@nut1 starts after stage 0 (300 s, set by a0), stage 1 (250 s, set by ab1); ' +
        "then this host's own steps take 180 s (its VM batches one after another, then its poweroff). " +
        'Hosts on other UPSes or in later stages do not count',
    );
  });
});
