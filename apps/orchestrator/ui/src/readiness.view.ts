/** Fleet readiness: will the next outage go well? Scores per fleet, group and host, failing checks first. */
import { api } from './api.js';
import { type FleetReadinessDto, type HostReadinessDto } from './api-types.generated.js';
import { ago, badge, clear, h, notice } from './dom.js';

/** Refreshed this often while shown: results change at most once per host per interval. */
const REFRESH_MS = 15_000;

const tone = (score: number | null, threshold: number): 'ok' | 'warn' | 'bad' | 'muted' =>
  score === null ? 'muted' : score >= threshold ? 'ok' : score >= threshold / 2 ? 'warn' : 'bad';
const scoreText = (score: number | null): string => (score === null ? 'not checked yet' : `${score} %`);

export function readinessView(root: HTMLElement): () => void {
  const cards = h('div', { class: 'cards', id: 'readiness-summary' });
  const body = h('tbody');
  const status = h('p', { class: 'muted', role: 'status' });
  const onlyFailing = h('input', { type: 'checkbox', id: 'readiness-failing', checked: true });
  let last: FleetReadinessDto | null = null;

  const hostRow = (host: HostReadinessDto, threshold: number): HTMLElement => {
    const failing = host.checks.filter((c) => !c.ok);
    return h(
      'tr',
      {},
      h('td', {}, h('strong', {}, host.hostName)),
      h('td', {}, badge(scoreText(host.score), tone(host.score, threshold))),
      h(
        'td',
        {},
        failing.length === 0
          ? h('span', { class: 'muted' }, `all ${host.checks.length} checks pass`)
          : h(
              'ul',
              { class: 'plain' },
              ...failing.map((c) =>
                h(
                  'li',
                  {},
                  badge(c.code, 'bad'),
                  ' ',
                  c.message,
                  h('span', { class: 'muted small' }, ` · ${ago(c.checkedAt)}`),
                ),
              ),
            ),
      ),
    );
  };

  const render = (): void => {
    if (last === null) return;
    const view = last;
    clear(
      cards,
      h(
        'div',
        { class: 'card' },
        h('div', { class: 'muted small' }, 'Fleet'),
        badge(scoreText(view.score), tone(view.score, view.threshold)),
      ),
      ...view.groups.map((g) =>
        h(
          'div',
          { class: 'card' },
          h('div', { class: 'muted small' }, g.group ?? 'no group'),
          badge(scoreText(g.score), tone(g.score, view.threshold)),
          h('div', { class: 'muted small' }, `${g.failingHosts} of ${g.hosts} host(s) failing a check`),
        ),
      ),
    );
    const hosts = onlyFailing.checked
      ? view.hosts.filter((x) => x.checks.some((c) => !c.ok) || x.score === null)
      : view.hosts;
    clear(body, ...hosts.map((x) => hostRow(x, view.threshold)));
    if (hosts.length === 0)
      clear(body, h('tr', {}, h('td', { colspan: '3', class: 'muted' }, 'Every host passes every check.')));
    status.textContent = `Alert threshold ${view.threshold} % · ${view.hosts.length} host(s) · updated ${ago(view.generatedAt)}`;
  };

  const load = async (): Promise<void> => {
    try {
      last = await api<FleetReadinessDto>('GET', '/fleet/readiness');
      render();
    } catch (error) {
      clear(status, notice(String((error as Error).message)));
    }
  };

  onlyFailing.addEventListener('change', render);
  clear(
    root,
    h('h2', {}, 'Readiness'),
    h(
      'p',
      { class: 'muted' },
      'Checked ahead of the next outage: SSH, ESXi, NutClient, the host-side upsc, VM Tools, autostart, Wake-on-LAN, battery runtime against the plan, NUT servers.',
    ),
    cards,
    h('label', {}, onlyFailing, ' only hosts with a failing check'),
    h(
      'table',
      { 'aria-label': 'Host readiness' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Host'), h('th', {}, 'Score'), h('th', {}, 'Failing checks'))),
      body,
    ),
    status,
  );
  void load();
  const timer = setInterval(() => void load(), REFRESH_MS);
  return () => clearInterval(timer);
}
