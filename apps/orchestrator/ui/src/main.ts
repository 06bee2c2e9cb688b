/** Dashboard entry: sign-in with an API token, then hash routes (#/fleet, #/readiness, #/drills, #/ups, #/plans, #/rollouts, #/setup, #/settings). */
import { api, session } from './api.js';
import { type SessionDto } from './api-types.generated.js';
import { clear, h, notice } from './dom.js';
import { fleetView } from './fleet.view.js';
import { hostView } from './hosts/host.view.js';
import { startLive, stopLive } from './live-hub.js';
import { startOutageBanner } from './outage/banner.js';
import { planDetailView } from './plans/plan-detail.view.js';
import { planReportView } from './plans/plan-report.view.js';
import { plansView } from './plans.view.js';
import { drillReportView, drillsView } from './drills.view.js';
import { readinessView } from './readiness.view.js';
import { rolloutDetailView, rolloutsView } from './rollouts.view.js';
import { settingsView } from './settings.view.js';
import { upsHistoryView } from './ups/ups-history.view.js';
import { rolloutWizardView } from './setup/rollout-wizard.view.js';
import { setupView } from './setup/setup.view.js';
import { upsView } from './ups.view.js';

const main = document.getElementById('main') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
const who = document.getElementById('who') as HTMLElement;
const live = document.getElementById('live') as HTMLElement;
const banner = document.getElementById('outage-banner') as HTMLElement;
let leave: (() => void) | undefined;
let stopBanner: (() => void) | undefined;

const ROUTES: { path: string; label: string }[] = [
  { path: '#/fleet', label: 'Fleet' },
  { path: '#/readiness', label: 'Readiness' },
  { path: '#/drills', label: 'Drills' },
  { path: '#/ups', label: 'UPSes' },
  { path: '#/plans', label: 'Plans' },
  { path: '#/rollouts', label: 'Rollouts' },
  { path: '#/setup', label: 'Set-up' },
  { path: '#/settings', label: 'Settings' },
];

function route(): void {
  leave?.();
  leave = undefined;
  const hash = location.hash || '#/fleet';
  for (const a of nav.querySelectorAll('a')) {
    if (hash.startsWith(a.getAttribute('href') ?? '')) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const plan = /^#\/plans\/([0-9a-f-]{36})$/.exec(hash);
  const report = /^#\/plans\/([0-9a-f-]{36})\/report$/.exec(hash);
  const rollout = /^#\/rollouts\/([0-9a-f-]{36})$/.exec(hash);
  const host = /^#\/hosts\/([0-9a-f-]{36})$/.exec(hash);
  const ups = /^#\/ups\/([0-9a-f-]{36})$/.exec(hash);
  const drill = /^#\/drills\/([0-9a-f-]{36})$/.exec(hash);
  if (plan?.[1]) leave = planDetailView(main, plan[1]);
  else if (report?.[1]) leave = planReportView(main, report[1]);
  else if (host?.[1]) hostView(main, host[1]);
  else if (ups?.[1]) leave = upsHistoryView(main, ups[1]);
  else if (rollout?.[1]) leave = rolloutDetailView(main, rollout[1]);
  else if (hash === '#/rollouts/new') leave = rolloutWizardView(main);
  else if (hash.startsWith('#/rollouts')) rolloutsView(main);
  else if (drill?.[1]) drillReportView(main, drill[1]);
  else if (hash.startsWith('#/drills')) leave = drillsView(main);
  else if (hash.startsWith('#/readiness')) leave = readinessView(main);
  else if (hash.startsWith('#/ups')) leave = upsView(main);
  else if (hash.startsWith('#/plans')) plansView(main, (id) => (location.hash = `#/plans/${id}`));
  else if (hash.startsWith('#/settings')) leave = settingsView(main);
  else if (hash.startsWith('#/setup')) leave = setupView(main);
  else fleetView(main);
  main.focus();
}

function signInForm(message?: string): void {
  stopLive();
  stopBanner?.();
  stopBanner = undefined;
  clear(nav);
  clear(who);
  const token = h('input', {
    id: 'token',
    type: 'password',
    autocomplete: 'off',
    required: true,
    placeholder: 'nf_…',
    'aria-describedby': 'token-help',
  });
  const form = h(
    'form',
    { class: 'panel signin', 'aria-label': 'Sign in' },
    h('h2', {}, 'Sign in'),
    h('label', { for: 'token' }, 'API token'),
    token,
    h(
      'p',
      { id: 'token-help', class: 'muted small' },
      'Create one with "npm run token:create" or POST /tokens. It is kept in this tab only (sessionStorage).',
    ),
    message === undefined ? null : notice(message),
    h('button', { type: 'submit', id: 'sign-in' }, 'Sign in'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    session.save(token.value.trim());
    void start();
  });
  clear(main, form);
  token.focus();
}

async function start(): Promise<void> {
  if (session.token() === null) return signInForm();
  try {
    const me = await api<SessionDto>('GET', '/auth/session');
    session.role = me.role;
    session.name = me.tokenName;
  } catch (error) {
    session.clear();
    return signInForm((error as Error).message);
  }
  clear(nav, ...ROUTES.map((r) => h('a', { href: r.path }, r.label)));
  clear(
    who,
    `${session.name} (${session.role}) `,
    h(
      'button',
      { type: 'button', class: 'link', id: 'sign-out', onclick: () => (session.clear(), signInForm()) },
      'Sign out',
    ),
  );
  startLive(live);
  stopBanner?.();
  stopBanner = startOutageBanner(banner);
  route();
}

window.addEventListener('hashchange', () => session.token() !== null && route());
window.addEventListener('nutfleet:signed-out', () => {
  session.clear();
  signInForm('Your token was refused (expired or revoked): sign in again.');
});
void start();
