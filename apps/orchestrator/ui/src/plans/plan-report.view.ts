/**
 * A plan's report: the API's printable page shown in a sandboxed frame (no script may run in it,
 * whatever a host or VM is called), with a button opening it alone for printing and the JSON.
 */
import { api, apiPage } from '../api.js';
import { type PlanReportDto } from '../api-types.generated.js';
import { clear, h, notice } from '../dom.js';

export function planReportView(root: HTMLElement, id: string): () => void {
  let blobUrl: string | undefined;
  const load = async (): Promise<void> => {
    const [html, report] = await Promise.all([
      apiPage(`/plans/${id}/report.html`),
      api<PlanReportDto>('GET', `/plans/${id}/report`),
    ]);
    blobUrl = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
    const json = URL.createObjectURL(new Blob([JSON.stringify(report, null, 2)], { type: 'application/json' }));
    const frame = h('iframe', {
      id: 'plan-report',
      title: 'Plan report',
      sandbox: '',
      style: 'width:100%;min-height:80vh;border:1px solid #ccc;background:#fff',
    });
    frame.srcdoc = html;
    clear(
      root,
      h('p', {}, h('a', { href: `#/plans/${id}` }, '← Plan')),
      h(
        'h2',
        {},
        `Report: ${report.kind.toLowerCase()} plan · ${report.summary.hostsSucceeded}/${report.summary.hosts} hosts succeeded`,
      ),
      h(
        'div',
        { class: 'toolbar' },
        h('a', { href: blobUrl, target: '_blank', rel: 'noopener', id: 'plan-report-print' }, 'Open printable page'),
        h('a', { href: json, download: `plan-${id}-report.json` }, 'Download JSON'),
      ),
      frame,
    );
  };
  void load().catch((e: Error) =>
    clear(root, h('p', {}, h('a', { href: `#/plans/${id}` }, '← Plan')), notice(e.message)),
  );
  return () => {
    if (blobUrl !== undefined) URL.revokeObjectURL(blobUrl);
  };
}
