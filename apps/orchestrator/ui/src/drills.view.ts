/** Drills: rehearsals and live drills of test groups, started here, and their reports. */
import { api, session } from './api.js';
import { type DrillDto, type DrillReportDto, type GroupDto, type StartDrillDto } from './api-types.generated.js';
import { ago, badge, clear, duration, h, notice } from './dom.js';
import { listAll } from './setup/list-all.js';

const REFRESH_MS = 3000;
const tone = (state: string): 'ok' | 'warn' | 'bad' | 'info' =>
  state === 'SUCCEEDED' ? 'ok' : state === 'RUNNING' ? 'info' : state === 'YIELDED' ? 'warn' : 'bad';
const secs = (v: number | null): string => (v === null ? '—' : `${v.toFixed(v < 10 ? 2 : 1)} s`);

/** The printable page needs the token, so it is fetched and opened from memory, not linked. */
async function openPrintable(id: string): Promise<void> {
  const token = session.token();
  const response = await fetch(`/drills/${id}/report?format=html`, {
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
  const url = URL.createObjectURL(new Blob([await response.text()], { type: 'text/html' }));
  window.open(url, '_blank', 'noopener');
}

export function drillsView(root: HTMLElement): () => void {
  const body = h('tbody');
  const status = h('p', { class: 'muted', role: 'status' });
  const kind = h(
    'select',
    { id: 'drill-kind' },
    h('option', { value: 'rehearsal' }, 'Rehearsal (read-only)'),
    h('option', { value: 'live' }, 'Live drill (power off, then Wake-on-LAN)'),
  );
  const group = h('select', { id: 'drill-group' });
  const confirm = h('input', { id: 'drill-confirm', placeholder: 'type the group’s name to confirm', hidden: true });
  const said = h('div', { role: 'alert' });
  const start = h('button', { type: 'submit' }, 'Start');

  const load = async (): Promise<void> => {
    try {
      const drills = await api<DrillDto[]>('GET', '/drills');
      clear(
        body,
        ...drills.map((d) =>
          h(
            'tr',
            {},
            h('td', {}, d.kind),
            h('td', {}, d.groupName),
            h('td', {}, badge(d.state, tone(d.state))),
            h('td', {}, `${d.hostIds.length}`),
            h('td', {}, d.requestedBy),
            h('td', {}, ago(d.createdAt)),
            h('td', {}, d.reportReady ? h('a', { href: `#/drills/${d.id}` }, 'report') : (d.error ?? '')),
          ),
        ),
      );
      if (drills.length === 0) clear(body, h('tr', {}, h('td', { colspan: '7', class: 'muted' }, 'No drill yet.')));
      status.textContent = `updated ${ago(new Date().toISOString())}`;
    } catch (error) {
      clear(status, notice(String((error as Error).message)));
    }
  };

  kind.addEventListener('change', () => {
    confirm.hidden = kind.value !== 'live';
  });
  const form = h(
    'form',
    {
      onsubmit: (e: Event) => {
        e.preventDefault();
        const live = kind.value === 'live';
        if (live && !window.confirm(`Power off every host of "${group.value}" for real, then wake them?`)) return;
        const dto: StartDrillDto = {
          kind: live ? 'live' : 'rehearsal',
          group: group.value,
          ...(live ? { confirm: confirm.value } : {}),
        };
        api<DrillDto, StartDrillDto>('POST', '/drills', dto)
          .then((d) => {
            clear(said, notice(`Drill ${d.id} started on ${d.hostIds.length} host(s).`, 'info'));
            void load();
          })
          .catch((error: Error) => clear(said, notice(error.message)));
      },
    },
    h('label', {}, 'Kind ', kind),
    ' ',
    h('label', {}, 'Group ', group),
    ' ',
    confirm,
    ' ',
    start,
  );
  listAll<GroupDto>('/groups')
    .then((groups) =>
      clear(group, ...groups.map((g) => h('option', { value: g.name }, `${g.name} (${g.hostCount} host(s))`))),
    )
    .catch((error: Error) => clear(said, notice(error.message)));
  clear(
    root,
    h('h2', {}, 'Drills'),
    h(
      'p',
      { class: 'muted' },
      'A rehearsal runs the group’s shutdown plan read-only over SSH and times every step against its prediction. ' +
        'A live drill shuts the group down for real and wakes it by Wake-on-LAN. Neither starts during an outage; a drill yields to an outage that begins.',
    ),
    session.can('operator') ? form : null,
    said,
    h(
      'table',
      { 'aria-label': 'Drills' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Kind', 'Group', 'State', 'Hosts', 'Requested by', 'Started', 'Report'].map((t) => h('th', {}, t)),
        ),
      ),
      body,
    ),
    status,
  );
  void load();
  const timer = setInterval(() => void load(), REFRESH_MS);
  return () => clearInterval(timer);
}

export function drillReportView(root: HTMLElement, id: string): void {
  clear(root, h('p', { class: 'muted' }, 'Loading the report…'));
  api<DrillReportDto>('GET', `/drills/${id}/report`)
    .then((r) => {
      const s = r.summary;
      clear(
        root,
        h('h2', {}, `${r.kind === 'live' ? 'Live drill' : 'Rehearsal'} of ${r.group} `, badge(r.state, tone(r.state))),
        h(
          'p',
          {},
          `${s.hosts} host(s): ${s.ok} ok, ${s.failed} failed, ${s.notRun} not run, ${s.slower} slower than predicted` +
            (s.woken !== null ? `, ${s.woken} woken and verified` : '') +
            ` · took ${duration((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000)}`,
        ),
        r.error !== null ? notice(r.error) : null,
        h('button', { type: 'button', onclick: () => void openPrintable(id) }, 'Printable report'),
        ...(['shutdown', 'restart'] as const).map((p) => {
          const path = r.planReports[p];
          return path === null ? null : h('span', {}, ' · ', h('a', { href: path }, `${p} plan report`));
        }),
        ...r.hosts.map((host) =>
          h(
            'section',
            {},
            h('h3', {}, host.hostName, ' ', badge(host.result, host.result === 'ok' ? 'ok' : 'bad')),
            h(
              'p',
              {},
              `Shutdown: predicted ${secs(host.shutdown.predictedSeconds)}, measured ${secs(host.shutdown.measuredSeconds)} (${host.shutdown.verdict})`,
            ),
            host.wake === null
              ? null
              : h(
                  'p',
                  {},
                  host.wake.verified
                    ? `Wake-on-LAN verified ${secs(host.wake.secondsToVerified)} after the magic packet`
                    : `Wake-on-LAN not verified: ${host.wake.why ?? ''}`,
                ),
            host.failures.length === 0
              ? null
              : h(
                  'ul',
                  {},
                  ...host.failures.map((f) =>
                    h('li', {}, h('code', {}, f.key), ` ${f.why}`, f.fix !== null ? ` — fix: ${f.fix}` : ''),
                  ),
                ),
            h(
              'table',
              {},
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ...['Step', 'State', 'Predicted', 'Timeout', 'Measured', 'Verdict'].map((t) => h('th', {}, t)),
                ),
              ),
              h(
                'tbody',
                {},
                ...host.steps.map((st) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, `${st.plan} ${st.action}${st.vm !== null ? ` ${st.vm}` : ''}`),
                    h('td', {}, st.state),
                    h('td', {}, secs(st.predictedSeconds)),
                    h('td', {}, secs(st.budgetSeconds)),
                    h('td', {}, secs(st.measuredSeconds)),
                    h('td', {}, st.verdict),
                  ),
                ),
              ),
            ),
          ),
        ),
      );
    })
    .catch((error: Error) => clear(root, notice(error.message)));
}
