/**
 * One host: what it is (trust, versions, power feeds), its VMs (power, Tools, autostart), its
 * NICs and Wake-on-LAN MACs, each UserVars.Nut* actual against desired with why the desired
 * value is what it is, and its history (plans it was part of, changes made to it).
 */
import { api } from '../api.js';
import { type DesiredConfigDto, type HostDto, type HostHistoryDto } from '../api-types.generated.js';
import { ago, badge, clear, clockTime, h, notice } from '../dom.js';
import { tone } from '../plans/plan-detail.view.js';
import { nicRows, userVarRows, vmRows } from './host-facts.text.js';

const table = (id: string, columns: string[], rows: HTMLElement[], empty: string): HTMLElement =>
  h(
    'table',
    { id },
    h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      {},
      ...(rows.length > 0 ? rows : [h('tr', {}, h('td', { colspan: String(columns.length), class: 'muted' }, empty))]),
    ),
  );

const when = (iso: string | null): string =>
  iso === null ? '–' : `${new Date(iso).toLocaleDateString()} ${clockTime(iso)}`;

export function hostView(root: HTMLElement, id: string): void {
  clear(root, h('p', { class: 'muted' }, 'Loading…'));
  void Promise.all([
    api<HostDto>('GET', `/hosts/${id}`),
    api<DesiredConfigDto>('GET', `/hosts/${id}/desired-config`).catch(() => null),
    api<HostHistoryDto>('GET', `/hosts/${id}/history`),
  ])
    .then(([host, desired, history]) => {
      const facts = host.facts ?? null;
      const vms = facts === null ? [] : vmRows(facts);
      const nics = facts === null ? [] : nicRows(facts);
      const vars = userVarRows(facts, desired);
      clear(
        root,
        h('p', {}, h('a', { href: '#/fleet' }, '← Fleet')),
        h(
          'h2',
          {},
          host.name,
          ' ',
          badge(host.trustState.toLowerCase(), host.trustState === 'TRUSTED' ? 'ok' : 'warn'),
        ),
        h(
          'dl',
          { class: 'facts', id: 'host-summary' },
          h('dt', {}, 'Address'),
          h('dd', {}, `${host.address}:${host.sshPort} (${host.username})`),
          h('dt', {}, 'ESXi'),
          h('dd', {}, host.esxiVersion ?? 'not discovered'),
          h('dt', {}, 'NutClient'),
          h('dd', {}, host.vibVersion ?? 'not installed'),
          h('dt', {}, 'Stage / wave'),
          h('dd', {}, `shutdown stage ${host.shutdownStage}, restart wave ${host.restartWave}`),
          h('dt', {}, 'Power feeds'),
          h('dd', {}, host.feeds.map((f) => f.ups).join(', ') || 'none'),
          h('dt', {}, 'Last discovery'),
          h('dd', {}, facts === null ? 'never' : ago(facts.discoveredAt)),
        ),
        host.lastError === null ? null : notice(host.lastError),
        h('h3', {}, `VMs (${vms.length})`),
        table(
          'host-vms',
          ['VM', 'Power', 'VMware Tools', 'Autostart'],
          vms.map((vm) =>
            h('tr', {}, h('td', {}, vm.name), h('td', {}, vm.power), h('td', {}, vm.tools), h('td', {}, vm.autostart)),
          ),
          facts === null ? 'Not discovered yet.' : 'No VM on this host.',
        ),
        h('h3', {}, 'Network'),
        table(
          'host-nics',
          ['NIC', 'MAC', 'Link'],
          nics.map((n) => h('tr', {}, h('td', {}, n.name), h('td', {}, n.mac), h('td', {}, n.link))),
          facts === null ? 'Not discovered yet.' : 'No NIC read.',
        ),
        h(
          'p',
          { class: 'small', id: 'host-wol' },
          `Wake-on-LAN: ${host.macAddresses.join(', ') || 'no MAC'}${host.wolBroadcast === null ? '' : ` via ${host.wolBroadcast}:${host.wolPort}`}`,
        ),
        h('h3', {}, 'NutClient settings (UserVars)'),
        desired !== null && !desired.ok
          ? notice(
              `No desired configuration: ${(desired.problems ?? []).map((p) => String(p.message ?? '')).join('; ')}`,
            )
          : null,
        table(
          'host-uservars',
          ['Setting', 'On the host', 'Desired', '', 'Why this value'],
          vars.map((v) =>
            h(
              'tr',
              { 'data-var': v.name },
              h('td', {}, v.name),
              h('td', {}, v.actual),
              h('td', {}, v.desired),
              h('td', {}, badge(v.inSync ? 'in sync' : 'differs', v.inSync ? 'ok' : 'warn')),
              h('td', { class: 'small' }, v.reason),
            ),
          ),
          'Nothing read or desired yet.',
        ),
        h('h3', {}, 'Plans'),
        table(
          'host-plans',
          ['Created', 'Plan', 'Result here', 'Steps'],
          history.plans.map((p) =>
            h(
              'tr',
              {},
              h('td', {}, h('a', { href: `#/plans/${p.planId}` }, when(p.createdAt))),
              h('td', {}, `${p.kind.toLowerCase()} · ${p.mode === 'ARMED' ? 'armed' : 'dry-run'}`),
              h('td', {}, badge(p.result, tone(p.result))),
              h(
                'td',
                { class: 'small' },
                p.steps
                  .map((s) => `${s.what}: ${s.state.toLowerCase()}${s.error === null ? '' : ` (${s.error})`}`)
                  .join('; '),
              ),
            ),
          ),
          'No plan has touched this host.',
        ),
        h('h3', {}, 'Changes'),
        table(
          'host-events',
          ['When', 'Who', 'What'],
          history.events.map((e) => h('tr', {}, h('td', {}, when(e.at)), h('td', {}, e.who), h('td', {}, e.what))),
          'No change recorded.',
        ),
      );
    })
    .catch((error: Error) => clear(root, notice(error.message)));
}
