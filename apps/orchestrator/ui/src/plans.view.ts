/** Plans: preview, dry-run, armed run, cancel (operator), and each plan's timeline, replayable. */
import { api, session } from './api.js';
import {
  type CancelPlanDto,
  type CreateShutdownPlanDto,
  type PlanDetailDto,
  type PlanTargetsDto,
  type PlanSummaryDto,
  type PowerEventPageDto,
  type ShutdownPreviewDto,
} from './api-types.generated.js';
import { badge, clear, duration, h, notice } from './dom.js';

/**
 * GET /plans/shutdown/preview. The OpenAPI document leaves the items of `steps`, `warnings` and
 * `skipped` untyped (plain objects): the fields of them this view reads.
 */
interface PreviewStep {
  key: string;
  kind: string;
  stage: number;
  hostName: string;
  vmName?: string;
  predictedStartSeconds: number;
  predictedEndSeconds: number;
  why: string;
}
interface Preview extends Omit<ShutdownPreviewDto, 'steps' | 'warnings' | 'skipped'> {
  steps: PreviewStep[];
  warnings: { message: string }[];
  skipped: { hostId: string; reason: string }[];
}

const STATE_TONE: Record<string, 'ok' | 'warn' | 'bad' | 'info' | 'muted'> = {
  SUCCEEDED: 'ok',
  RUNNING: 'info',
  PENDING: 'muted',
  QUEUED: 'muted',
  FAILED: 'bad',
  CANCELLED: 'warn',
  SKIPPED: 'muted',
};
const tone = (state: string): 'ok' | 'warn' | 'bad' | 'info' | 'muted' => STATE_TONE[state] ?? 'muted';

function targetsQuery(input: string): { query: string; targets: PlanTargetsDto } {
  const hosts = input
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return hosts.length === 0
    ? { query: 'all=true', targets: { all: true } }
    : { query: `hosts=${encodeURIComponent(hosts.join(','))}`, targets: { hosts } };
}

export function plansView(root: HTMLElement, openPlan: (id: string) => void): void {
  const targets = h('input', {
    id: 'plan-targets',
    placeholder: 'all hosts (or host names, comma-separated)',
    'aria-label': 'Plan targets',
  });
  const result = h('div', { id: 'preview-result' });
  const list = h('tbody');
  const message = h('div');
  const operator = session.can('operator');

  const preview = async (): Promise<void> => {
    clear(result, h('p', { class: 'muted' }, 'Computing…'));
    try {
      const p = await api<Preview>('GET', `/plans/shutdown/preview?${targetsQuery(targets.value).query}`);
      const scale = Math.max(p.worstCaseDurationSeconds, p.batteryRuntimeSeconds ?? 0, 1);
      clear(
        result,
        h(
          'div',
          { class: 'cards' },
          h(
            'div',
            { class: 'card small' },
            h('div', { class: 'big' }, p.hostCount),
            h('div', { class: 'muted' }, 'hosts'),
          ),
          h(
            'div',
            { class: 'card small' },
            h('div', { class: 'big' }, duration(p.predictedDurationSeconds)),
            h('div', { class: 'muted' }, 'predicted'),
          ),
          h(
            'div',
            { class: 'card small' },
            h('div', { class: 'big' }, duration(p.worstCaseDurationSeconds)),
            h('div', { class: 'muted' }, 'worst case'),
          ),
          h(
            'div',
            { class: 'card small' },
            h('div', { class: 'big' }, duration(p.batteryRuntimeSeconds)),
            h('div', { class: 'muted' }, 'battery runtime'),
          ),
        ),
        ...p.warnings.map((w) => notice(w.message)),
        ...p.skipped.map((s) => h('p', { class: 'muted small' }, `skipped ${s.hostId}: ${s.reason}`)),
        h(
          'table',
          { id: 'preview-steps' },
          h(
            'thead',
            {},
            h('tr', {}, ...['Stage', 'Host', 'Action', 'Predicted', 'Why'].map((t) => h('th', { scope: 'col' }, t))),
          ),
          h(
            'tbody',
            {},
            ...p.steps.slice(0, 500).map((s) =>
              h(
                'tr',
                {},
                h('td', {}, s.stage),
                h('td', {}, s.hostName),
                h('td', {}, s.kind === 'vm-stop' ? `stop VM ${s.vmName ?? ''}` : 'power off host'),
                h(
                  'td',
                  {},
                  h(
                    'div',
                    {
                      class: 'gantt',
                      title: `${duration(s.predictedStartSeconds)} → ${duration(s.predictedEndSeconds)}`,
                    },
                    h('span', {
                      style: `left:${(s.predictedStartSeconds / scale) * 100}%;width:${Math.max(0.5, ((s.predictedEndSeconds - s.predictedStartSeconds) / scale) * 100)}%`,
                    }),
                  ),
                ),
                h('td', { class: 'small muted' }, s.why),
              ),
            ),
          ),
        ),
        p.steps.length > 500 ? h('p', { class: 'muted' }, `${p.steps.length - 500} more steps not shown`) : null,
      );
    } catch (error) {
      clear(result, notice((error as Error).message));
    }
  };

  const start = async (mode: 'dry-run' | 'armed'): Promise<void> => {
    if (mode === 'armed' && !window.confirm('Start an ARMED shutdown? VMs and hosts will really be powered off.'))
      return;
    try {
      const plan = await api<PlanDetailDto, CreateShutdownPlanDto>('POST', '/plans/shutdown', {
        mode,
        targets: targetsQuery(targets.value).targets,
        reason: `${mode} from the dashboard by ${session.name}`,
      });
      clear(message, notice(`Plan ${plan.id} started (${mode}).`, 'info'));
      openPlan(plan.id);
    } catch (error) {
      clear(message, notice((error as Error).message));
    }
  };

  const loadList = async (): Promise<void> => {
    const plans = await api<PlanSummaryDto[]>('GET', '/plans?limit=50');
    clear(
      list,
      ...plans.map((p) =>
        h(
          'tr',
          {},
          h('td', {}, h('a', { href: `#/plans/${p.id}` }, new Date(p.createdAt).toLocaleString())),
          h('td', {}, `${p.kind.toLowerCase()} · ${p.mode === 'ARMED' ? 'armed' : 'dry-run'}`),
          h('td', {}, badge(p.state, tone(p.state))),
          h(
            'td',
            { class: 'small' },
            Object.entries(p.progress)
              .map(([k, v]) => `${v} ${k.toLowerCase()}`)
              .join(', '),
          ),
          h('td', { class: 'small muted' }, p.reason ?? ''),
        ),
      ),
    );
    if (plans.length === 0) clear(list, h('tr', {}, h('td', { colspan: '5', class: 'muted' }, 'No plan yet.')));
  };

  clear(
    root,
    h('h2', {}, 'Shutdown plans'),
    h(
      'div',
      { class: 'toolbar' },
      targets,
      h('button', { type: 'button', id: 'preview-button', onclick: () => void preview() }, 'Preview'),
      operator
        ? h(
            'button',
            { type: 'button', id: 'dry-run-button', class: 'secondary', onclick: () => void start('dry-run') },
            'Run dry-run',
          )
        : null,
      operator
        ? h(
            'button',
            { type: 'button', id: 'armed-button', class: 'danger', onclick: () => void start('armed') },
            'Run armed…',
          )
        : null,
    ),
    operator ? null : h('p', { class: 'muted small' }, 'Your token has the viewer role: preview only.'),
    message,
    result,
    h('h3', {}, 'Recent plans'),
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h('tr', {}, ...['Created', 'Kind', 'State', 'Steps', 'Reason'].map((t) => h('th', { scope: 'col' }, t))),
      ),
      list,
    ),
  );
  void loadList().catch((error: Error) => clear(list, h('tr', {}, h('td', {}, notice(error.message)))));
}

/** One plan on one time axis with the power events around it; the slider replays it. */
export function planDetailView(root: HTMLElement, id: string): () => void {
  let timer: number | undefined;
  const render = async (): Promise<void> => {
    const plan = await api<PlanDetailDto>('GET', `/plans/${id}`);
    const from = Date.parse(plan.createdAt) - 5 * 60_000;
    const power = await api<PowerEventPageDto>(
      'GET',
      `/events?since=${encodeURIComponent(new Date(from).toISOString())}&limit=1000`,
    );
    const end = plan.finishedAt === null ? Date.now() : Date.parse(plan.finishedAt) + 60_000;
    const events = [
      ...power.items
        .filter((e) => Date.parse(e.receivedAt) <= end)
        .map((e) => ({
          at: Date.parse(e.receivedAt),
          label: `${e.type}${e.status === null ? '' : ` ${e.status}`}`,
          kind: 'power',
        })),
      ...plan.events.map((e) => ({
        at: Date.parse(e.at),
        label: `${e.type} ${JSON.stringify(e.data ?? '').slice(0, 80)}`,
        kind: 'plan',
      })),
    ].sort((a, b) => a.at - b.at);
    const start = Math.min(Date.parse(plan.createdAt), ...events.map((e) => e.at));
    const span = Math.max(end - start, 1000);
    const pct = (t: number): number => ((t - start) / span) * 100;
    const slider = h('input', {
      type: 'range',
      min: '0',
      max: '1000',
      value: '1000',
      id: 'replay',
      'aria-label': 'Replay time',
    });
    const clock = h('span', { class: 'muted' });
    const rows = h('div', { class: 'timeline', id: 'timeline' });
    const draw = (): void => {
      const t = start + (Number(slider.value) / 1000) * span;
      clock.textContent = new Date(t).toLocaleTimeString();
      clear(
        rows,
        h(
          'div',
          { class: 'tl-row' },
          h('span', { class: 'tl-label' }, 'power events'),
          h(
            'div',
            { class: 'tl-track' },
            ...events
              .filter((e) => e.at <= t)
              .map((e) =>
                h('span', {
                  class: `tl-dot ${e.kind}`,
                  style: `left:${pct(e.at)}%`,
                  title: `${new Date(e.at).toLocaleTimeString()} ${e.label}`,
                }),
              ),
          ),
        ),
        ...plan.steps.map((s) => {
          const s0 = s.startedAt === null ? null : Date.parse(s.startedAt);
          const s1 = s.finishedAt === null ? null : Date.parse(s.finishedAt);
          const state = s0 === null || s0 > t ? 'PENDING' : s1 === null || s1 > t ? 'RUNNING' : s.state;
          const right = s1 === null || s1 > t ? t : s1;
          return h(
            'div',
            { class: 'tl-row' },
            h('span', { class: 'tl-label', title: s.key }, `${s.stage} · ${s.action}`),
            h(
              'div',
              { class: 'tl-track' },
              s0 === null || s0 > t
                ? null
                : h('span', {
                    class: `tl-bar ${tone(state)}`,
                    style: `left:${pct(s0)}%;width:${Math.max(0.4, pct(right) - pct(s0))}%`,
                    title: `${s.key}: ${state}${s.error ? ` — ${s.error}` : ''}`,
                  }),
            ),
          );
        }),
      );
    };
    slider.addEventListener('input', draw);
    const cancel =
      session.can('operator') && (plan.state === 'PENDING' || plan.state === 'RUNNING')
        ? h(
            'button',
            {
              type: 'button',
              class: 'danger',
              onclick: () =>
                void api<unknown, CancelPlanDto>('POST', `/plans/${id}/cancel`, {})
                  .then(render)
                  .catch((e: Error) => root.append(notice(e.message))),
            },
            'Cancel plan',
          )
        : null;
    clear(
      root,
      h('p', {}, h('a', { href: '#/plans' }, '← Plans')),
      h(
        'h2',
        {},
        `${plan.kind.toLowerCase()} plan · ${plan.mode === 'ARMED' ? 'armed' : 'dry-run'} `,
        badge(plan.state, tone(plan.state)),
      ),
      h('p', { class: 'muted' }, plan.reason ?? ''),
      h('div', { class: 'toolbar' }, cancel, h('label', { for: 'replay' }, 'Replay'), slider, clock),
      rows,
      h(
        'details',
        {},
        h('summary', {}, `${events.length} events`),
        h(
          'ul',
          { class: 'small' },
          ...events.map((e) => h('li', {}, `${new Date(e.at).toLocaleTimeString()} — ${e.label}`)),
        ),
      ),
    );
    draw();
    if (plan.state === 'PENDING' || plan.state === 'RUNNING')
      timer = window.setTimeout(() => void render().catch(() => undefined), 2000);
  };
  void render().catch((error: Error) => clear(root, notice(error.message)));
  return () => window.clearTimeout(timer);
}
