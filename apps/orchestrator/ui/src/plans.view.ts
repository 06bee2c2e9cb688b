/** Outage plans (shutdown and restart; rollouts have their own page): preview, dry-run, armed run. */
import { api, session } from './api.js';
import {
  type CreateShutdownPlanDto,
  type PlanDetailDto,
  type PlanTargetsDto,
  type PlanSummaryDto,
  type ShutdownPreviewDto,
} from './api-types.generated.js';
import { badge, clear, duration, h, notice } from './dom.js';
import { tone } from './plans/plan-detail.view.js';

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
    const plans = await api<PlanSummaryDto[]>('GET', '/plans?limit=50&kind=SHUTDOWN,RESTART');
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
    h('h2', {}, 'Shutdown and restart plans'),
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
      { id: 'plans-list' },
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
