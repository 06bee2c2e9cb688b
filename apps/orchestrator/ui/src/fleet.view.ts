/** Fleet overview: server-side search, filter and keyset paging, so 1,000 hosts stay quick. */
import { api, session } from './api.js';
import {
  type DriftReportDto,
  type FleetSummaryDto,
  type HostDriftDto,
  type HostDto,
  type HostPageDto,
  type PlanWarningDto,
  type UpdateHostDto,
} from './api-types.generated.js';
import { ago, badge, clear, h, notice } from './dom.js';

const TRUST_TONE = { TRUSTED: 'ok', UNTRUSTED: 'warn', MISMATCH: 'bad' } as const;
/** Only `on` is good news: `unreachable` and `unknown` hosts may be up or down. */
const POWER_TONE = { on: 'ok', off: 'muted', unreachable: 'bad', unknown: 'warn' } as const;

/** The host's power as nutfleet established it, with what it rests on and since when. */
function powerCell(host: HostDto): HTMLElement {
  const { power } = host;
  return h(
    'td',
    { 'data-testid': 'power', title: power.source ?? 'never observed' },
    badge(power.state, POWER_TONE[power.state]),
    power.leftOff ? h('div', { class: 'small' }, 'left off') : null,
    h('div', { class: 'muted small' }, power.since === null ? 'never observed' : `since ${ago(power.since)}`),
    power.source === null ? null : h('div', { class: 'muted small', 'data-testid': 'power-source' }, power.source),
    host.lastError === null ? null : h('div', { title: host.lastError }, badge('error', 'bad')),
  );
}

export function fleetView(root: HTMLElement): void {
  const search = h('input', {
    type: 'search',
    id: 'host-search',
    placeholder: 'name or address',
    'aria-label': 'Search hosts',
  });
  const trust = h(
    'select',
    { id: 'host-trust', 'aria-label': 'Trust state' },
    h('option', { value: '' }, 'any trust'),
    h('option', { value: 'TRUSTED' }, 'trusted'),
    h('option', { value: 'UNTRUSTED' }, 'untrusted'),
    h('option', { value: 'MISMATCH' }, 'key mismatch'),
  );
  const power = h(
    'select',
    { id: 'host-power', 'aria-label': 'Power state' },
    h('option', { value: '' }, 'any power'),
    h('option', { value: 'on' }, 'on'),
    h('option', { value: 'off' }, 'off'),
    h('option', { value: 'unreachable' }, 'unreachable'),
    h('option', { value: 'unknown' }, 'unknown'),
  );
  const errors = h(
    'select',
    { id: 'host-errors', 'aria-label': 'Errors' },
    h('option', { value: '' }, 'any state'),
    h('option', { value: 'true' }, 'with error'),
    h('option', { value: 'false' }, 'without error'),
  );
  const body = h('tbody');
  const status = h('p', { class: 'muted', role: 'status' });
  const prev = h('button', { type: 'button', class: 'secondary' }, '← Previous');
  const next = h('button', { type: 'button', class: 'secondary' }, 'Next →');
  const summary = h('div', { class: 'cards', id: 'fleet-summary' });
  // The hosts nutfleet could not protect, by host: the "unprotected" card scrolls here.
  const protection = h('details', { id: 'protection-warnings', class: 'panel' });
  const editor = h('div');
  // Keyset pages: the cursors of the pages seen so far, for Previous.
  const cursors: (string | null)[] = [null];
  let page = 0;
  // GET /hosts/drift once per visit (it judges the whole fleet); cells of the shown rows fill in when it answers.
  let drifts: Map<string, HostDriftDto> | 'failed' | null = null;
  const driftCells = new Map<string, HTMLTableCellElement>();

  const load = async (): Promise<void> => {
    const params = new URLSearchParams({ limit: '50' });
    if (search.value.trim() !== '') params.set('q', search.value.trim());
    if (trust.value !== '') params.set('trustState', trust.value);
    if (power.value !== '') params.set('power', power.value);
    if (errors.value !== '') params.set('hasError', errors.value);
    const cursor = cursors[page];
    if (cursor) params.set('cursor', cursor);
    status.textContent = 'Loading…';
    try {
      const result = await api<HostPageDto>('GET', `/hosts?${params}`);
      cursors[page + 1] = result.nextCursor;
      driftCells.clear();
      clear(body, ...result.items.map(row));
      if (result.items.length === 0)
        clear(body, h('tr', {}, h('td', { colspan: '9', class: 'muted' }, 'No host matches.')));
      status.textContent = `Page ${page + 1} · ${result.items.length} host(s)`;
      prev.disabled = page === 0;
      next.disabled = result.nextCursor === null;
    } catch (error) {
      clear(status, notice(String((error as Error).message)));
    }
  };

  const row = (host: HostDto): HTMLElement => {
    const drift = h('td', { 'data-testid': 'drift' });
    driftCells.set(host.id, drift);
    fillDrift(host.id, drift);
    return h(
      'tr',
      {},
      h(
        'td',
        {},
        h('strong', {}, h('a', { href: `#/hosts/${host.id}` }, host.name)),
        h('div', { class: 'muted small' }, host.address),
      ),
      h('td', {}, badge(host.trustState.toLowerCase(), TRUST_TONE[host.trustState])),
      powerCell(host),
      h(
        'td',
        {},
        host.feeds.length === 0 ? h('span', { class: 'muted' }, 'none') : host.feeds.map((f) => f.ups).join(', '),
      ),
      h('td', {}, host.vibVersion ?? h('span', { class: 'muted' }, 'not installed')),
      drift,
      h('td', {}, host.esxiVersion ?? '–'),
      h(
        'td',
        {},
        `${host.shutdownStage} / ${host.restartWave}`,
        host.group === null ? null : h('div', { class: 'muted small' }, host.group),
      ),
      h(
        'td',
        {},
        ago(host.lastSeenAt),
        session.can('operator')
          ? h('button', { type: 'button', class: 'link', onclick: () => edit(host) }, 'Edit')
          : null,
      ),
    );
  };

  const fillDrift = (hostId: string, cell: HTMLTableCellElement): void => {
    if (drifts === null) return clear(cell, h('span', { class: 'muted' }, '…'));
    if (drifts === 'failed') return clear(cell, h('span', { class: 'muted' }, '–'));
    const drift = drifts.get(hostId);
    if (drift === undefined) return clear(cell, badge('in sync', 'ok'));
    const lines = driftLines(drift);
    clear(
      cell,
      h(
        'span',
        { title: lines.join('\n'), tabindex: '0', class: 'drift' },
        badge('drift', 'warn'),
        h('span', { class: 'sr-only' }, `: ${lines.join('; ')}`),
      ),
    );
  };

  const edit = (host: HostDto): void => {
    const name = h('input', { value: host.name, id: 'edit-name', required: true });
    const address = h('input', { value: host.address, id: 'edit-address', required: true });
    const stage = h('input', {
      type: 'number',
      min: '0',
      max: '1000',
      value: String(host.shutdownStage),
      id: 'edit-stage',
    });
    const wave = h('input', {
      type: 'number',
      min: '0',
      max: '1000',
      value: String(host.restartWave),
      id: 'edit-wave',
    });
    const tags = h('input', { value: host.tags.join(', '), id: 'edit-tags' });
    const message = h('div');
    const form = h(
      'form',
      { class: 'panel', 'aria-label': `Edit ${host.name}` },
      h('h3', {}, `Edit ${host.name}`),
      h('label', { for: 'edit-name' }, 'Name'),
      name,
      h('label', { for: 'edit-address' }, 'Address'),
      address,
      h('label', { for: 'edit-stage' }, 'Shutdown stage'),
      stage,
      h('label', { for: 'edit-wave' }, 'Restart wave'),
      wave,
      h('label', { for: 'edit-tags' }, 'Tags (comma-separated)'),
      tags,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit' }, 'Save'),
        h('button', { type: 'button', class: 'secondary', onclick: () => clear(editor) }, 'Close'),
      ),
      message,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const patch: UpdateHostDto = {
        name: name.value.trim(),
        address: address.value.trim(),
        shutdownStage: Number(stage.value),
        restartWave: Number(wave.value),
        tags: tags.value
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      };
      api<HostDto, UpdateHostDto>('PATCH', `/hosts/${host.id}`, patch)
        .then(() => {
          clear(message, notice('Saved.', 'info'));
          void load();
        })
        .catch((error: Error) => clear(message, notice(error.message)));
    });
    clear(editor, form);
    name.focus();
  };

  let debounce: number | undefined;
  search.addEventListener('input', () => {
    window.clearTimeout(debounce);
    debounce = window.setTimeout(() => {
      page = 0;
      void load();
    }, 250);
  });
  for (const select of [trust, power, errors]) select.addEventListener('change', () => ((page = 0), void load()));
  prev.addEventListener('click', () => ((page = Math.max(0, page - 1)), void load()));
  next.addEventListener('click', () => ((page += 1), void load()));

  clear(
    root,
    h('h2', {}, 'Fleet'),
    summary,
    protection,
    h('div', { class: 'toolbar' }, search, trust, power, errors),
    editor,
    h(
      'table',
      { id: 'hosts' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Host', 'Trust', 'Power', 'Feeds', 'VIB', 'Drift', 'ESXi', 'Stage / wave', 'Last seen'].map((t) =>
            h('th', { scope: 'col' }, t),
          ),
        ),
      ),
      body,
    ),
    h('div', { class: 'toolbar' }, prev, next, status),
  );
  void api<FleetSummaryDto>('GET', '/fleet/summary')
    .then((s) => {
      const cards: [string, number][] = [
        ['hosts', s.totalHosts],
        ['trusted', s.byTrustState.TRUSTED ?? 0],
        ['untrusted', s.byTrustState.UNTRUSTED ?? 0],
        ['key mismatch', s.byTrustState.MISMATCH ?? 0],
        ['in error', s.hostsWithErrors],
        ['without power feed', s.hostsWithoutFeeds],
      ];
      const unprotected = h(
        'button',
        {
          type: 'button',
          id: 'unprotected-card',
          class: s.unprotected > 0 ? 'card small alert' : 'card small',
          'aria-controls': 'protection-warnings',
          title: 'Hosts nutfleet could not protect now, and why',
          onclick: () => {
            protection.open = true;
            protection.scrollIntoView({ behavior: 'smooth', block: 'start' });
          },
        },
        h('div', { class: 'big' }, String(s.unprotected)),
        h('div', { class: 'muted' }, 'unprotected'),
      );
      fillProtection(protection, s.unprotected, s.warningCount, s.warnings);
      clear(
        summary,
        unprotected,
        ...cards.map(([label, value]) =>
          h(
            'div',
            {
              class:
                value > 0 && (label === 'key mismatch' || label === 'in error') ? 'card small alert' : 'card small',
            },
            h('div', { class: 'big' }, String(value)),
            h('div', { class: 'muted' }, label),
          ),
        ),
      );
    })
    .catch(() => clear(summary));
  void api<DriftReportDto>('GET', '/hosts/drift')
    .then((report) => (drifts = new Map(report.drifted.map((d) => [d.hostId, d]))))
    .catch(() => (drifts = 'failed'))
    .finally(() => driftCells.forEach((cell, hostId) => fillDrift(hostId, cell)));
  void load();
}

/** The protection warnings grouped by host, each saying what is wrong and what to do. */
function fillProtection(
  section: HTMLDetailsElement,
  unprotected: number,
  total: number,
  warnings: PlanWarningDto[],
): void {
  const byHost = new Map<string, PlanWarningDto[]>();
  for (const w of warnings) {
    const host = w.hostName ?? w.hostId ?? '';
    byHost.set(host, [...(byHost.get(host) ?? []), w]);
  }
  const shown = total > warnings.length ? ` (the first ${warnings.length} of ${total} shown)` : '';
  clear(
    section,
    h('summary', {}, unprotected === 0 ? 'Every host is protected' : `${unprotected} unprotected host(s)${shown}`),
    unprotected === 0
      ? h('p', { class: 'muted' }, 'nutfleet can shut every host down and wake it again.')
      : h(
          'ul',
          { class: 'protection' },
          ...[...byHost].map(([host, list]) =>
            h(
              'li',
              { 'data-host': host },
              h('strong', {}, host),
              h(
                'ul',
                {},
                ...list.map((w) => h('li', {}, badge(w.code, 'warn'), ' ', w.message.replace(/^[^:]*: /, ''))),
              ),
            ),
          ),
        ),
  );
}

/**
 * The differences, one per line. The API already redacts the NUT password as "***"; a line about
 * it is still rewritten here so no value of it could ever reach a tooltip.
 */
function driftLines(drift: HostDriftDto): string[] {
  return [
    ...drift.reasons.map((r) => (/^NutPassword\b/.test(r) ? 'NutPassword: differs from the inventory' : r)),
    ...drift.problems.map((p) => `inventory problem: ${p}`),
  ];
}
