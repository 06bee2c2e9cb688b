import { escapeHtml as e } from './html-text';
import { type PlanReport, type ReportBattery, type ReportHost } from './plan-report.types';

/**
 * The report as one self-contained, printable HTML page: no script, no external asset (it is
 * opened from notifications and printed for post-mortems), every value escaped.
 */
export function renderPlanReportHtml(report: PlanReport): string {
  const title = `${report.mode === 'ARMED' ? 'Armed' : 'Dry-run'} ${report.kind.toLowerCase()} plan ${report.planId}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Report: ${e(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${e(title)}</h1>
${summarySection(report)}
${fixesSection(report)}
${hostsSection(report)}
${failuresSection(report)}
${batterySection(report.battery)}
${timelineSection(report)}
<footer>Generated ${e(report.generatedAt)} by nutfleet${report.ended ? '' : ' while the plan was still running: figures are up to this moment'}.</footer>
</body>
</html>
`;
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#111;max-width:70em}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;margin:.5em 0}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
.bad{color:#a00;font-weight:600}.warn{color:#a60}.ok{color:#070}.muted{color:#666}
dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:600}dd{margin:0}
footer{margin-top:2em;color:#666;font-size:.9em}
@media print{body{margin:0;max-width:none;font-size:11px}h2{break-after:avoid}tr{break-inside:avoid}a{color:inherit;text-decoration:none}}
`;

const seconds = (s: number | null): string => (s === null ? '—' : `${s} s`);
const signed = (s: number | null): string => (s === null ? '—' : `${s > 0 ? '+' : ''}${s} s`);
const percent = (p: number | null): string => (p === null ? '—' : `${p} %`);
const OUTCOME_TONE: Readonly<Record<ReportHost['outcome'], string>> = {
  succeeded: 'ok',
  failed: 'bad',
  cancelled: 'warn',
  skipped: 'muted',
  unfinished: 'warn',
};

function summarySection(r: PlanReport): string {
  const s = r.summary;
  const rows: Array<[string, string]> = [
    [
      'State',
      `<span class="${r.state === 'SUCCEEDED' ? 'ok' : r.state === 'FAILED' ? 'bad' : 'warn'}">${e(r.state)}</span>`,
    ],
    ['Reason', e(r.reason ?? '—')],
    ['Created', `${e(r.createdAt)}${r.createdBy ? ` by ${e(r.createdBy)}` : ''}`],
    ['Started', e(r.startedAt ?? 'never')],
    ['Ended', e(r.finishedAt ?? (r.ended ? '—' : 'still running'))],
    ['Duration', `${e(seconds(r.actualSeconds))} (predicted ${e(seconds(r.predictedSeconds))})`],
    ['Hosts', `${s.hosts}: ${s.hostsSucceeded} succeeded, ${s.hostsFailed} failed`],
    ['Steps', `${s.steps}: ${s.stepsFailed} failed, ${s.stepsCancelled} cancelled`],
  ];
  if (r.cancelledBy !== null) rows.push(['Cancelled by', e(r.cancelledBy)]);
  if (r.outageId !== null) rows.push(['Outage', e(r.outageId)]);
  return `<h2>Summary</h2>\n<dl>${rows.map(([k, v]) => `<dt>${e(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function fixesSection(r: PlanReport): string {
  if (r.fixes.length === 0) return `<h2>What to fix</h2>\n<p class="ok">Nothing failed.</p>`;
  const items = r.fixes.map(
    (f) =>
      `<li><strong>${e(f.cause)}</strong> (${e(f.targets.join(', ') || 'plan')}): ${e(f.fix)}${
        f.readinessCheck === null ? '' : ` <span class="muted">Readiness check: ${e(f.readinessCheck)}.</span>`
      }</li>`,
  );
  return `<h2>What to fix</h2>\n<ul>${items.join('\n')}</ul>`;
}

function hostsSection(r: PlanReport): string {
  if (r.hosts.length === 0) return '';
  const rows = r.hosts.map((h) => {
    const steps = h.steps
      .map((s) => {
        const source = s.predictionSource === null ? '' : ` <span class="muted">[${e(s.predictionSource.text)}]</span>`;
        return `<tr><td></td><td>${e(s.what)}</td><td class="${OUTCOME_TONE[stepTone(s.state)]}">${e(s.state)}</td><td class="n">${e(seconds(s.predictedSeconds))}${source}</td><td class="n">${e(seconds(s.actualSeconds))}</td><td></td></tr>`;
      })
      .join('');
    const budget =
      h.budgetSeconds === null ? '' : ` <span class="muted">(budget ${e(seconds(h.budgetSeconds))})</span>`;
    return `<tr><th>${e(h.hostName)}</th><td>host</td><td class="${OUTCOME_TONE[h.outcome]}">${e(h.outcome)}</td><td class="n">${e(seconds(h.predictedSeconds))}${budget}</td><td class="n">${e(seconds(h.actualSeconds))}</td><td class="n">${e(signed(h.differenceSeconds))}</td></tr>${steps}`;
  });
  return `<h2>Hosts: predicted vs actual</h2>
<table><thead><tr><th>Host</th><th>Step</th><th>Result</th><th>Predicted</th><th>Actual</th><th>Difference</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function stepTone(state: string): ReportHost['outcome'] {
  if (state === 'FAILED') return 'failed';
  if (state === 'CANCELLED') return 'cancelled';
  if (state === 'SKIPPED') return 'skipped';
  return state === 'SUCCEEDED' ? 'succeeded' : 'unfinished';
}

function failuresSection(r: PlanReport): string {
  if (r.failures.length === 0) return '';
  const rows = r.failures.map(
    (f) =>
      `<tr><td>${e(f.at ?? '—')}</td><td>${e(f.hostName ?? '—')}</td><td>${e(f.what)}</td><td class="bad">${e(f.cause)}</td><td>${e(f.error)}</td><td>${e(f.fix)}</td></tr>`,
  );
  return `<h2>What failed and why</h2>
<table><thead><tr><th>When</th><th>Host</th><th>Step</th><th>Cause</th><th>Error</th><th>Fix</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function batterySection(battery: readonly ReportBattery[]): string {
  if (battery.length === 0) return '';
  const rows = battery.map(
    (b) =>
      `<tr><td>${e(b.upsName)}</td><td class="n">${e(percent(b.start?.chargePercent ?? null))} / ${e(seconds(b.start?.runtimeSeconds ?? null))}</td><td class="n">${e(percent(b.end?.chargePercent ?? null))} / ${e(seconds(b.end?.runtimeSeconds ?? null))}</td><td class="n">${e(percent(b.chargeUsedPercent))}</td><td class="n">${e(seconds(b.runtimeUsedSeconds))}</td><td class="n">${e(percent(b.lowestChargePercent))}</td><td class="n">${b.samples}</td></tr>`,
  );
  return `<h2>Battery used</h2>
<table><thead><tr><th>UPS</th><th>At start (charge / runtime)</th><th>At end</th><th>Charge used</th><th>Runtime used</th><th>Lowest charge</th><th>Samples</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function timelineSection(r: PlanReport): string {
  const rows = r.timeline.map(
    (t) =>
      `<tr${t.problem ? ' class="bad"' : ''}><td>${e(t.at)}</td><td class="n">${e(signed(t.offsetSeconds))}</td><td>${e(t.kind)}</td><td>${e(t.text)}</td></tr>`,
  );
  return `<h2>Timeline</h2>
<table><thead><tr><th>At</th><th>From start</th><th>What</th><th>Event</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}
