import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { escapeHtml } from './html-text';
import { buildPlanReport } from './plan-report.builder';
import { renderPlanReportHtml } from './plan-report.html';
import { at, reportInput, reportPlan, shutdownStep } from './report-fixtures';

const EVIL = '<script>alert(1)</script>';

describe('renderPlanReportHtml', () => {
  test('names from the fleet are escaped everywhere: no tag of theirs reaches the page', () => {
    const host = { hostId: '11111111-1111-4111-8111-111111111111', hostName: `esx"${EVIL}` };
    const html = renderPlanReportHtml(
      buildPlanReport(
        reportInput({
          plan: reportPlan({ state: 'FAILED', reason: EVIL }),
          ups: [{ id: 'u1', name: `${EVIL}@nut` }],
          samples: [{ upsId: 'u1', at: at(0), charge: 90, runtimeSeconds: 600 }],
          events: [
            { type: 'STATUS_CHANGE', upsId: 'u1', upsName: EVIL, status: 'OB', previousStatus: 'OL', at: at(1) },
          ],
          steps: [
            shutdownStep({
              ...host,
              vm: { id: '1', name: EVIL },
              predicted: [0, 10],
              ran: [0, 5],
              state: 'FAILED',
              error: `vm ${EVIL} failed`,
            }),
            shutdownStep({ ...host, predicted: [10, 20], ran: [5, 9] }),
          ],
        }),
      ),
    );
    assert.ok(!html.includes('<script'), 'no script element at all');
    assert.ok(!html.includes('alert(1)</'), 'no closing tag of theirs');
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('esx&quot;&lt;script&gt;'));
  });

  test('self-contained and printable: a print stylesheet, no external asset or script', () => {
    const html = renderPlanReportHtml(buildPlanReport(reportInput()));
    assert.match(html, /@media print/);
    assert.doesNotMatch(html, /<link|<script|src=|https?:\/\//i);
  });

  test('shows each host predicted against actual, the failures with their fix, and the battery used', () => {
    const esx1 = { hostId: '11111111-1111-4111-8111-111111111111', hostName: 'esx1' };
    const html = renderPlanReportHtml(
      buildPlanReport(
        reportInput({
          plan: reportPlan({ state: 'FAILED' }),
          ups: [{ id: 'u1', name: 'ups1@nut1' }],
          samples: [
            { upsId: 'u1', at: at(0), charge: 90, runtimeSeconds: 600 },
            { upsId: 'u1', at: at(90), charge: 72, runtimeSeconds: 400 },
          ],
          steps: [
            shutdownStep({
              ...esx1,
              predicted: [0, 20],
              ran: [0, 25],
              state: 'FAILED',
              error: 'Authentication to 127.0.0.1:2201 was refused: check the user name and credentials stored for it.',
              predictionSource: {
                kind: 'policy',
                text: 'policy Default: host power-off timeout 20 s',
                setting: 'hostPowerOffTimeoutSecs',
              },
            }),
          ],
        }),
      ),
    );
    assert.match(
      html,
      /<th>esx1<\/th><td>host<\/td><td class="bad">failed<\/td><td class="n">20 s<\/td><td class="n">25 s<\/td><td class="n">\+5 s<\/td>/,
    );
    assert.match(html, /policy Default: host power-off timeout 20 s/);
    assert.match(html, /<strong>SSH_AUTH<\/strong> \(esx1\)/);
    assert.match(html, /<td class="n">18 %<\/td><td class="n">200 s<\/td>/);
  });

  test('a plan still running says its figures are partial', () => {
    const html = renderPlanReportHtml(
      buildPlanReport(reportInput({ plan: reportPlan({ state: 'RUNNING', finishedAt: null }) })),
    );
    assert.match(html, /still running/);
  });
});

describe('escapeHtml', () => {
  test('the five characters that matter, and nothing else', () => {
    assert.equal(escapeHtml(`a&b<c>d"e'f é`), 'a&amp;b&lt;c&gt;d&quot;e&#39;f é');
    assert.equal(escapeHtml(null), '');
    assert.equal(escapeHtml(3), '3');
  });
});
