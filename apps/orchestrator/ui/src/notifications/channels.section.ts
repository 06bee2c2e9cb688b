/** The channel list: health, routes, and per channel send test, edit, enable/disable, delete. */
import { api } from '../api.js';
import {
  type NotificationCatalogDto,
  type NotificationChannelDto,
  type NotificationDeliveryDto,
  type UpdateNotificationChannelDto,
} from '../api-types.generated.js';
import { ago, badge, clear, h } from '../dom.js';
import { channelForm } from './channel.form.js';
import { channelTarget, KIND_FORMS } from './channel-kinds.js';

export interface Say {
  (text: string, tone?: 'info' | 'error'): void;
}

export interface ChannelsSection {
  element: HTMLElement;
  load(): Promise<NotificationChannelDto[]>;
}

const TEST_POLL_MS = 700;
const TEST_POLL_TRIES = 60;

function routesText(c: NotificationChannelDto, labels: Map<string, string>): string {
  if (c.routes.length === 0) return 'tests only';
  return c.routes
    .map(
      (r) =>
        `${r.eventTypes.length === 0 ? 'all events' : r.eventTypes.map((t) => labels.get(t) ?? t).join(', ')} (${r.minSeverity.toLowerCase()} and above)`,
    )
    .join('; ');
}

export function channelsSection(
  catalog: NotificationCatalogDto,
  say: Say,
  /** After any change, with the channels as they are now. */
  changed: (channels: NotificationChannelDto[]) => void,
  active: () => boolean,
): ChannelsSection {
  const labels = new Map(catalog.events.map((e) => [e.type, e.label]));
  const body = h('tbody');

  const form = channelForm(
    catalog,
    (channel, verb) => {
      say(`Channel ${channel.name} ${verb}.`);
      void load().then(changed);
    },
    (message) => say(message, 'error'),
  );

  /** Queues a test and follows its delivery until it is sent or fails, saying which. */
  const sendTest = async (c: NotificationChannelDto): Promise<void> => {
    const queued = await api<NotificationDeliveryDto>('POST', `/notifications/channels/${c.id}/test`);
    say(`Test message to ${c.name} queued…`);
    for (let i = 0; i < TEST_POLL_TRIES && active(); i++) {
      await new Promise((resolve) => setTimeout(resolve, TEST_POLL_MS));
      const d = await api<NotificationDeliveryDto>('GET', `/notifications/deliveries/${queued.id}`);
      if (d.state === 'SENT') return void say(`Test message to ${c.name} delivered.`);
      if (d.state === 'FAILED')
        return void say(`Test message to ${c.name} failed: ${d.lastError ?? 'unknown error'}`, 'error');
      if (d.lastError !== null)
        say(`Test message to ${c.name}: attempt ${d.attempts} failed (${d.lastError}); retrying…`, 'error');
    }
  };

  const row = (c: NotificationChannelDto): HTMLElement => {
    const failing = c.lastError !== null && (c.lastFailureAt ?? '') > (c.lastSuccessAt ?? '');
    const act = (label: string, run: () => Promise<unknown>, cls = 'link'): HTMLElement =>
      h(
        'button',
        {
          type: 'button',
          class: cls,
          onclick: () =>
            void run()
              .then(() => load())
              .then(changed)
              .catch((e: Error) => say(e.message, 'error')),
        },
        label,
      );
    return h(
      'tr',
      { 'data-channel': c.name },
      h(
        'td',
        {},
        h('strong', {}, c.name),
        c.enabled ? null : h('span', {}, ' ', badge('disabled', 'muted')),
        h('div', { class: 'muted small' }, channelTarget(c)),
      ),
      h('td', {}, KIND_FORMS[c.kind].label),
      h('td', { class: 'small' }, routesText(c, labels)),
      h(
        'td',
        {},
        failing
          ? h('span', {}, badge('failing', 'bad'), h('div', { class: 'small bad-text' }, c.lastError ?? ''))
          : c.lastSuccessAt
            ? badge(`ok ${ago(c.lastSuccessAt)}`, 'ok')
            : badge('unused', 'muted'),
      ),
      h(
        'td',
        { class: 'row-actions' },
        act('Send test', () => sendTest(c), 'secondary'),
        h('button', { type: 'button', class: 'link', onclick: () => form.edit(c) }, 'Edit'),
        act(c.enabled ? 'Disable' : 'Enable', () =>
          api<NotificationChannelDto, UpdateNotificationChannelDto>('PATCH', `/notifications/channels/${c.id}`, {
            enabled: !c.enabled,
          }),
        ),
        act('Delete', async () => {
          if (!window.confirm(`Delete the channel ${c.name} and its delivery history?`)) return;
          await api('DELETE', `/notifications/channels/${c.id}`);
          say(`Channel ${c.name} deleted.`);
        }),
      ),
    );
  };

  async function load(): Promise<NotificationChannelDto[]> {
    const list = await api<NotificationChannelDto[]>('GET', '/notifications/channels');
    clear(body, ...list.map(row));
    if (list.length === 0)
      clear(body, h('tr', {}, h('td', { colspan: '5', class: 'muted' }, 'No channel yet: add one below.')));
    return list;
  }

  return {
    element: h(
      'section',
      { 'aria-labelledby': 'channels-title' },
      h('h3', { id: 'channels-title' }, 'Notification channels'),
      h(
        'p',
        { class: 'muted small' },
        'Each channel receives the events it is routed, from a severity up. "Send test" sends a message at once, whatever the routing, and says whether it arrived.',
      ),
      h(
        'table',
        { id: 'channels' },
        h(
          'thead',
          {},
          h('tr', {}, ...['Channel', 'Kind', 'Receives', 'Health', ''].map((t) => h('th', { scope: 'col' }, t))),
        ),
        body,
      ),
      form.element,
    ),
    load: () => load(),
  };
}
