/** Rollouts: the list, and one rollout's hosts (wave, state, deploy step, result) updated live. */
import { api, session } from './api.js';
import {
  type RolloutCancelDto,
  type RolloutDetailDto,
  type RolloutHostDto,
  type RolloutResumeDto,
  type RolloutSummaryDto,
} from './api-types.generated.js';
import { ago, badge, clear, h, notice } from './dom.js';
import { readSse } from './sse.js';

type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'muted';

/**
 * The events of GET /rollouts/:id/events (server-sent, so not in the OpenAPI document), in the
 * types of the rollout they describe.
 */
type HostEvent = Pick<RolloutHostDto, 'hostId' | 'wave' | 'state' | 'currentStep' | 'attempts' | 'error'> & {
  hostName: string | null;
};
type RolloutEvent = Pick<RolloutDetailDto, 'state'>;

const STATE_TONE: Record<string, Tone> = {
  SUCCEEDED: 'ok',
  RUNNING: 'info',
  PENDING: 'muted',
  QUEUED: 'muted',
  FAILED: 'bad',
  CANCELLED: 'warn',
  SKIPPED: 'muted',
};
const tone = (state: string): Tone => STATE_TONE[state] ?? 'muted';
const active = (state: string): boolean => state === 'PENDING' || state === 'RUNNING';
const HOST_STATES = ['SUCCEEDED', 'RUNNING', 'QUEUED', 'PENDING', 'FAILED', 'CANCELLED', 'SKIPPED'];

function countsText(counts: Record<string, number>): string {
  return HOST_STATES.filter((s) => (counts[s] ?? 0) > 0)
    .map((s) => `${counts[s]} ${s.toLowerCase()}`)
    .join(', ');
}

function title(r: RolloutSummaryDto): string {
  return `${r.action}${r.artifact === null ? '' : ` · ${r.artifact}`}`;
}

export function rolloutsView(root: HTMLElement): void {
  const list = h('tbody');
  clear(
    root,
    h(
      'div',
      { class: 'toolbar' },
      h('h2', {}, 'Rollouts'),
      session.can('operator') ? h('a', { href: '#/rollouts/new', id: 'new-rollout' }, 'New rollout…') : null,
    ),
    h('p', { class: 'muted small' }, 'NutClient deployments in waves (canary first).'),
    h(
      'table',
      { id: 'rollouts' },
      h(
        'thead',
        {},
        h('tr', {}, ...['Created', 'Action', 'State', 'Hosts', 'Waves', 'By'].map((t) => h('th', { scope: 'col' }, t))),
      ),
      list,
    ),
  );
  void api<RolloutSummaryDto[]>('GET', '/rollouts?limit=100')
    .then((rollouts) => {
      clear(
        list,
        ...rollouts.map((r) =>
          h(
            'tr',
            {},
            h('td', {}, h('a', { href: `#/rollouts/${r.id}` }, new Date(r.createdAt).toLocaleString())),
            h('td', {}, title(r)),
            h('td', {}, badge(r.state, tone(r.state))),
            h('td', { class: 'small' }, `${r.hostCount} host(s)`, h('div', { class: 'muted' }, countsText(r.counts))),
            h('td', {}, String(r.waveCount)),
            h('td', { class: 'small muted' }, r.createdBy ?? ''),
          ),
        ),
      );
      if (rollouts.length === 0) clear(list, h('tr', {}, h('td', { colspan: '6', class: 'muted' }, 'No rollout yet.')));
    })
    .catch((error: Error) => clear(list, h('tr', {}, h('td', { colspan: '6' }, notice(error.message)))));
}

/** One rollout; its hosts follow GET /rollouts/:id/events while it runs. Returns the cleanup. */
export function rolloutDetailView(root: HTMLElement, id: string): () => void {
  let stopped = false;
  let controller: AbortController | null = null;
  let rollout: RolloutDetailDto | null = null;
  const rows = new Map<string, { host: RolloutHostDto; tr: HTMLTableRowElement }>();
  const heading = h('h2', {});
  const facts = h('div', { class: 'cards', id: 'rollout-counts' });
  const actions = h('div', { class: 'toolbar' });
  const message = h('div');
  const live = h('span', { class: 'muted small', role: 'status', id: 'rollout-live' });
  const body = h('tbody');
  const key = (hostId: string | null, hostName: string | null): string => hostId ?? `name:${hostName ?? '?'}`;

  const cells = (host: RolloutHostDto): HTMLElement[] => {
    const last = host.steps.at(-1);
    return [
      h('th', { scope: 'row' }, host.hostName),
      h('td', {}, String(host.wave)),
      h('td', { 'data-testid': 'host-state' }, badge(host.state, tone(host.state))),
      h('td', {}, host.currentStep ?? h('span', { class: 'muted' }, '–')),
      h('td', {}, String(host.attempts)),
      h(
        'td',
        { class: 'small' },
        host.error === null ? null : h('div', { class: 'bad-text' }, host.error),
        host.error === null && last !== undefined ? `${last.step}: ${last.summary}` : null,
        host.steps.length === 0
          ? null
          : h(
              'details',
              {},
              h('summary', {}, `${host.steps.length} step(s)`),
              h('ol', {}, ...host.steps.map((s) => h('li', {}, `${s.step} (${s.outcome}): ${s.summary}`))),
            ),
        host.finishedAt === null ? null : h('div', { class: 'muted' }, `finished ${ago(host.finishedAt)}`),
      ),
    ];
  };

  const renderCounts = (): void => {
    if (rollout === null) return;
    const counts: Record<string, number> = {};
    for (const { host } of rows.values()) counts[host.state] = (counts[host.state] ?? 0) + 1;
    clear(heading, `Rollout · ${title(rollout)} `, badge(rollout.state, tone(rollout.state)));
    clear(
      facts,
      ...[['hosts', rows.size] as const, ...HOST_STATES.map((s) => [s.toLowerCase(), counts[s] ?? 0] as const)]
        .filter(([label, n]) => label === 'hosts' || n > 0)
        .map(([label, n]) =>
          h(
            'div',
            { class: label === 'failed' ? 'card small alert' : 'card small' },
            h('div', { class: 'big' }, String(n)),
            h('div', { class: 'muted' }, label),
          ),
        ),
    );
    const operator = session.can('operator');
    clear(
      actions,
      operator && active(rollout.state)
        ? h(
            'button',
            { type: 'button', class: 'danger', id: 'rollout-cancel', onclick: () => void control('cancel') },
            'Cancel rollout',
          )
        : null,
      operator && (rollout.state === 'FAILED' || rollout.state === 'CANCELLED') ? resumeForm() : null,
      live,
    );
  };

  const show = (detail: RolloutDetailDto): void => {
    rollout = detail;
    rows.clear();
    for (const host of detail.hosts) {
      const tr = h('tr', {}, ...cells(host));
      rows.set(key(host.hostId, host.hostName), { host, tr });
    }
    clear(body, ...[...rows.values()].map((r) => r.tr));
    if (rows.size === 0) clear(body, h('tr', {}, h('td', { colspan: '6', class: 'muted' }, 'No host.')));
    clear(message, detail.stoppedReason === null ? null : notice(`Later waves not started: ${detail.stoppedReason}`));
    renderCounts();
  };

  const onHost = (event: HostEvent): void => {
    const row = rows.get(key(event.hostId, event.hostName));
    if (row === undefined) return;
    const host: RolloutHostDto = {
      ...row.host,
      wave: event.wave,
      state: event.state,
      currentStep: event.currentStep,
      attempts: event.attempts,
      error: event.error,
    };
    row.host = host;
    clear(row.tr, ...cells(host));
    renderCounts();
  };

  const load = async (): Promise<RolloutDetailDto> => {
    const detail = await api<RolloutDetailDto>('GET', `/rollouts/${id}`);
    if (!stopped) show(detail);
    return detail;
  };

  // Follows the stream while the rollout runs; after it ends (or drops), reloads the whole rollout
  // (step journals, results) and follows again if it still runs.
  const watch = async (): Promise<void> => {
    if (controller !== null) return;
    while (!stopped && rollout !== null && active(rollout.state)) {
      controller = new AbortController();
      live.textContent = '● following live';
      try {
        await readSse(`/rollouts/${id}/events`, controller.signal, (event, data) => {
          if (event === 'host') onHost(JSON.parse(data) as HostEvent);
          else if (event === 'rollout' && rollout !== null) {
            rollout.state = (JSON.parse(data) as RolloutEvent).state;
            renderCounts();
          }
        });
      } catch {
        // Dropped or refused: reloaded and retried below.
        if (!stopped) await new Promise((r) => setTimeout(r, 2000));
      }
      controller = null;
      if (stopped) return;
      await load().catch(() => undefined);
    }
    live.textContent = '';
  };

  // Resume, optionally with changed settings (those the rollout reads as it runs).
  const resumeForm = (): HTMLElement => {
    const accept = h('input', { type: 'checkbox', id: 'resume-acceptance' });
    const ratio = h('input', {
      type: 'number',
      id: 'resume-ratio',
      min: '0',
      max: '1',
      step: 'any',
      placeholder: 'unchanged',
    });
    const pause = h('input', { type: 'number', id: 'resume-pause', min: '0', max: '86400', placeholder: 'unchanged' });
    const options = (): RolloutResumeDto => ({
      ...(accept.checked ? { allowAcceptanceChange: true } : {}),
      ...(ratio.value === '' ? {} : { maxFailureRatio: Number(ratio.value) }),
      ...(pause.value === '' ? {} : { pauseSeconds: Number(pause.value) }),
    });
    return h(
      'span',
      { class: 'row-actions' },
      h('label', { class: 'check' }, accept, 'allow acceptance level change'),
      h('label', { for: 'resume-ratio' }, 'max. failure ratio'),
      ratio,
      h('label', { for: 'resume-pause' }, 'pause (s)'),
      pause,
      h('button', { type: 'button', id: 'rollout-resume', onclick: () => void control('resume', options()) }, 'Resume'),
    );
  };

  const control = async (action: 'cancel' | 'resume', options: RolloutResumeDto = {}): Promise<void> => {
    if (
      action === 'cancel' &&
      !window.confirm('Cancel this rollout? Hosts in flight finish; the others are not started.')
    )
      return;
    try {
      const detail = await api<RolloutDetailDto, RolloutCancelDto | RolloutResumeDto>(
        'POST',
        `/rollouts/${id}/${action}`,
        action === 'cancel' ? { reason: `cancelled from the dashboard by ${session.name}` } : options,
      );
      show(detail);
      clear(message, notice(action === 'cancel' ? 'Rollout cancelled.' : 'Rollout resumed.', 'info'));
      void watch();
    } catch (error) {
      clear(message, notice((error as Error).message));
    }
  };

  clear(
    root,
    h('p', {}, h('a', { href: '#/rollouts' }, '← Rollouts')),
    heading,
    facts,
    actions,
    message,
    h(
      'table',
      { id: 'rollout-hosts' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Host', 'Wave', 'State', 'Deploy step', 'Attempts', 'Result'].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      body,
    ),
  );
  void load()
    .then(() => watch())
    .catch((error: Error) =>
      clear(root, h('p', {}, h('a', { href: '#/rollouts' }, '← Rollouts')), notice(error.message)),
    );
  return () => {
    stopped = true;
    controller?.abort();
  };
}
