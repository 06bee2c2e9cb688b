/** The latest deliveries: what was sent where, what is being retried, what failed and why. */
import { api } from '../api.js';
import { type NotificationDeliveryPageDto } from '../api-types.generated.js';
import { ago, badge, clear, h } from '../dom.js';

export interface DeliveriesSection {
  element: HTMLElement;
  load(): Promise<void>;
}

export function deliveriesSection(): DeliveriesSection {
  const body = h('tbody');
  return {
    element: h(
      'section',
      { 'aria-labelledby': 'deliveries-title' },
      h('h3', { id: 'deliveries-title' }, 'Recent deliveries'),
      h(
        'table',
        { id: 'deliveries' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['When', 'Channel', 'Event', 'State', 'Message or error'].map((t) => h('th', { scope: 'col' }, t)),
          ),
        ),
        body,
      ),
    ),
    async load() {
      const page = await api<NotificationDeliveryPageDto>('GET', '/notifications/deliveries?limit=20');
      clear(
        body,
        ...page.items.map((d) =>
          h(
            'tr',
            { 'data-delivery': d.id },
            h('td', {}, ago(d.createdAt)),
            h('td', {}, d.channelName),
            h('td', {}, `${d.eventType} (${d.severity.toLowerCase()})`),
            h(
              'td',
              {},
              badge(d.state, d.state === 'SENT' ? 'ok' : d.state === 'FAILED' ? 'bad' : 'warn'),
              ` ${d.attempts} attempt(s)`,
            ),
            h(
              'td',
              { class: 'small' },
              d.title,
              d.lastError === null ? null : h('div', { class: 'bad-text' }, d.lastError),
            ),
          ),
        ),
      );
      if (page.items.length === 0)
        clear(body, h('tr', {}, h('td', { colspan: '5', class: 'muted' }, 'Nothing sent yet.')));
    },
  };
}
