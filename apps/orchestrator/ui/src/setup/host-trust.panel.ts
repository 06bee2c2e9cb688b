/**
 * Trust in bulk: fetch the keys untrusted hosts present now, show their fingerprints (to compare
 * with each host's console), accept the selected ones. Then discover the selection or all.
 */
import { api } from '../api.js';
import {
  type DiscoveryQueuedDto,
  type DiscoveryRunDto,
  type HostDto,
  type HostKeyFetchedDto,
} from '../api-types.generated.js';
import { clear, h, notice } from '../dom.js';

const POLL_MS = 700;

export function hostTrustPanel(hosts: () => HostDto[], picked: () => string[], changed: () => void): HTMLElement {
  const keys = h('div', { id: 'trust-keys' });
  const discovery = h('div', { id: 'discovery-status', 'aria-live': 'polite' });
  let fetched: HostKeyFetchedDto[] = [];

  const fetchKeys = async (): Promise<void> => {
    const targets = hosts().filter((x) => x.trustState !== 'TRUSTED');
    if (targets.length === 0) return clear(keys, notice('Every host is trusted.', 'info'));
    clear(keys, h('p', { class: 'muted' }, `Fetching ${targets.length} host key(s)…`));
    const failures: string[] = [];
    fetched = [];
    for (const x of targets) {
      try {
        fetched.push(await api<HostKeyFetchedDto>('POST', `/hosts/${x.id}/trust`));
      } catch (error) {
        failures.push(`${x.name}: ${(error as Error).message}`);
      }
    }
    const byId = new Map(hosts().map((x) => [x.id, x]));
    clear(
      keys,
      h(
        'table',
        { id: 'trust-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, 'Accept'),
            h('th', {}, 'Host'),
            h('th', {}, 'Fingerprint presented now'),
            h('th', {}, 'Pinned before'),
          ),
        ),
        h(
          'tbody',
          {},
          ...fetched.map((k) =>
            h(
              'tr',
              { 'data-host': byId.get(k.hostId)?.name ?? k.hostId },
              h(
                'td',
                {},
                h('input', {
                  type: 'checkbox',
                  class: 'trust-pick',
                  'data-id': k.hostId,
                  'aria-label': `Accept the key of ${byId.get(k.hostId)?.name ?? k.hostId}`,
                }),
              ),
              h('td', {}, byId.get(k.hostId)?.name ?? k.hostId),
              h('td', {}, h('code', {}, k.presentedFingerprint)),
              h('td', {}, k.pinnedFingerprint ?? '–'),
            ),
          ),
        ),
      ),
      failures.length > 0 ? notice(`Could not fetch: ${failures.join('; ')}`) : null,
      h(
        'p',
        { class: 'muted small' },
        'Compare each fingerprint with the host (DCUI or `ssh-keygen -lf /etc/ssh/ssh_host_rsa_key.pub`) before accepting.',
      ),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            id: 'trust-all',
            onclick: () => keys.querySelectorAll<HTMLInputElement>('.trust-pick').forEach((c) => (c.checked = true)),
          },
          'Select all',
        ),
        h('button', { type: 'button', id: 'trust-accept', onclick: () => void accept() }, 'Accept selected'),
      ),
    );
  };

  const accept = async (): Promise<void> => {
    const ids = [...keys.querySelectorAll<HTMLInputElement>('.trust-pick')]
      .filter((c) => c.checked)
      .map((c) => c.dataset.id ?? '');
    const failures: string[] = [];
    for (const id of ids) {
      const k = fetched.find((f) => f.hostId === id);
      if (!k) continue;
      try {
        await api('POST', `/hosts/${id}/trust/accept`, { fingerprint: k.presentedFingerprint });
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
    clear(
      keys,
      notice(
        `Trusted ${ids.length - failures.length} host(s).${failures.length > 0 ? ` Failed: ${failures.join('; ')}` : ''}`,
        failures.length > 0 ? 'error' : 'info',
      ),
    );
    changed();
  };

  const discover = async (all: boolean): Promise<void> => {
    const ids = picked();
    if (!all && ids.length === 0) return clear(discovery, notice('Tick the hosts to discover first.'));
    try {
      const queued = await api<DiscoveryQueuedDto, { hostIds?: string[] }>(
        'POST',
        '/hosts/discover',
        all ? {} : { hostIds: ids },
      );
      let run: DiscoveryRunDto;
      do {
        await new Promise((r) => setTimeout(r, POLL_MS));
        run = await api<DiscoveryRunDto>('GET', `/discovery-runs/${queued.runId}`);
        clear(discovery, h('p', { class: 'muted' }, `Discovering: ${run.done} of ${run.total} done…`));
      } while (run.state !== 'finished' && discovery.isConnected);
      clear(
        discovery,
        notice(
          `Discovery finished: ${run.succeeded} of ${run.total} host(s) read, ${run.failed} failed.`,
          run.failed > 0 ? 'error' : 'info',
        ),
        run.errors.length > 0
          ? h('ul', { id: 'discovery-errors' }, ...run.errors.map((e) => h('li', {}, `${e.hostName}: ${e.error}`)))
          : null,
        run.incompleteHosts.length > 0
          ? h('ul', {}, ...run.incompleteHosts.map((e) => h('li', {}, `${e.hostName} (partly read): ${e.error}`)))
          : null,
      );
      changed();
    } catch (error) {
      clear(discovery, notice((error as Error).message));
    }
  };

  return h(
    'section',
    { class: 'panel', id: 'trust-section', 'aria-labelledby': 'trust-title' },
    h('h3', { id: 'trust-title' }, 'Trust and discovery'),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        { type: 'button', id: 'trust-fetch', onclick: () => void fetchKeys() },
        'Fetch keys of untrusted hosts',
      ),
      h(
        'button',
        { type: 'button', class: 'secondary', id: 'discover-picked', onclick: () => void discover(false) },
        'Discover ticked hosts',
      ),
      h(
        'button',
        { type: 'button', class: 'secondary', id: 'discover-all', onclick: () => void discover(true) },
        'Discover all hosts',
      ),
    ),
    keys,
    discovery,
  );
}
