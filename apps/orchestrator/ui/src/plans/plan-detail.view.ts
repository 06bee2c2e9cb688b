/**
 * One plan: its steps named by host and VM, grouped by stage (shutdown) or wave (restart), on a
 * time axis that spans the plan itself with the battery runtime at its start marked; what each
 * closed restart gate waits for and until when; each host's result once the plan is over; and
 * the power events around it, one readable line each. Replayable with the slider.
 */
import { api, session } from '../api.js';
import {
  type CancelPlanDto,
  type PlanDetailDto,
  type PowerEventPageDto,
  type UpsLiveDto,
} from '../api-types.generated.js';
import { badge, clear, clockTime, duration, h, notice } from '../dom.js';
import {
  type EventLine,
  gateLines,
  groupSteps,
  hostResults,
  latestGateDecision,
  planEventLine,
  powerEventLine,
  stepLabel,
  stepPrediction,
} from './plan-text.js';

const STATE_TONE: Record<string, 'ok' | 'warn' | 'bad' | 'info' | 'muted'> = {
  SUCCEEDED: 'ok',
  RUNNING: 'info',
  PENDING: 'muted',
  QUEUED: 'muted',
  FAILED: 'bad',
  CANCELLED: 'warn',
  SKIPPED: 'muted',
};
export const tone = (state: string): 'ok' | 'warn' | 'bad' | 'info' | 'muted' => STATE_TONE[state] ?? 'muted';

interface RestartDetail {
  gatePolicy?: { stableSeconds?: number };
  waves?: Array<{ wave: number; upsIds: string[] }>;
  upsIds?: string[];
}

const running = (plan: PlanDetailDto): boolean => plan.state === 'PENDING' || plan.state === 'RUNNING';

export function planDetailView(root: HTMLElement, id: string): () => void {
  let timer: number | undefined;
  let stopped = false;
  const names = new Map<string, string>();
  const upsName = (upsId: string): string => names.get(upsId) ?? upsId;
  let slider: HTMLInputElement | undefined;

  const render = async (): Promise<void> => {
    if (names.size === 0) for (const ups of await api<UpsLiveDto[]>('GET', '/ups')) names.set(ups.id, ups.name);
    const plan = await api<PlanDetailDto>('GET', `/plans/${id}`);
    const start = Date.parse(plan.startedAt ?? plan.createdAt);
    const power = await api<PowerEventPageDto>(
      'GET',
      `/events?since=${encodeURIComponent(new Date(start - 5 * 60_000).toISOString())}&limit=1000`,
    );
    if (stopped) return;
    const predictedEnd = start + (plan.predictedSeconds ?? 0) * 1000;
    // A plan still running spans at least a minute, its prediction and what its gates wait for,
    // so its bars do not start squeezed into the first pixels.
    const gateUntil = plan.events.map((e) => e.data?.recheckAt).filter((t): t is number => typeof t === 'number');
    const end =
      plan.finishedAt === null
        ? Math.max(Date.now(), predictedEnd, start + 60_000, ...gateUntil)
        : Date.parse(plan.finishedAt);
    const span = Math.max(end - start, 1000);
    const pct = (t: number): number => ((t - start) / span) * 100;
    const detail = (plan.detail ?? {}) as RestartDetail;
    const upsIds = [...new Set([...(detail.upsIds ?? []), ...names.keys()])];

    const events: Array<EventLine & { kind: 'power' | 'plan' }> = [
      ...power.items
        .filter((e) => e.planId === null && e.upsId !== null)
        .map((e) => ({ ...powerEventLine(e, upsName), kind: 'power' as const }))
        .filter((e) => e.at <= end + 60_000),
      ...plan.events.map((e) => ({ ...planEventLine(e, upsName, upsIds), kind: 'plan' as const })),
    ].sort((a, b) => a.at - b.at);

    const previous = slider?.value ?? '1000';
    slider = h('input', {
      type: 'range',
      min: '0',
      max: '1000',
      value: previous,
      id: 'replay',
      'aria-label': 'Replay time',
    });
    const clock = h('span', { class: 'muted' });
    const rows = h('div', { class: 'timeline', id: 'timeline' });
    const runtime = plan.batteryRuntimeSeconds;
    const batteryAt = runtime === null ? null : start + runtime * 1000;
    const batteryOnAxis = batteryAt !== null && batteryAt <= end;
    const draw = (): void => {
      const atEnd = Number(slider?.value ?? 1000) === 1000;
      const t = start + (Number(slider?.value ?? 1000) / 1000) * span;
      clock.textContent = clockTime(t);
      const marker = (): HTMLElement | null =>
        batteryOnAxis && batteryAt !== null
          ? h('span', { class: 'tl-battery', style: `left:${pct(batteryAt)}%`, title: 'battery runtime at plan start' })
          : null;
      clear(
        rows,
        h(
          'div',
          { class: 'tl-row tl-axis' },
          h('span', { class: 'tl-label' }, ''),
          h(
            'div',
            { class: 'tl-track', 'data-testid': 'time-axis' },
            ...[0, 0.25, 0.5, 0.75, 1].map((f) =>
              h('span', { class: 'tl-tick', style: `left:${f * 100}%` }, clockTime(start + f * span)),
            ),
            batteryOnAxis && batteryAt !== null
              ? h(
                  'span',
                  { class: 'tl-battery', style: `left:${pct(batteryAt)}%`, 'data-testid': 'battery-mark' },
                  h('span', { class: 'tl-battery-label' }, `battery ${duration(runtime)}`),
                )
              : null,
          ),
        ),
        h(
          'div',
          { class: 'tl-row' },
          h('span', { class: 'tl-label' }, 'power events'),
          h(
            'div',
            { class: 'tl-track' },
            marker(),
            ...events
              .filter((e) => e.at >= start && e.at <= t)
              .map((e) =>
                h('span', {
                  class: `tl-dot ${e.kind}`,
                  style: `left:${pct(e.at)}%`,
                  title: `${clockTime(e.at)} ${e.ups} ${e.text}`,
                }),
              ),
          ),
        ),
        ...groupSteps(plan).flatMap((group) => [
          h('div', { class: 'tl-group', 'data-testid': 'step-group' }, group.title),
          ...group.steps.map((s) => {
            const s0 = s.startedAt === null ? null : Date.parse(s.startedAt);
            const s1 = s.finishedAt === null ? null : Date.parse(s.finishedAt);
            // A step that never started (cancelled, skipped) shows its own state from its end on.
            const state =
              s0 === null
                ? atEnd || (s1 !== null && s1 <= t)
                  ? s.state
                  : 'PENDING'
                : s0 > t
                  ? 'PENDING'
                  : s1 === null || s1 > t
                    ? 'RUNNING'
                    : s.state;
            const right = s1 === null || s1 > t ? t : s1;
            const label = stepLabel(s);
            const prediction = stepPrediction(s);
            return h(
              'div',
              { class: 'tl-row', 'data-step-key': s.key },
              h(
                'span',
                {
                  class: 'tl-label',
                  'data-testid': 'step-label',
                  ...(prediction === undefined ? {} : { title: prediction, 'data-prediction': prediction }),
                },
                label,
              ),
              h(
                'div',
                { class: 'tl-track' },
                marker(),
                s0 === null || s0 > t
                  ? null
                  : h('span', {
                      class: `tl-bar ${tone(state)}`,
                      style: `left:${Math.max(0, pct(s0))}%;width:${Math.max(0.4, pct(right) - Math.max(0, pct(s0)))}%`,
                      title: `${label}: ${state}${s.error ? ` — ${s.error}` : ''}`,
                    }),
              ),
              h('span', { class: 'tl-state' }, badge(state, tone(state))),
            );
          }),
        ]),
      );
    };
    slider.addEventListener('input', draw);

    const gates =
      plan.kind !== 'RESTART'
        ? null
        : h(
            'section',
            { id: 'plan-gates', 'aria-label': 'Restart gates' },
            h('h3', {}, 'Wave gates'),
            h(
              'ul',
              {},
              ...plan.steps
                .filter((s) => s.action === 'restart-gate')
                .map((gate) => {
                  const wave = gate.wave ?? Number(/wave:(\d+)/.exec(gate.key)?.[1] ?? 0);
                  const waveUps = detail.waves?.find((w) => w.wave === wave)?.upsIds ?? [];
                  const decision = latestGateDecision(plan.events, wave);
                  const lines =
                    gate.state === 'SUCCEEDED'
                      ? [`opened at ${gate.finishedAt === null ? '?' : clockTime(gate.finishedAt)}`]
                      : gate.state !== 'PENDING'
                        ? [`${gate.state.toLowerCase()}${gate.output ? `: ${gate.output}` : ''}`]
                        : decision === undefined
                          ? ['not evaluated yet']
                          : gateLines(decision, detail.gatePolicy?.stableSeconds, upsName, waveUps);
                  return h(
                    'li',
                    { 'data-testid': 'gate', 'data-wave': String(wave) },
                    h('strong', {}, `Wave ${wave}: `),
                    lines.join('; '),
                  );
                }),
            ),
          );

    const results = running(plan)
      ? null
      : h(
          'section',
          { 'aria-label': 'Results per host' },
          h('h3', {}, 'Result per host'),
          h(
            'table',
            { id: 'plan-results' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...['Host', 'Result', 'Started', 'Finished', 'Duration', 'Error'].map((c) =>
                  h('th', { scope: 'col' }, c),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              ...hostResults(plan).map((r) =>
                h(
                  'tr',
                  {},
                  h('td', {}, r.host),
                  h('td', {}, badge(r.result, tone(r.result))),
                  h('td', {}, r.startedAt === null ? '–' : clockTime(r.startedAt)),
                  h('td', {}, r.finishedAt === null ? '–' : clockTime(r.finishedAt)),
                  h('td', {}, duration(r.durationSeconds)),
                  h('td', { class: 'small' }, r.error ?? ''),
                ),
              ),
            ),
          ),
        );

    const cancel =
      session.can('operator') && running(plan)
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
    const back =
      plan.kind === 'ROLLOUT' ? h('a', { href: '#/rollouts' }, '← Rollouts') : h('a', { href: '#/plans' }, '← Plans');
    clear(
      root,
      h('p', {}, back),
      h(
        'h2',
        {},
        `${plan.kind.toLowerCase()} plan · ${plan.mode === 'ARMED' ? 'armed' : 'dry-run'} `,
        badge(plan.state, tone(plan.state)),
      ),
      h('p', { class: 'muted' }, plan.reason ?? ''),
      h(
        'p',
        { class: 'small', id: 'plan-span' },
        plan.startedAt === null ? `Made ${clockTime(start)}, not started yet` : `Started ${clockTime(start)}`,
        plan.finishedAt === null
          ? plan.startedAt === null
            ? ''
            : ', still running'
          : `, finished ${clockTime(plan.finishedAt)} (${duration((end - start) / 1000)})`,
        plan.predictedSeconds === null ? '' : `; predicted ${duration(plan.predictedSeconds)}`,
        runtime === null
          ? ''
          : `; battery runtime at plan start ${duration(runtime)}${batteryOnAxis ? ' (marked)' : ', past the end of this axis'}`,
        '.',
      ),
      h(
        'div',
        { class: 'toolbar' },
        cancel,
        // Once the plan has ended its report says how it went against what was predicted.
        running(plan) || plan.kind === 'ROLLOUT'
          ? null
          : h('a', { href: `#/plans/${id}/report`, id: 'plan-report-link' }, 'Report'),
        h('label', { for: 'replay' }, 'Replay'),
        slider,
        clock,
      ),
      gates,
      rows,
      results,
      h('h3', {}, 'Power events'),
      h(
        'table',
        { id: 'plan-events', class: 'small' },
        h('thead', {}, h('tr', {}, ...['Time', 'UPS', 'What changed'].map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          {},
          ...events.map((e) =>
            h('tr', { class: e.kind }, h('td', {}, clockTime(e.at)), h('td', {}, e.ups), h('td', {}, e.text)),
          ),
        ),
      ),
    );
    draw();
    if (running(plan)) timer = window.setTimeout(() => void render().catch(() => undefined), 2000);
  };
  void render().catch((error: Error) => clear(root, notice(error.message)));
  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
}
