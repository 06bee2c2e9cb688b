import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { at, feeds, history, host } from '../test/power-fixtures';
import { decideFleet } from './fleet-decision.evaluator';
import { decideHost } from './host-decision.evaluator';
import { PowerInputError } from './power-input.error';
import { resolveShutdownPolicy } from './shutdown-policy';

describe('decideFleet', () => {
  const policies = [
    resolveShutdownPolicy({ id: 'default' }),
    resolveShutdownPolicy({ id: 'early', triggers: { onBatterySeconds: 60 } }),
  ];
  // UPS A is on battery with LB; UPS B is on battery since 10 s (no LB).
  const histories = [
    history('A', [
      [0, 'OL'],
      [10, 'OB'],
      [100, 'OB LB'],
    ]),
    history('B', [
      [0, 'OL'],
      [10, 'OB'],
    ]),
  ];
  const hosts = [
    host('h-a-only'),
    host('h-ab-min1'),
    host('h-ab-min2', { minSupplies: 2 }),
    host('h-b-early', { policyId: 'early' }),
    host('h-b-default'),
    host('h-bad', { minSupplies: 2 }),
    host('h-no-policy', { policyId: 'missing' }),
  ];
  const allFeeds = [
    ...feeds('h-a-only', { A: 1 }),
    ...feeds('h-ab-min1', { A: 1, B: 1 }),
    ...feeds('h-ab-min2', { A: 1, B: 1 }),
    ...feeds('h-b-early', { B: 1 }),
    ...feeds('h-b-default', { B: 1 }),
    ...feeds('h-bad', { B: 1 }),
    ...feeds('h-no-policy', { B: 1 }),
  ];

  it('several hosts on 2 UPSes with different minSupplies and policies', () => {
    const fleet = decideFleet({ hosts, feeds: allFeeds, histories, policies, now: at(101) });
    assert.deepEqual(fleet.criticalHostIds, ['h-a-only', 'h-ab-min2', 'h-b-early']);
    assert.deepEqual(
      fleet.errors.map((e) => [e.hostId, e.error.field]),
      [
        ['h-bad', 'hosts[h-bad].minSupplies'],
        ['h-no-policy', 'hosts[h-no-policy].policyId'],
      ],
    );
    assert.ok(fleet.errors.every((e) => e.error instanceof PowerInputError));
  });

  it('judges each UPS once per policy for the whole fleet, with the verdicts each host gets on its own', () => {
    const now = at(101);
    const fleet = decideFleet({ hosts: hosts.slice(0, 5), feeds: allFeeds, histories, policies, now });
    const byId = new Map(histories.map((h) => [h.upsId, h]));
    const alone = hosts.slice(0, 5).map((h) =>
      decideHost({
        host: h,
        feeds: allFeeds.filter((f) => f.hostId === h.id),
        histories: byId,
        policy: policies.find((p) => p.id === h.policyId) ?? policies[0]!,
        now,
      }),
    );
    assert.deepEqual(
      fleet.hosts,
      [...alone].sort((a, b) => a.hostId.localeCompare(b.hostId)),
    );
    const early = fleet.hosts.find((d) => d.hostId === 'h-b-early')?.supplies[0];
    const normal = fleet.hosts.find((d) => d.hostId === 'h-b-default')?.supplies[0];
    assert.equal(early?.critical, true, 'UPS B under the early policy');
    assert.equal(normal?.critical, false, 'the same UPS under the default policy: judged apart');
  });

  it('reports the earliest re-evaluation instant across hosts', () => {
    const fleet = decideFleet({ hosts: hosts.slice(0, 5), feeds: allFeeds, histories, policies, now: at(30) });
    assert.deepEqual(fleet.criticalHostIds, []);
    assert.equal(fleet.nextEvaluationAt, at(70));
  });

  it('refuses a shuffled history with a typed error naming the field', () => {
    const shuffled = [
      history('A', [
        [10, 'OB'],
        [0, 'OL'],
      ]),
    ];
    const fleet = decideFleet({
      hosts: [host('h1')],
      feeds: feeds('h1', { A: 1 }),
      histories: shuffled,
      policies,
      now: at(20),
    });
    assert.equal(fleet.errors[0]?.error.field, 'histories[A].observations[1].at');
  });

  it('refuses invalid policy values naming the field', () => {
    assert.throws(
      () => resolveShutdownPolicy({ id: 'p', triggers: { chargeBelowPercent: 140 } }),
      (e: unknown) => e instanceof PowerInputError && e.field === 'policies[p].triggers.chargeBelowPercent',
    );
    assert.throws(() => resolveShutdownPolicy({ id: 'p', commLoss: { deadtimeSeconds: -1 } }), PowerInputError);
  });
});
