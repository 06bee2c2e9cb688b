/**
 * Set-up (#/setup): the whole inventory through the dashboard — NUT servers (presets, test, add
 * the UPSes listed), UPSes, policies, groups, hosts (every field, CSV import, bulk trust,
 * discovery) and power feeds. Forms are generated from the API's request DTOs.
 */
import { api, session } from '../api.js';
import { type GroupDto, type HostDto, type PolicyDto, type PowerFeedDto, type UpsDto } from '../api-types.generated.js';
import { badge, clear, h, notice } from '../dom.js';
import { adoptionPanel } from './adoption.panel.js';
import { type Choice } from './entity-form.js';
import { hostImportPanel } from './host-import.panel.js';
import { hostTrustPanel } from './host-trust.panel.js';
import { nutServersSection } from './nut-servers.section.js';
import { resourceSection, type ResourceSection } from './resource.section.js';

const byName = <R extends { id: string; name: string }>(rows: R[]): Choice[] =>
  rows.map((r) => ({ value: r.id, label: r.name }));

const TRUST_TONE = { TRUSTED: 'ok', UNTRUSTED: 'warn', MISMATCH: 'bad' } as const;

export function setupView(root: HTMLElement): () => void {
  const message = h('div', { id: 'setup-message' });
  const say = (text: string, tone: 'info' | 'error' = 'info'): void => clear(message, notice(text, tone));
  if (!session.can('operator')) {
    clear(root, h('h2', {}, 'Set-up'), notice('Changing the inventory needs an operator or admin token.', 'info'));
    return () => undefined;
  }

  // Sections list rows of one another (a UPS names its server, a host its group...): after any
  // change every list reloads and the forms' choices follow.
  const refreshAll = async (): Promise<void> => {
    await Promise.all(all.map((s) => s.load()));
    for (const s of all) s.refreshForm();
  };
  const changed = (): void => void refreshAll().catch((e: Error) => say(e.message, 'error'));

  const upses: ResourceSection<UpsDto> = resourceSection<UpsDto>({
    prefix: 'ups',
    title: 'UPSes',
    noun: 'UPS',
    path: '/upses',
    createDto: 'CreateUpsDto',
    fixedOnEdit: ['nutServerId'],
    say,
    changed,
    overrides: async () => ({
      nutServerId: { kind: 'choice', label: 'NUT server', choicesFrom: () => byName(servers.rows()), required: true },
    }),
    columns: [
      { label: 'UPS', cell: (u) => h('strong', {}, u.address) },
      { label: 'Description', cell: (u) => u.description ?? '' },
      { label: 'Status', cell: (u) => u.status ?? u.commState },
      { label: 'Feeds', cell: (u) => u.feedCount },
    ],
  });
  const servers = nutServersSection(say, () => upses, changed);

  const policies = resourceSection<PolicyDto>({
    prefix: 'policy',
    title: 'Policies',
    noun: 'policy',
    path: '/policies',
    createDto: 'CreatePolicyDto',
    say,
    changed,
    intro: h(
      'p',
      { class: 'muted' },
      'When a UPS counts as critical and how hosts and VMs are shut down and restarted. Every setting the ' +
        'decision engine reads is here, explained under it; an empty field takes the default shown.',
    ),
    columns: [
      {
        label: 'Name',
        cell: (p) => h('strong', {}, p.name, p.isDefault ? ' ' : '', p.isDefault ? badge('default', 'info') : null),
      },
      {
        label: 'Critical when',
        cell: (p) =>
          [
            p.onBatterySeconds === null ? null : `${p.onBatterySeconds} s on battery`,
            p.runtimeBelowSeconds === null ? null : `runtime < ${p.runtimeBelowSeconds} s`,
            p.chargeBelowPercent === null ? null : `charge < ${p.chargeBelowPercent} %`,
            p.onLowBattery ? 'LB' : null,
          ]
            .filter((x) => x !== null)
            .join(p.triggerCombination === 'ALL' ? ' and ' : ' or '),
      },
      { label: 'VMs', cell: (p) => `guest shutdown ${p.vmGuestShutdownTimeoutSecs} s, then ${p.vmFallbackAction}` },
    ],
    rowActions: (p) =>
      p.isDefault || !session.can('admin')
        ? []
        : [
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                onclick: () =>
                  void api('POST', `/policies/${p.id}/make-default`)
                    .then(() => (say(`${p.name} is now the default policy.`), changed()))
                    .catch((e: Error) => say(e.message, 'error')),
              },
              'Make default',
            ),
          ],
  });

  const groups = resourceSection<GroupDto>({
    prefix: 'group',
    title: 'Groups',
    noun: 'group',
    path: '/groups',
    createDto: 'CreateGroupDto',
    say,
    changed,
    overrides: async () => ({
      policyId: { kind: 'choice', label: 'Policy', choicesFrom: () => byName(policies.rows()) },
    }),
    columns: [
      { label: 'Name', cell: (g) => h('strong', {}, g.name) },
      { label: 'Policy', cell: (g) => policies.rows().find((p) => p.id === g.policyId)?.name ?? 'default' },
      { label: 'Hosts', cell: (g) => g.hostCount },
    ],
  });

  const hosts = resourceSection<HostDto>({
    prefix: 'host',
    title: 'Hosts',
    noun: 'host',
    path: '/hosts',
    createDto: 'CreateHostDto',
    say,
    changed,
    intro: h(
      'p',
      { class: 'muted' },
      'Password and private key are write-only (admin): stored sealed, never shown; leave them empty to keep them. ' +
        'Power feeds are set below, under Power feeds.',
    ),
    overrides: async () => ({
      groupId: { kind: 'choice', label: 'Group', choicesFrom: () => byName(groups.rows()) },
      policyId: {
        kind: 'choice',
        label: 'Policy',
        choicesFrom: () => byName(policies.rows()),
        help: 'Empty: the group’s, else the default policy.',
      },
      sshPort: { label: 'SSH port' },
      username: { label: 'SSH user' },
      password: { label: 'SSH password (write-only)' },
      privateKey: { kind: 'textarea', label: 'SSH private key (write-only)' },
      hostKeyFingerprint: { label: 'Host key fingerprint' },
      macAddresses: { label: 'MAC addresses (Wake-on-LAN)' },
      wolBroadcast: { label: 'Wake-on-LAN broadcast' },
      wolPort: { label: 'Wake-on-LAN port' },
      minSupplies: { label: 'Min. supplies', help: "NUT's MINSUPPLIES: how many of its feeds must be healthy." },
    }),
    columns: [
      {
        label: '',
        cell: (x) =>
          h('input', { type: 'checkbox', class: 'host-pick', 'data-id': x.id, 'aria-label': `Select ${x.name}` }),
      },
      { label: 'Host', cell: (x) => h('strong', {}, x.name) },
      { label: 'Address', cell: (x) => `${x.address}:${x.sshPort}` },
      { label: 'Trust', cell: (x) => badge(x.trustState.toLowerCase(), TRUST_TONE[x.trustState]) },
      { label: 'Group', cell: (x) => x.group ?? '–' },
      { label: 'Stage / wave', cell: (x) => `${x.shutdownStage} / ${x.restartWave}` },
      { label: 'Feeds', cell: (x) => x.feeds.map((f) => f.ups).join(', ') || '–' },
      { label: 'ESXi / VIB', cell: (x) => `${x.esxiVersion ?? '?'} / ${x.vibVersion ?? 'none'}` },
    ],
  });
  const picked = (): string[] =>
    [...hosts.element.querySelectorAll<HTMLInputElement>('.host-pick')]
      .filter((c) => c.checked)
      .map((c) => c.dataset.id ?? '');

  const feeds = resourceSection<PowerFeedDto & { name?: string }>({
    prefix: 'feed',
    title: 'Power feeds',
    noun: 'power feed',
    path: '/power-feeds',
    createDto: 'CreatePowerFeedDto',
    fixedOnEdit: ['hostId', 'upsId'],
    say,
    changed,
    intro: h('p', { class: 'muted' }, 'Which UPS powers which host (a host with two power supplies has two feeds).'),
    overrides: async () => ({
      hostId: { kind: 'choice', label: 'Host', required: true, choicesFrom: () => byName(hosts.rows()) },
      upsId: {
        kind: 'choice',
        label: 'UPS',
        required: true,
        choicesFrom: () => upses.rows().map((u) => ({ value: u.id, label: u.address })),
      },
      powerValue: { help: "This supply's NUT power value (how many of the host's supplies it counts for)." },
    }),
    columns: [
      { label: 'Host', cell: (f) => h('strong', {}, f.host) },
      { label: 'UPS', cell: (f) => f.ups },
      { label: 'Power value', cell: (f) => f.powerValue },
    ],
  });

  const all: ResourceSection<{ id: string }>[] = [
    servers,
    upses,
    policies,
    groups,
    hosts,
    feeds,
  ] as unknown as ResourceSection<{ id: string }>[];

  clear(
    root,
    h('h2', {}, 'Set-up'),
    h(
      'p',
      { class: 'muted' },
      'From nothing to a protected fleet: NUT servers and their UPSes, a policy, hosts (import, trust, discover), ' +
        'power feeds; then deploy the NutClient VIB from Rollouts.',
    ),
    message,
    servers.element,
    upses.element,
    policies.element,
    groups.element,
    hosts.element,
    hostImportPanel(changed),
    hostTrustPanel(() => hosts.rows(), picked, changed),
    adoptionPanel(changed),
    feeds.element,
  );
  void refreshAll().catch((e: Error) => say(e.message, 'error'));
  return () => undefined;
}
