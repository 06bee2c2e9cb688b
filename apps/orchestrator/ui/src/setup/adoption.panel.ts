/**
 * Adoption: hosts discovered with the NutClient VIB already configured by hand. The proposal
 * (GET /adoption/proposal) lists the NUT servers, UPSes and feeds their UserVars imply; one
 * confirmation creates them, so these hosts start in sync instead of drifting.
 */
import { api, session } from '../api.js';
import { type AdoptionProposalDto, type AdoptionResultDto, type ApplyAdoptionDto } from '../api-types.generated.js';
import { badge, clear, h, notice } from '../dom.js';

export function adoptionPanel(changed: () => void): HTMLElement {
  const body = h('div', { id: 'adoption-body', 'aria-live': 'polite' });

  const show = (p: AdoptionProposalDto): void => {
    const fresh = p.servers.filter((s) => s.existingId === null);
    const newUpses = p.upses.filter((u) => u.existingId === null);
    const nothing = fresh.length === 0 && newUpses.length === 0 && p.feeds.length === 0;
    const passwords = new Map<string, HTMLInputElement>();
    clear(
      body,
      p.hostNames.length === 0
        ? h('p', { class: 'muted' }, 'No discovered host has the VIB configured by hand.')
        : h('p', {}, `${p.hostNames.length} host(s) already configured: ${p.hostNames.join(', ')}.`),
      p.servers.length > 0
        ? h(
            'table',
            { id: 'adoption-servers' },
            h(
              'thead',
              {},
              h('tr', {}, ...['NUT server', 'Address', 'User', 'Used by', '', 'Password'].map((t) => h('th', {}, t))),
            ),
            h(
              'tbody',
              {},
              ...p.servers.map((s) => {
                const input = h('input', {
                  type: 'password',
                  autocomplete: 'new-password',
                  'data-key': s.key,
                  'aria-label': `Password of ${s.name}`,
                });
                if (s.existingId === null && session.can('admin')) passwords.set(s.key, input);
                return h(
                  'tr',
                  {},
                  h('td', {}, h('strong', {}, s.name)),
                  h('td', {}, `${s.host}:${s.port}`),
                  h('td', {}, s.username ?? '–'),
                  h('td', { class: 'small' }, s.hostNames.join(', ')),
                  h('td', {}, s.existingId === null ? badge('to create', 'info') : badge('exists', 'muted')),
                  h('td', {}, s.existingId === null && session.can('admin') ? input : ''),
                );
              }),
            ),
          )
        : null,
      p.upses.length > 0
        ? h(
            'p',
            { id: 'adoption-upses' },
            'UPSes: ',
            ...p.upses.flatMap((u, i) => [
              i > 0 ? ', ' : '',
              `${u.name}@${p.servers.find((s) => s.key === u.serverKey)?.name ?? u.serverKey}`,
              u.existingId === null ? ' (new)' : '',
            ]),
            `. Power feeds to add: ${p.feeds.length}.`,
          )
        : null,
      p.timings.length > 0
        ? h(
            'table',
            { id: 'adoption-timings' },
            h(
              'caption',
              { class: 'small' },
              "Fallback timing the hosts run: kept when the VIB still acts only after nutfleet's plan, else replaced",
            ),
            h(
              'thead',
              {},
              h('tr', {}, ...['Host', 'NutFinalDelay', 'NutOnBatteryDelay', 'Why'].map((t) => h('th', {}, t))),
            ),
            h(
              'tbody',
              {},
              ...p.timings.map((t) => {
                const cell = (v: typeof t.finalDelay, desired: number) =>
                  v === null
                    ? `${desired} s`
                    : v.kept
                      ? h('span', {}, `${v.value} s `, badge('kept', 'ok'))
                      : h('span', {}, `${v.value} → ${desired} s `, badge('unsafe', 'warn'));
                return h(
                  'tr',
                  {},
                  h('td', {}, t.hostName),
                  h('td', {}, cell(t.finalDelay, t.desiredFinalDelaySeconds)),
                  h('td', {}, cell(t.onBatteryDelay, t.desiredOnBatteryDelaySeconds)),
                  h(
                    'td',
                    { class: 'small' },
                    [t.finalDelay?.why, t.onBatteryDelay?.why, `Deadline: ${t.deadline}`].filter(Boolean).join(' · '),
                  ),
                );
              }),
            ),
          )
        : null,
      p.problems.length > 0
        ? h('ul', { id: 'adoption-problems' }, ...p.problems.map((x) => h('li', {}, `${x.hostName}: ${x.message}`)))
        : null,
      nothing
        ? null
        : h(
            'p',
            { class: 'muted small' },
            "Discovery never reads NutPassword back: enter each new server's password (the one the hosts use) so " +
              'their desired settings match what they have.',
          ),
      nothing
        ? null
        : h(
            'button',
            {
              type: 'button',
              id: 'adoption-apply',
              onclick: () => {
                const list = [...passwords.entries()]
                  .filter(([, i]) => i.value !== '')
                  .map(([serverKey, i]) => ({ serverKey, password: i.value }));
                void api<AdoptionResultDto, ApplyAdoptionDto>('POST', '/adoption/apply', { passwords: list })
                  .then((r) => {
                    clear(
                      body,
                      notice(
                        `Adopted ${r.hostNames.length} host(s): created ${r.serversCreated.length} NUT server(s)` +
                          `${r.serversCreated.length > 0 ? ` (${r.serversCreated.join(', ')})` : ''}, ` +
                          `${r.upsesCreated.length} UPS(es) and ${r.feedsCreated} power feed(s); kept the hand-set ` +
                          `settings of ${r.hostsUpdated.length} host(s) where safe.`,
                        'info',
                      ),
                    );
                    changed();
                  })
                  .catch((e: Error) => clear(body, notice(e.message)));
              },
            },
            'Create these',
          ),
    );
  };

  const load = (): void =>
    void api<AdoptionProposalDto>('GET', '/adoption/proposal')
      .then(show)
      .catch((e: Error) => clear(body, notice(e.message)));

  return h(
    'section',
    { class: 'panel', id: 'adoption-section', 'aria-labelledby': 'adoption-title' },
    h('h3', { id: 'adoption-title' }, 'Adopt hosts already running the VIB'),
    h(
      'p',
      { class: 'muted' },
      'Hosts where the NutClient VIB was configured by hand: after discovery, nutfleet reads their UserVars and ' +
        'proposes the NUT servers, UPSes and feeds they imply.',
    ),
    h('button', { type: 'button', class: 'secondary', id: 'adoption-load', onclick: load }, 'Look for hosts to adopt'),
    body,
  );
}
