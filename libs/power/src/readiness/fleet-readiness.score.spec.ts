import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';

import { nextStaleAt, scoreFleet, scoreHost } from './fleet-readiness.score';
import { READINESS_CHECK_CODES, type ReadinessCheckCode, type ReadinessCheckResult } from './fleet-readiness.types';

const now = Date.parse('2026-12-04T10:00:00Z');
const options = { now, staleAfterSeconds: 3600 };

function checks(failing: readonly ReadinessCheckCode[] = [], checkedAt = now - 1000): ReadinessCheckResult[] {
  return READINESS_CHECK_CODES.map((code) => ({ code, ok: !failing.includes(code), message: code, checkedAt }));
}

describe('fleet readiness scores', () => {
  it('a host with every check passing scores 100', () => {
    assert.equal(scoreHost({ hostId: 'h', groupId: null, checks: checks() }, options).score, 100);
  });

  it('one failing check out of 11 takes a host below 100, rounded down, and comes first', () => {
    const h = scoreHost({ hostId: 'h', groupId: null, checks: checks(['WOL_MAC']) }, options);
    assert.equal(h.score, 90);
    assert.equal(h.checks[0]?.code, 'WOL_MAC');
    assert.deepEqual(
      h.checks.slice(1).map((c) => c.code),
      READINESS_CHECK_CODES.filter((c) => c !== 'WOL_MAC'),
    );
  });

  it('failing checks keep the code order among themselves', () => {
    const h = scoreHost({ hostId: 'h', groupId: null, checks: checks(['FSD_CLEAR', 'SSH_AUTH']).reverse() }, options);
    assert.deepEqual(
      h.checks.slice(0, 2).map((c) => c.code),
      ['SSH_AUTH', 'FSD_CLEAR'],
    );
  });

  it('a result older than staleAfterSeconds counts as failing and says so', () => {
    const old = checks([], now - 3601 * 1000);
    const h = scoreHost({ hostId: 'h', groupId: null, checks: old }, options);
    assert.equal(h.score, 0);
    assert.match(h.checks[0]?.message ?? '', /^not checked since 2026-12-04T08:59:59\.000Z \(last result: ok/);
  });

  it('a host without results has no score and does not count in the fleet', () => {
    const fleet = scoreFleet(
      [
        { hostId: 'new', groupId: 'g', checks: [] },
        { hostId: 'a', groupId: 'g', checks: checks(['VM_TOOLS']) },
      ],
      options,
    );
    assert.equal(fleet.hosts.find((h) => h.hostId === 'new')?.score, null);
    assert.equal(fleet.score, 90);
    assert.deepEqual(fleet.groups, [{ groupId: 'g', score: 90, hostCount: 2, failingHostCount: 1 }]);
    assert.equal(scoreFleet([], options).score, null);
  });

  it('fleet and groups are the mean of their hosts, lowest first', () => {
    const fleet = scoreFleet(
      [
        { hostId: 'b', groupId: 'lab', checks: checks() },
        { hostId: 'a', groupId: 'lab', checks: checks(['SSH_AUTH', 'ESXI_ANSWERS']) },
        { hostId: 'c', groupId: null, checks: checks() },
        { hostId: 'd', groupId: 'edge', checks: checks(['WOL_PROVEN']) },
      ],
      options,
    );
    // 81 + 100 + 100 + 90 = 371 / 4
    assert.equal(fleet.score, 92);
    assert.deepEqual(
      fleet.hosts.map((h) => [h.hostId, h.score]),
      [
        ['a', 81],
        ['d', 90],
        ['b', 100],
        ['c', 100],
      ],
    );
    assert.deepEqual(
      fleet.groups.map((g) => [g.groupId, g.score, g.failingHostCount]),
      [
        ['edge', 90, 1],
        ['lab', 90, 1],
        [null, 100, 0],
      ],
    );
  });
});

test('nextStaleAt: the first fresh result to turn stale, when scoring then gives another answer', () => {
  const check = (code: ReadinessCheckResult['code'], checkedAt: number): ReadinessCheckResult => ({
    code,
    ok: true,
    message: 'ok',
    checkedAt,
  });
  const at100s = { now: 100_000, staleAfterSeconds: 60 };
  const hosts = [
    { hostId: 'a', groupId: null, checks: [check('SSH_AUTH', 90_000), check('VIB_IN_SYNC', 50_000)] },
    { hostId: 'b', groupId: null, checks: [check('SSH_AUTH', 30_000)] },
  ];
  // b's result (30 s + 60 s) is stale already; a's VIB_IN_SYNC turns at 110 s + 1 ms.
  const at = nextStaleAt(hosts, at100s);
  assert.equal(at, 110_001);
  const scored = (now: number): Array<number | null> => hosts.map((h) => scoreHost(h, { ...at100s, now }).score);
  assert.deepEqual(scored(110_000), scored(at100s.now), 'nothing changes before it');
  assert.notDeepEqual(scored(110_001), scored(at100s.now), 'the score changes at it');
  assert.equal(nextStaleAt([{ checks: [] }], at100s), undefined);
  assert.equal(nextStaleAt([{ checks: [check('SSH_AUTH', 0)] }], at100s), undefined, 'all stale already');
});
