/** Settings (admin): notification channels, threshold alerts and recent deliveries; the queue inspector. */
import { api, session } from './api.js';
import { type NotificationCatalogDto, type NotificationChannelDto } from './api-types.generated.js';
import { clear, h, notice } from './dom.js';
import { channelsSection } from './notifications/channels.section.js';
import { deliveriesSection } from './notifications/deliveries.section.js';
import { thresholdsSection } from './notifications/thresholds.section.js';

/** Deliveries and alert states change on their own (the worker, the monitor): refreshed this often. */
const REFRESH_MS = 4000;

export function settingsView(root: HTMLElement): () => void {
  if (!session.can('admin')) {
    clear(root, h('h2', {}, 'Settings'), notice('Notification settings need an admin token.', 'info'));
    return () => undefined;
  }
  let active = true;
  const message = h('div', { id: 'notify-message' });
  const say = (text: string, tone: 'info' | 'error' = 'info'): void => clear(message, notice(text, tone));
  const queues = h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      id: 'open-queues',
      onclick: () =>
        void api('POST', '/admin/queues/session')
          .then(() => window.open('/admin/queues', '_blank', 'noopener'))
          .catch((e: Error) => say(e.message, 'error')),
    },
    'Open queue inspector',
  );
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  clear(root, h('div', { class: 'toolbar' }, h('h2', {}, 'Settings'), queues), message, body);

  let timer: number | undefined;
  void api<NotificationCatalogDto>('GET', '/notifications/catalog')
    .then(async (catalog) => {
      const deliveries = deliveriesSection();
      const thresholds = thresholdsSection(say);
      let channels: NotificationChannelDto[] = [];
      const refresh = async (): Promise<void> => {
        await Promise.all([thresholds.load(channels), deliveries.load()]);
      };
      const section = channelsSection(
        catalog,
        say,
        (list) => {
          channels = list;
          void refresh();
        },
        () => active,
      );
      clear(body, section.element, thresholds.element, deliveries.element);
      channels = await section.load();
      await refresh();
      if (active)
        timer = window.setInterval(() => void refresh().catch((e: Error) => say(e.message, 'error')), REFRESH_MS);
    })
    .catch((error: Error) => say(error.message, 'error'));
  return () => {
    active = false;
    window.clearInterval(timer);
  };
}
