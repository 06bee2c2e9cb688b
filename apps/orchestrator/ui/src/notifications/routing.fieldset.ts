/** Which events a channel receives: checkboxes by group, or all of them, at or above a severity. */
import { type NotificationCatalogDto, type NotificationRouteDto } from '../api-types.generated.js';
import { h } from '../dom.js';

type EventType = NonNullable<NotificationRouteDto['eventTypes']>[number];
type Severity = NonNullable<NotificationRouteDto['minSeverity']>;

export interface RoutingFieldset {
  element: HTMLFieldSetElement;
  /** Shows a route; null: nothing ticked (a channel without routes). */
  set(route: { eventTypes: string[]; minSeverity: string } | null): void;
  /** The route, or null when nothing is ticked (the channel then receives only tests). */
  route(): NotificationRouteDto | null;
}

export function routingFieldset(catalog: NotificationCatalogDto): RoutingFieldset {
  const all = h('input', { type: 'checkbox', id: 'ch-all-events' });
  // Tests ignore routes (a test goes to its channel whatever they say): no box for them.
  const events = catalog.events.filter((e) => e.type !== 'test');
  const boxes = events.map((e) => h('input', { type: 'checkbox', name: 'event', value: e.type, id: `ev-${e.type}` }));
  const severity = h(
    'select',
    { id: 'ch-sev' },
    h('option', { value: 'INFO' }, 'everything (info and above)'),
    h('option', { value: 'WARNING' }, 'warnings and critical'),
    h('option', { value: 'CRITICAL' }, 'critical only'),
  );
  const sync = (): void => boxes.forEach((b) => (b.disabled = all.checked));
  all.addEventListener('change', sync);
  const groups = [...new Set(events.map((e) => e.group))].map((group) =>
    h(
      'div',
      { class: 'event-group' },
      h('strong', { class: 'small' }, group),
      ...events.flatMap((e, i) =>
        e.group === group ? [h('label', { class: 'check' }, boxes[i] ?? null, ` ${e.label}`)] : [],
      ),
    ),
  );
  const element = h(
    'fieldset',
    { id: 'ch-routing', class: 'routing' },
    h('legend', {}, 'Sends'),
    h('label', { class: 'check' }, all, ' All events, including those added in later versions'),
    h('div', { class: 'event-groups' }, ...groups),
    h('label', { for: 'ch-sev' }, 'Of severity'),
    severity,
  );
  const api: RoutingFieldset = {
    element,
    set(route) {
      const types = route?.eventTypes ?? [];
      all.checked = route !== null && types.length === 0;
      boxes.forEach((b) => (b.checked = types.includes(b.value)));
      severity.value = route?.minSeverity ?? 'WARNING';
      sync();
    },
    route() {
      // An empty list means "every event" to the API: nothing ticked is no route at all.
      if (!all.checked && !boxes.some((b) => b.checked)) return null;
      return {
        ...(all.checked ? {} : { eventTypes: boxes.filter((b) => b.checked).map((b) => b.value as EventType) }),
        // The <select> offers exactly the API's values.
        minSeverity: severity.value as Severity,
      };
    },
  };
  return api;
}
