import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  hostEventDraft,
  planCreatedDraft,
  planFinishedDraft,
  type PlanSource,
  powerEventDrafts,
  type PowerEventSource,
} from './notification-events';
import { routeEvent } from './notification-routing';

const power = (o: Partial<PowerEventSource>): PowerEventSource => ({
  id: 7n,
  type: 'STATUS_CHANGE',
  upsId: 'u1',
  status: 'OL',
  previousStatus: null,
  receivedAt: new Date('2026-01-01T00:00:00Z'),
  upsAddress: 'ups1@nut:3493',
  charge: '80',
  runtime: '600',
  hosts: ['esx-01', 'esx-02'],
  ...o,
});

const plan = (o: Partial<PlanSource>): PlanSource => ({
  id: 'p1',
  kind: 'SHUTDOWN',
  mode: 'ARMED',
  state: 'RUNNING',
  reason: 'outage',
  createdBy: 'leader',
  createdAt: new Date(0),
  finishedAt: null,
  steps: 4,
  failedSteps: 0,
  ...o,
});

describe('powerEventDrafts', () => {
  test('OL -> OB DISCHRG is one on-battery warning with charge and runtime', () => {
    const [d, ...rest] = powerEventDrafts(power({ status: 'OB DISCHRG', previousStatus: 'OL' }));
    assert.equal(rest.length, 0);
    assert.equal(d?.message.eventType, 'ups.on-battery');
    assert.equal(d?.message.severity, 'WARNING');
    assert.equal(d?.dedupKey, 'power-event:7:on-battery');
    assert.ok(d?.message.fields.some((f) => f.value === '80 %'));
  });

  test('each names the hosts the UPS feeds', () => {
    const [d] = powerEventDrafts(power({ status: 'OB DISCHRG', previousStatus: 'OL' }));
    assert.match(d?.message.text ?? '', /It feeds 2 hosts: esx-01, esx-02\.$/);
    assert.deepEqual(d?.message.fields.at(-1), { label: 'Hosts fed', value: 'esx-01, esx-02' });
    const [lost] = powerEventDrafts(power({ type: 'COMM_LOST', hosts: [] }));
    assert.match(lost?.message.text ?? '', /It feeds no host\.$/);
  });

  test('OB -> OB LB is low battery (critical); OL -> OB LB is both; OB -> OL is power restored', () => {
    assert.deepEqual(
      powerEventDrafts(power({ status: 'OB LB', previousStatus: 'OB' })).map((d) => d.message.eventType),
      ['ups.low-battery'],
    );
    assert.deepEqual(
      powerEventDrafts(power({ status: 'OB LB', previousStatus: 'OL' })).map((d) => d.message.eventType),
      ['ups.low-battery', 'ups.on-battery'],
    );
    assert.deepEqual(
      powerEventDrafts(power({ status: 'OL CHRG', previousStatus: 'OB' })).map((d) => d.message.severity),
      ['INFO'],
    );
  });

  test('first reading OL and charge changes are not notified; comm events are', () => {
    assert.equal(powerEventDrafts(power({})).length, 0);
    assert.equal(powerEventDrafts(power({ status: 'OL CHRG', previousStatus: 'OL' })).length, 0);
    assert.equal(powerEventDrafts(power({ type: 'COMM_LOST' }))[0]?.message.eventType, 'ups.comm-lost');
    assert.equal(powerEventDrafts(power({ type: 'COMM_RESTORED' }))[0]?.message.eventType, 'ups.comm-restored');
    assert.equal(powerEventDrafts(power({ type: 'DECISION' })).length, 0);
  });
});

describe('plan drafts', () => {
  test('an armed shutdown is critical, a dry run informational', () => {
    assert.equal(planCreatedDraft(plan({}))?.message.severity, 'CRITICAL');
    assert.equal(planCreatedDraft(plan({ mode: 'DRY_RUN' }))?.message.severity, 'INFO');
  });

  test('finished plans map to succeeded / failed / cancelled; rollouts to rollout.*', () => {
    const at = new Date(1000);
    assert.equal(planFinishedDraft(plan({}))?.message.eventType, undefined);
    assert.equal(planFinishedDraft(plan({ state: 'SUCCEEDED', finishedAt: at }))?.message.eventType, 'plan.succeeded');
    const failed = planFinishedDraft(plan({ state: 'FAILED', finishedAt: at, failedSteps: 2 }));
    assert.equal(failed?.message.severity, 'CRITICAL');
    assert.match(failed?.message.text ?? '', /2 failed step/);
    assert.equal(planFinishedDraft(plan({ state: 'CANCELLED', finishedAt: at }))?.message.eventType, 'plan.cancelled');
    assert.equal(
      planFinishedDraft(plan({ kind: 'ROLLOUT', state: 'FAILED', finishedAt: at }))?.message.eventType,
      'rollout.failed',
    );
  });

  test('an ended shutdown or restart plan links its report; a rollout does not', () => {
    const at = new Date(1000);
    const url = 'https://nutfleet.example.org/ui/#/plans/p1/report';
    for (const kind of ['SHUTDOWN', 'RESTART'] as const) {
      const message = planFinishedDraft(plan({ kind, state: 'FAILED', finishedAt: at }), url)?.message;
      assert.deepEqual(
        message?.fields.find((f) => f.label === 'Report'),
        { label: 'Report', value: url },
      );
      assert.ok(message?.text.endsWith(`Report: ${url}`));
    }
    const rollout = planFinishedDraft(plan({ kind: 'ROLLOUT', state: 'FAILED', finishedAt: at }), url)?.message;
    assert.equal(
      rollout?.fields.find((f) => f.label === 'Report'),
      undefined,
    );
  });
});

describe('hostEventDraft', () => {
  test('only key mismatches, as critical', () => {
    const base = { id: 3n, hostId: 'h', hostName: 'esx1', message: 'Key changed.', at: new Date(0) };
    assert.equal(hostEventDraft({ ...base, type: 'HOST_KEY_MISMATCH' })?.message.severity, 'CRITICAL');
    assert.equal(hostEventDraft({ ...base, type: 'HOST_KEY_TRUSTED' }), null);
  });
});

describe('routeEvent', () => {
  const channels = [
    { id: 'all-warn', enabled: true, routes: [{ eventTypes: [], minSeverity: 'WARNING' as const }] },
    {
      id: 'plans',
      enabled: true,
      routes: [{ eventTypes: ['plan.failed', 'plan.created'], minSeverity: 'INFO' as const }],
    },
    { id: 'off', enabled: false, routes: [{ eventTypes: [], minSeverity: 'INFO' as const }] },
    { id: 'unrouted', enabled: true, routes: [] },
  ];
  test('by type and minimum severity; disabled and unrouted channels get nothing', () => {
    assert.deepEqual(routeEvent(channels, 'ups.on-battery', 'WARNING'), ['all-warn']);
    assert.deepEqual(routeEvent(channels, 'ups.on-line', 'INFO'), []);
    assert.deepEqual(routeEvent(channels, 'plan.failed', 'CRITICAL'), ['all-warn', 'plans']);
    assert.deepEqual(routeEvent(channels, 'plan.created', 'INFO'), ['plans']);
  });
});
