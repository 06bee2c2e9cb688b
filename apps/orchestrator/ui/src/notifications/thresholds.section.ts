/**
 * Threshold alerts: UPS load above, runtime or charge below a value, for one UPS or every UPS;
 * which UPSes are in alert now; add, edit, enable/disable, delete.
 */
import { api } from '../api.js';
import {
  type CreateNotificationThresholdDto,
  type NotificationChannelDto,
  type NotificationThresholdDto,
  type UpdateNotificationThresholdDto,
  type UpsDto,
  type UpsPageDto,
} from '../api-types.generated.js';
import { ago, badge, clear, h, notice } from '../dom.js';
import { type Say } from './channels.section.js';

type Metric = CreateNotificationThresholdDto['metric'];
type Severity = NonNullable<CreateNotificationThresholdDto['severity']>;

const METRICS: Record<Metric, { label: string; unit: string; hysteresis: number }> = {
  LOAD: { label: 'Load above', unit: '%', hysteresis: 5 },
  RUNTIME: { label: 'Runtime below', unit: 'min', hysteresis: 2 },
  CHARGE: { label: 'Battery charge below', unit: '%', hysteresis: 5 },
};

export interface ThresholdsSection {
  element: HTMLElement;
  /** Reloads the rules; `channels` tell whether any channel receives their alerts. */
  load(channels?: NotificationChannelDto[]): Promise<void>;
}

async function allUpses(): Promise<UpsDto[]> {
  const upses: UpsDto[] = [];
  let cursor: string | null = null;
  do {
    const page: UpsPageDto = await api<UpsPageDto>(
      'GET',
      `/upses?limit=500${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
    );
    upses.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return upses;
}

function receivesThresholds(channels: NotificationChannelDto[]): boolean {
  return channels.some(
    (c) => c.enabled && c.routes.some((r) => r.eventTypes.length === 0 || r.eventTypes.includes('threshold.alert')),
  );
}

export function thresholdsSection(say: Say): ThresholdsSection {
  let editing: NotificationThresholdDto | null = null;
  const body = h('tbody');
  const routingNote = h('div', { id: 'threshold-routing-note' });
  const ups = h('select', { id: 'th-ups' }, h('option', { value: '' }, 'Every UPS (each alerts on its own)'));
  const metric = h(
    'select',
    { id: 'th-metric' },
    ...(Object.keys(METRICS) as Metric[]).map((m) => h('option', { value: m }, METRICS[m].label)),
  );
  const value = h('input', { id: 'th-value', type: 'number', min: '1', step: 'any', required: true });
  const unit = h('span', { class: 'muted', id: 'th-unit' });
  const hysteresis = h('input', { id: 'th-hysteresis', type: 'number', min: '0', step: 'any' });
  const hysteresisUnit = h('span', { class: 'muted' });
  const severity = h(
    'select',
    { id: 'th-sev' },
    h('option', { value: 'WARNING' }, 'warning'),
    h('option', { value: 'CRITICAL' }, 'critical'),
    h('option', { value: 'INFO' }, 'info'),
  );
  const title = h('h4', { id: 'th-form-title' }, 'Add a threshold alert');
  const submit = h('button', { type: 'submit', id: 'th-save' }, 'Add threshold');
  const cancel = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Cancel');
  const showUnit = (): void => {
    const m = METRICS[metric.value as Metric];
    unit.textContent = ` ${m.unit}`;
    hysteresisUnit.textContent = ` ${m.unit}`;
    hysteresis.placeholder = `${m.hysteresis} (default)`;
  };
  metric.addEventListener('change', showUnit);
  const form = h(
    'form',
    { class: 'panel grid2', id: 'threshold-form', 'aria-labelledby': 'th-form-title' },
    h('label', { for: 'th-ups' }, 'UPS'),
    ups,
    h('label', { for: 'th-metric' }, 'Alert when'),
    metric,
    h('label', { for: 'th-value' }, 'Threshold'),
    h('div', {}, value, unit),
    h('label', { for: 'th-hysteresis' }, 'Recovers after moving back by'),
    h(
      'div',
      {},
      hysteresis,
      hysteresisUnit,
      h(
        'div',
        { class: 'muted small' },
        'So that a value hovering at the threshold alerts once, not at every reading.',
      ),
    ),
    h('label', { for: 'th-sev' }, 'Severity'),
    severity,
    h('div', { class: 'wide actions' }, submit, cancel),
  );
  const reset = (): void => {
    editing = null;
    form.reset();
    metric.disabled = false;
    title.textContent = 'Add a threshold alert';
    submit.textContent = 'Add threshold';
    cancel.hidden = true;
    showUnit();
  };
  cancel.addEventListener('click', reset);
  const edit = (t: NotificationThresholdDto): void => {
    reset();
    editing = t;
    ups.value = t.upsId ?? '';
    metric.value = t.metric;
    metric.disabled = true;
    value.value = String(t.value);
    hysteresis.value = String(t.hysteresis);
    severity.value = t.severity;
    title.textContent = `Edit the alert "${t.description}"`;
    submit.textContent = 'Save changes';
    cancel.hidden = false;
    showUnit();
    value.focus();
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const fields: UpdateNotificationThresholdDto = {
      upsId: ups.value === '' ? null : ups.value,
      value: Number(value.value),
      ...(hysteresis.value === '' ? {} : { hysteresis: Number(hysteresis.value) }),
      // The <select>s offer exactly the API's values.
      severity: severity.value as Severity,
    };
    const current = editing;
    const request =
      current === null
        ? api<NotificationThresholdDto, CreateNotificationThresholdDto>('POST', '/notifications/thresholds', {
            ...fields,
            metric: metric.value as Metric,
            value: Number(value.value),
          })
        : api<NotificationThresholdDto, UpdateNotificationThresholdDto>(
            'PATCH',
            `/notifications/thresholds/${current.id}`,
            fields,
          );
    request
      .then((t) => {
        reset();
        say(`Threshold alert "${t.description}" ${current === null ? 'added' : 'saved'}.`);
        return load();
      })
      .catch((error: Error) => say(error.message, 'error'));
  });

  const row = (t: NotificationThresholdDto): HTMLElement => {
    const act = (label: string, run: () => Promise<unknown>): HTMLElement =>
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          onclick: () =>
            void run()
              .then(() => load())
              .catch((e: Error) => say(e.message, 'error')),
        },
        label,
      );
    return h(
      'tr',
      { 'data-threshold': t.id },
      h('td', {}, t.ups ?? h('span', { class: 'muted' }, 'every UPS')),
      h(
        'td',
        {},
        h('strong', {}, t.description),
        h('div', { class: 'muted small' }, `recovers at ${t.recoversAt} ${t.unit}`),
      ),
      h('td', {}, t.severity.toLowerCase()),
      h(
        'td',
        { 'data-testid': 'threshold-state' },
        !t.enabled
          ? badge('disabled', 'muted')
          : t.alerts.length === 0
            ? badge('normal', 'ok')
            : h(
                'div',
                {},
                badge('in alert', 'bad'),
                ...t.alerts.map((a) =>
                  h(
                    'div',
                    { class: 'small' },
                    `${a.ups}${a.value === null ? '' : `: ${Math.round(a.value * 10) / 10} ${t.unit}`} since ${ago(a.since)}`,
                  ),
                ),
              ),
      ),
      h(
        'td',
        { class: 'row-actions' },
        h('button', { type: 'button', class: 'link', onclick: () => edit(t) }, 'Edit'),
        act(t.enabled ? 'Disable' : 'Enable', () =>
          api<NotificationThresholdDto, UpdateNotificationThresholdDto>('PATCH', `/notifications/thresholds/${t.id}`, {
            enabled: !t.enabled,
          }),
        ),
        act('Delete', async () => {
          if (!window.confirm(`Delete the threshold alert "${t.description}"?`)) return;
          await api('DELETE', `/notifications/thresholds/${t.id}`);
          say(`Threshold alert "${t.description}" deleted.`);
        }),
      ),
    );
  };

  let upsesLoaded = false;
  async function load(channels?: NotificationChannelDto[]): Promise<void> {
    if (!upsesLoaded) {
      upsesLoaded = true;
      const list = await allUpses();
      ups.append(...list.map((u) => h('option', { value: u.id }, u.address)));
    }
    const list = await api<NotificationThresholdDto[]>('GET', '/notifications/thresholds');
    clear(body, ...list.map(row));
    if (list.length === 0)
      clear(body, h('tr', {}, h('td', { colspan: '5', class: 'muted' }, 'No threshold alert yet.')));
    if (channels !== undefined)
      clear(
        routingNote,
        receivesThresholds(channels)
          ? null
          : notice(
              'No enabled channel receives threshold alerts yet: tick "Threshold crossed" and "Threshold back to normal" in a channel\u2019s routing.',
              'info',
            ),
      );
  }
  reset();

  return {
    element: h(
      'section',
      { 'aria-labelledby': 'thresholds-title' },
      h('h3', { id: 'thresholds-title' }, 'Threshold alerts'),
      h(
        'p',
        { class: 'muted small' },
        'Checked on every reading the power monitor records. Each alert names the UPS and the hosts it feeds, and a recovery message follows once the reading is back past the threshold.',
      ),
      routingNote,
      h(
        'table',
        { id: 'thresholds' },
        h(
          'thead',
          {},
          h('tr', {}, ...['UPS', 'Alert when', 'Severity', 'Now', ''].map((t) => h('th', { scope: 'col' }, t))),
        ),
        body,
      ),
      title,
      form,
    ),
    load: (channels) => load(channels),
  };
}
