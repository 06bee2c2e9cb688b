/** Settings: notification channels (admin): add, enable/disable, route, send a test; deliveries. */
import { api, session } from './api.js';
import {
  type CreateNotificationChannelDto,
  type NotificationChannelDto,
  type NotificationDeliveryPageDto,
  type NotificationRouteDto,
  type UpdateNotificationChannelDto,
} from './api-types.generated.js';
import { ago, badge, clear, h, notice } from './dom.js';

export function settingsView(root: HTMLElement): void {
  if (!session.can('admin')) {
    clear(root, h('h2', {}, 'Settings'), notice('Notification settings need an admin token.', 'info'));
    return;
  }
  const channels = h('tbody');
  const deliveries = h('tbody');
  const message = h('div');
  const load = async (): Promise<void> => {
    const list = await api<NotificationChannelDto[]>('GET', '/notifications/channels');
    clear(
      channels,
      ...list.map((c) =>
        h(
          'tr',
          {},
          h(
            'td',
            {},
            h('strong', {}, c.name),
            h(
              'div',
              { class: 'muted small' },
              c.kind === 'EMAIL'
                ? `${c.email?.host ?? ''} → ${c.email?.to.join(', ') ?? ''}`
                : (c.webhook?.urlHost ?? ''),
            ),
          ),
          h('td', {}, c.kind.toLowerCase()),
          h(
            'td',
            { class: 'small' },
            c.routes.length === 0
              ? h('span', { class: 'muted' }, 'tests only')
              : c.routes
                  .map(
                    (r) => `${r.eventTypes.length === 0 ? 'all events' : r.eventTypes.join(', ')} ≥ ${r.minSeverity}`,
                  )
                  .join('; '),
          ),
          h(
            'td',
            {},
            c.lastError !== null && (c.lastFailureAt ?? '') > (c.lastSuccessAt ?? '')
              ? h('span', { title: c.lastError }, badge('failing', 'bad'))
              : c.lastSuccessAt
                ? badge(`ok ${ago(c.lastSuccessAt)}`, 'ok')
                : badge('unused', 'muted'),
          ),
          h(
            'td',
            {},
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                onclick: () =>
                  void api('POST', `/notifications/channels/${c.id}/test`)
                    .then(() => clear(message, notice(`Test queued for ${c.name}.`, 'info')))
                    .then(refreshSoon)
                    .catch((e: Error) => clear(message, notice(e.message))),
              },
              'Send test',
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'link',
                onclick: () =>
                  void api<NotificationChannelDto, UpdateNotificationChannelDto>(
                    'PATCH',
                    `/notifications/channels/${c.id}`,
                    {
                      enabled: !c.enabled,
                    },
                  ).then(load),
              },
              c.enabled ? 'Disable' : 'Enable',
            ),
          ),
        ),
      ),
    );
    if (list.length === 0) clear(channels, h('tr', {}, h('td', { colspan: '5', class: 'muted' }, 'No channel yet.')));
    const d = await api<NotificationDeliveryPageDto>('GET', '/notifications/deliveries?limit=20');
    clear(
      deliveries,
      ...d.items.map((x) =>
        h(
          'tr',
          {},
          h('td', {}, ago(x.createdAt)),
          h('td', {}, x.channelName),
          h('td', {}, `${x.eventType} (${x.severity})`),
          h(
            'td',
            {},
            badge(x.state, x.state === 'SENT' ? 'ok' : x.state === 'FAILED' ? 'bad' : 'warn'),
            ` ${x.attempts} attempt(s)`,
          ),
          h('td', { class: 'small muted' }, x.lastError ?? x.title),
        ),
      ),
    );
  };
  const refreshSoon = (): void => void window.setTimeout(() => void load(), 1500);

  const kind = h(
    'select',
    { id: 'ch-kind' },
    h('option', { value: 'SLACK' }, 'Slack webhook'),
    h('option', { value: 'WEBHOOK' }, 'JSON webhook'),
    h('option', { value: 'EMAIL' }, 'E-mail (SMTP)'),
  );
  const name = h('input', { id: 'ch-name', required: true, placeholder: 'ops-alerts' });
  const url = h('input', { id: 'ch-url', type: 'url', placeholder: 'https://hooks.slack.com/services/…' });
  const smtpHost = h('input', { id: 'ch-smtp-host', placeholder: 'smtp.example.com' });
  const smtpUser = h('input', { id: 'ch-smtp-user', autocomplete: 'off' });
  const smtpPass = h('input', { id: 'ch-smtp-pass', type: 'password', autocomplete: 'new-password' });
  const from = h('input', { id: 'ch-from', type: 'email' });
  const to = h('input', { id: 'ch-to', placeholder: 'a@example.com, b@example.com' });
  const severity = h(
    'select',
    { id: 'ch-sev' },
    h('option', { value: 'WARNING' }, 'warning and above'),
    h('option', { value: 'CRITICAL' }, 'critical only'),
    h('option', { value: 'INFO' }, 'everything'),
  );
  const form = h(
    'form',
    { class: 'panel grid2', 'aria-label': 'Add a channel' },
    h('label', { for: 'ch-kind' }, 'Kind'),
    kind,
    h('label', { for: 'ch-name' }, 'Name'),
    name,
    h('label', { for: 'ch-url' }, 'Webhook URL (stored sealed)'),
    url,
    h('label', { for: 'ch-smtp-host' }, 'SMTP server (STARTTLS, port 587)'),
    smtpHost,
    h('label', { for: 'ch-smtp-user' }, 'SMTP user'),
    smtpUser,
    h('label', { for: 'ch-smtp-pass' }, 'SMTP password (stored sealed)'),
    smtpPass,
    h('label', { for: 'ch-from' }, 'From'),
    from,
    h('label', { for: 'ch-to' }, 'To'),
    to,
    h('label', { for: 'ch-sev' }, 'Send'),
    severity,
    h('div', {}, h('button', { type: 'submit' }, 'Add channel')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    // The <select>s offer exactly the API's values.
    const channelKind = kind.value as CreateNotificationChannelDto['kind'];
    const body: CreateNotificationChannelDto = {
      name: name.value.trim(),
      kind: channelKind,
      routes: [{ minSeverity: severity.value as NonNullable<NotificationRouteDto['minSeverity']> }],
      ...(channelKind === 'EMAIL'
        ? {
            smtpHost: smtpHost.value.trim(),
            smtpFrom: from.value.trim(),
            smtpTo: to.value
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
            ...(smtpUser.value === '' ? {} : { smtpUsername: smtpUser.value, smtpPassword: smtpPass.value }),
          }
        : { webhookUrl: url.value.trim() }),
    };
    api<NotificationChannelDto, CreateNotificationChannelDto>('POST', '/notifications/channels', body)
      .then(() => {
        form.reset();
        clear(message, notice('Channel added.', 'info'));
        return load();
      })
      .catch((error: Error) => clear(message, notice(error.message)));
  });

  const queues = h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      id: 'open-queues',
      onclick: () =>
        void api('POST', '/admin/queues/session')
          .then(() => window.open('/admin/queues', '_blank', 'noopener'))
          .catch((e: Error) => clear(message, notice(e.message))),
    },
    'Open queue inspector',
  );
  clear(
    root,
    h('div', { class: 'toolbar' }, h('h2', {}, 'Notifications'), queues),
    message,
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h('tr', {}, ...['Channel', 'Kind', 'Routes', 'Health', ''].map((t) => h('th', { scope: 'col' }, t))),
      ),
      channels,
    ),
    h('h3', {}, 'Add a channel'),
    form,
    h('h3', {}, 'Recent deliveries'),
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h('tr', {}, ...['When', 'Channel', 'Event', 'State', 'Detail'].map((t) => h('th', { scope: 'col' }, t))),
      ),
      deliveries,
    ),
  );
  void load().catch((error: Error) => clear(message, notice(error.message)));
}
