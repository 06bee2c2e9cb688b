import { type DrillReport, type DrillStepReport, escapeHtml as esc } from '@nutfleet/plan';

const secs = (v: number | null): string => (v === null ? '—' : `${v.toFixed(v < 10 ? 2 : 1)} s`);
const when = (v: string | null): string => (v === null ? '—' : esc(v.replace('T', ' ').replace(/\.\d+Z$/, 'Z')));

const link = (label: string, path: string | null): string =>
  path === null ? `${label} —` : `<a href="${esc(path)}">${label} plan report</a>`;

function stepRow(s: DrillStepReport): string {
  return `<tr class="${s.problem !== null ? 'bad' : ''}"><td>${esc(s.plan)}</td><td>${esc(s.action)}${s.vm !== null ? ` ${esc(s.vm)}` : ''}</td><td>${esc(s.state)}</td><td>${secs(s.predictedSeconds)}</td><td>${secs(s.budgetSeconds)}</td><td>${secs(s.measuredSeconds)}</td><td>${esc(s.verdict)}</td><td>${esc(s.problem ?? '')}</td></tr>`;
}

/**
 * A drill's report as one printable HTML page (no script, no external resource): the summary,
 * then per host (failing first) its shutdown span, wake verification and every step.
 */
export function drillReportHtml(r: DrillReport): string {
  const title = `${r.kind === 'live' ? 'Live drill' : 'Rehearsal'} of ${r.group} — ${r.state}`;
  const hosts = r.hosts
    .map((h) => {
      const wake =
        h.wake === null
          ? ''
          : `<p>Wake-on-LAN: ${h.wake.verified ? `verified ${secs(h.wake.secondsToVerified)} after the magic packet (budget ${secs(h.wake.budgetSeconds)})` : `<strong>not verified</strong>: ${esc(h.wake.why ?? '')}`}</p>`;
      const failures =
        h.failures.length === 0
          ? ''
          : `<ul>${h.failures.map((f) => `<li><code>${esc(f.key)}</code>: ${esc(f.why)}${f.fix !== null ? ` — fix: ${esc(f.fix)}` : ''}</li>`).join('')}</ul>`;
      return `<section><h2>${esc(h.hostName)} — ${esc(h.result)}</h2>
<p>Shutdown: predicted ${secs(h.shutdown.predictedSeconds)}, measured ${secs(h.shutdown.measuredSeconds)} (${esc(h.shutdown.verdict)}), ${when(h.shutdown.startedAt)} → ${when(h.shutdown.finishedAt)}</p>
${wake}${failures}<table><thead><tr><th>plan</th><th>step</th><th>state</th><th>predicted</th><th>timeout</th><th>measured</th><th>verdict</th><th>problem</th></tr></thead>
<tbody>${h.steps.map(stepRow).join('')}</tbody></table></section>`;
    })
    .join('\n');
  const s = r.summary;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}tr.bad td{background:#fdd}section{break-inside:avoid;margin-top:1.5em}</style>
</head><body>
<h1>${esc(title)}</h1>
<p>Requested by ${esc(r.requestedBy)}; ${when(r.startedAt)} → ${when(r.finishedAt)}.${r.error !== null ? ` <strong>${esc(r.error)}</strong>` : ''}</p>
<p>${s.hosts} host(s): ${s.ok} ok, ${s.failed} failed, ${s.notRun} not run, ${s.slower} slower than predicted${s.woken !== null ? `, ${s.woken} woken and verified` : ''}.
Plans: ${link('shutdown', r.planReports.shutdown)}${r.planReports.restart !== null ? `, ${link('restart', r.planReports.restart)}` : ''}.</p>
${r.kind === 'rehearsal' ? '<p>A rehearsal runs only the read-only part of each step: its measured time is the connection and the reads, compared with the whole step’s prediction (<em>fits</em> = no longer than predicted).</p>' : ''}
${hosts}
</body></html>
`;
}
