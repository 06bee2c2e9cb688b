/**
 * Where people open a plan's report: the dashboard's report page (it signs the request with the
 * viewer's token and offers the printable page). Notifications and the demo print it whole.
 */
export function planReportPagePath(planId: string): string {
  return `/ui/#/plans/${encodeURIComponent(planId)}/report`;
}

/** The report page's address under the orchestrator's public base URL (no trailing slash). */
export function planReportUrl(publicUrl: string, planId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${planReportPagePath(planId)}`;
}
