/**
 * NUT servers: add (from a vendor preset or by hand), edit, delete, test the connection, and from
 * a test that worked add the UPSes the server lists in one click.
 */
import { api } from '../api.js';
import {
  type NutConnectionTestDto,
  type NutServerDto,
  type NutServerPresetDto,
  type UpsDto,
} from '../api-types.generated.js';
import { badge, clear, h, notice } from '../dom.js';
import { type EntityForm } from './entity-form.js';
import { resourceSection, type ResourceSection } from './resource.section.js';

export function nutServersSection(
  say: (text: string, tone?: 'info' | 'error') => void,
  upses: () => ResourceSection<UpsDto>,
  changed: () => void,
): ResourceSection<NutServerDto> {
  const result = h('div', { id: 'nut-test-result', 'aria-live': 'polite' });

  const addListed = async (server: NutServerDto, test: NutConnectionTestDto): Promise<void> => {
    const known = new Set(
      upses()
        .rows()
        .filter((u) => u.nutServerId === server.id)
        .map((u) => u.name),
    );
    const missing = (test.upses ?? []).filter((u) => !known.has(u.name));
    for (const u of missing) {
      await api('POST', '/upses', {
        name: u.name,
        nutServerId: server.id,
        ...(u.description === '' ? {} : { description: u.description.slice(0, 500) }),
      });
    }
    await upses().load();
    changed();
    say(`Added ${missing.length} UPS(es) of ${server.name}: ${missing.map((u) => u.name).join(', ')}.`);
    clear(result);
  };

  const showTest = (server: NutServerDto, test: NutConnectionTestDto): void => {
    const known = new Set(
      upses()
        .rows()
        .filter((u) => u.nutServerId === server.id)
        .map((u) => u.name),
    );
    const listed = test.upses ?? [];
    const toAdd = listed.filter((u) => !known.has(u.name));
    clear(
      result,
      h(
        'div',
        { class: 'panel', id: 'nut-test-panel' },
        h(
          'h4',
          {},
          `Test of ${server.name} (${test.server}): `,
          test.ok ? badge('connected', 'ok') : badge(test.error?.code ?? 'failed', 'bad'),
        ),
        test.ok
          ? h(
              'p',
              {},
              `upsd ${test.serverVersion ?? '?'}${test.tls === true ? ', TLS' : ', no TLS'}`,
              test.loggedInTo ? `; credentials accepted (LOGIN on ${test.loggedInTo})` : '; no credentials proven',
            )
          : notice(test.error?.message ?? 'The test failed.'),
        listed.length > 0
          ? h(
              'table',
              { id: 'nut-test-upses' },
              h('thead', {}, h('tr', {}, h('th', {}, 'UPS'), h('th', {}, 'Description'), h('th', {}, 'In nutfleet'))),
              h(
                'tbody',
                {},
                ...listed.map((u) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, u.name),
                    h('td', {}, u.description),
                    h('td', {}, known.has(u.name) ? badge('yes', 'ok') : badge('not yet', 'muted')),
                  ),
                ),
              ),
            )
          : null,
        test.missingUpses && test.missingUpses.length > 0
          ? notice(`Configured here but not served by it: ${test.missingUpses.join(', ')}.`)
          : null,
        toAdd.length > 0
          ? h(
              'button',
              {
                type: 'button',
                id: 'nut-add-listed',
                onclick: () => void addListed(server, test).catch((e: Error) => say(e.message, 'error')),
              },
              `Add the ${toAdd.length} UPS(es) this server lists`,
            )
          : null,
      ),
    );
  };

  const testServer = async (server: NutServerDto): Promise<void> => {
    clear(result, h('p', { class: 'muted' }, `Testing ${server.name}…`));
    try {
      showTest(server, await api<NutConnectionTestDto>('POST', `/nut-servers/${server.id}/test`));
    } catch (error) {
      clear(result, notice((error as Error).message));
    }
  };

  const presetPicker = (form: () => EntityForm<NutServerDto>): HTMLElement => {
    const note = h('p', { class: 'muted small', id: 'nut-preset-note' });
    let presets: NutServerPresetDto[] = [];
    const select = h(
      'select',
      { id: 'nut-preset', 'aria-describedby': 'nut-preset-note' },
      h('option', { value: '' }, 'None: fill in by hand'),
    );
    void api<NutServerPresetDto[]>('GET', '/nut-server-presets')
      .then((list) => {
        presets = list;
        select.append(...list.map((p) => h('option', { value: p.id }, p.label)));
      })
      .catch((e: Error) => say(e.message, 'error'));
    select.addEventListener('change', () => {
      const p = presets.find((x) => x.id === select.value);
      if (!p) return clear(note);
      form().set('port', p.port);
      form().set('username', p.username ?? '');
      form().set('password', p.knownPassword ?? '');
      clear(
        note,
        `UPS name: ${p.upsName ?? 'chosen on that server'}; user: ${p.username ?? 'to create there'}`,
        p.knownPassword === null ? '; password: the one set there. ' : ' (fixed by the vendor). ',
        h('strong', {}, 'Where to check: '),
        p.whereToCheck,
        ' Source: ',
        p.reference,
      );
    });
    return h(
      'div',
      { class: 'field' },
      h('label', { for: 'nut-preset' }, 'Start from a preset'),
      h('div', {}, select, note),
    );
  };

  const section = resourceSection<NutServerDto>({
    prefix: 'nut',
    title: 'NUT servers',
    noun: 'NUT server',
    path: '/nut-servers',
    createDto: 'CreateNutServerDto',
    say,
    changed,
    intro: h(
      'p',
      { class: 'muted' },
      'The upsd servers nutfleet watches. Passwords are write-only: stored sealed, never shown again. ' +
        'Test a server to see the UPSes it serves and add them in one click.',
    ),
    overrides: async () => ({
      tlsMode: {
        label: 'TLS',
        help: 'OFF: plain text; OPPORTUNISTIC: STARTTLS when offered; REQUIRED: refuse without it.',
      },
      tlsCaPem: { kind: 'textarea', label: 'TLS CA (PEM)' },
      tlsFingerprint: { label: 'TLS certificate pin (SHA-256)' },
      password: { label: 'Password (write-only)' },
    }),
    columns: [
      { label: 'Name', cell: (s) => h('strong', {}, s.name) },
      { label: 'Address', cell: (s) => `${s.host}:${s.port}` },
      { label: 'TLS', cell: (s) => s.tlsMode },
      { label: 'User', cell: (s) => s.username ?? '–' },
      { label: 'Password', cell: (s) => (s.hasPassword ? badge('stored', 'ok') : badge('none', 'muted')) },
      { label: 'Notes', cell: (s) => s.warnings.join(' ') },
    ],
    rowActions: (s) => [h('button', { type: 'button', class: 'secondary', onclick: () => void testServer(s) }, 'Test')],
    formHeader: presetPicker,
  });
  section.element.insertBefore(result, section.element.querySelector('table')?.nextSibling ?? null);
  return section;
}
