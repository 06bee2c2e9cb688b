/** UPS panel: one card per UPS, updated in place from the live stream (no reload). */
import { api } from './api.js';
import { type UpsLiveDto } from './api-types.generated.js';
import { ago, badge, clear, duration, h, notice } from './dom.js';
import { onLive } from './live-hub.js';

export function upsCard(ups: UpsLiveDto): HTMLElement {
  const tone = ups.commState !== 'OK' ? 'muted' : ups.lowBattery ? 'bad' : ups.onBattery ? 'warn' : 'ok';
  const state =
    ups.commState === 'LOST'
      ? 'COMM LOST'
      : ups.lowBattery
        ? 'LOW BATTERY'
        : ups.onBattery
          ? 'ON BATTERY'
          : ups.commState === 'OK'
            ? 'ON LINE'
            : 'UNKNOWN';
  const charge = ups.batteryCharge ?? 0;
  return h(
    'article',
    { class: `card ups ${tone}`, 'data-ups-id': ups.id, 'aria-label': `UPS ${ups.address}` },
    h(
      'header',
      {},
      h('strong', {}, h('a', { href: `#/ups/${ups.id}`, title: 'Charts over time' }, ups.name)),
      badge(state, tone === 'muted' ? 'muted' : tone),
    ),
    h('div', { class: 'muted small' }, ups.address),
    h('div', { class: 'flags', 'data-testid': 'ups-status' }, ups.status ?? '–'),
    h(
      'div',
      {
        class: 'meter',
        role: 'meter',
        'aria-valuemin': '0',
        'aria-valuemax': '100',
        'aria-valuenow': String(charge),
        'aria-label': 'Battery charge',
      },
      h('span', { style: `width:${Math.max(0, Math.min(100, charge))}%` }),
    ),
    h(
      'dl',
      {},
      h('dt', {}, 'Charge'),
      h('dd', {}, ups.batteryCharge === null ? '–' : `${ups.batteryCharge} %`),
      h('dt', {}, 'Runtime'),
      h('dd', {}, duration(ups.batteryRuntimeSeconds)),
      h('dt', {}, 'Load'),
      h('dd', {}, ups.upsLoad === null ? '–' : `${ups.upsLoad} %`),
      h('dt', {}, 'Seen'),
      h('dd', {}, ago(ups.lastSeenAt)),
    ),
    ups.commError === null ? null : h('p', { class: 'small bad-text' }, ups.commError),
  );
}

export function upsView(root: HTMLElement): () => void {
  const grid = h('div', { class: 'cards', id: 'ups-grid' });
  clear(
    root,
    h('h2', {}, 'UPSes'),
    h('p', { class: 'muted' }, 'Live from the power monitor: cards change as soon as a UPS does.'),
    grid,
  );
  const cards = new Map<string, HTMLElement>();
  const put = (ups: UpsLiveDto): void => {
    const card = upsCard(ups);
    const old = cards.get(ups.id);
    if (old) old.replaceWith(card);
    else grid.append(card);
    cards.set(ups.id, card);
  };
  api<UpsLiveDto[]>('GET', '/ups')
    .then((list) => {
      if (list.length === 0) clear(grid, h('p', { class: 'muted' }, 'No UPS in the inventory yet.'));
      list.forEach(put);
    })
    .catch((error: Error) => clear(grid, notice(error.message)));
  return onLive({ ups: put });
}
