import assert from 'node:assert/strict';
import { test } from 'node:test';

import { type DrillReport } from '@nutfleet/plan';

import { drillReportHtml } from './drill-report.html';

test('the printable report escapes what hosts and errors say and names the failing step', () => {
  const report: DrillReport = {
    drillId: 'd1',
    kind: 'live',
    group: 'lab<1>',
    requestedBy: 'operator:ops',
    state: 'FAILED',
    startedAt: '2026-12-04T10:00:00.000Z',
    finishedAt: '2026-12-04T10:02:00.000Z',
    error: null,
    shutdownPlanId: 'p1',
    restartPlanId: 'p2',
    planReports: { shutdown: '/ui/#/plans/p1/report', restart: '/ui/#/plans/p2/report' },
    summary: { hosts: 1, ok: 0, failed: 1, notRun: 0, slower: 0, woken: 0 },
    hosts: [
      {
        hostId: 'h1',
        hostName: 'esx-<b>',
        result: 'failed',
        shutdown: {
          predictedSeconds: 5,
          measuredSeconds: 4.2,
          startedAt: null,
          finishedAt: null,
          verdict: 'as-predicted',
        },
        steps: [],
        failures: [{ key: 'restart:h1:wait-ssh', why: 'no SSH answer "in time"', cause: null, fix: 'check <the NIC>' }],
        wake: {
          verified: false,
          packetSentAt: null,
          verifiedAt: null,
          secondsToVerified: null,
          budgetSeconds: 60,
          why: 'x',
        },
      },
    ],
  };
  const html = drillReportHtml(report);
  assert.ok(html.includes('Live drill of lab&lt;1&gt; — FAILED'));
  assert.ok(html.includes('esx-&lt;b&gt;'));
  assert.ok(html.includes('no SSH answer &quot;in time&quot;'));
  assert.ok(html.includes('<strong>not verified</strong>'));
  assert.ok(html.includes('check &lt;the NIC&gt;'), 'what to fix');
  assert.ok(html.includes('href="/ui/#/plans/p1/report"'), 'the shutdown plan’s own report');
  assert.ok(!html.includes('<b>'));
});
