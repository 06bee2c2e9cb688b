/**
 * CSV import of hosts: paste or pick a file, check it (dry run) or import it. The API imports all
 * rows or none; a refused import lists each bad row by line, host name, field and reason.
 */
import { ApiCallError, apiRaw } from '../api.js';
import { type ImportRejectedDto, type ImportReportDto } from '../api-types.generated.js';
import { clear, h, notice } from '../dom.js';

export const CSV_EXAMPLE =
  'name,address,sshPort,username,group,policy,tags,shutdownStage,restartWave,minSupplies,macAddresses,wolBroadcast,feeds\n' +
  'esx-lyon-01,10.1.0.11,22,root,lyon,,rack:3;prod,0,0,1,00:50:56:aa:bb:01,10.1.0.255,ups1@nut-lyon:1';

export function hostImportPanel(imported: () => void): HTMLElement {
  const text = h('textarea', { id: 'import-csv', rows: '6', placeholder: CSV_EXAMPLE, spellcheck: 'false' });
  const file = h('input', { type: 'file', id: 'import-file', accept: '.csv,text/csv' });
  const report = h('div', { id: 'import-report', 'aria-live': 'polite' });
  file.addEventListener('change', () => {
    const picked = file.files?.[0];
    if (picked) void picked.text().then((t) => (text.value = t));
  });

  const run = async (dryRun: boolean): Promise<void> => {
    clear(report, h('p', { class: 'muted' }, dryRun ? 'Checking…' : 'Importing…'));
    try {
      const r = await apiRaw<ImportReportDto>('POST', `/hosts/import?dryRun=${dryRun}`, 'text/csv', text.value);
      clear(
        report,
        notice(
          `${r.dryRun ? 'Check passed (nothing written): would create' : 'Imported: created'} ${r.created}, ` +
            `${r.dryRun ? 'update' : 'updated'} ${r.updated} of ${r.rows} host(s)` +
            (r.groupsCreated.length > 0 ? `; new groups: ${r.groupsCreated.join(', ')}` : '') +
            '.',
          'info',
        ),
      );
      if (!r.dryRun) imported();
    } catch (error) {
      const body = error instanceof ApiCallError ? (error.body as Partial<ImportRejectedDto> | undefined) : undefined;
      if (body?.errors === undefined) return clear(report, notice((error as Error).message));
      clear(
        report,
        notice(`${body.message ?? 'Refused'}. Fix these rows and import again:`),
        h(
          'table',
          { id: 'import-errors' },
          h(
            'thead',
            {},
            h('tr', {}, h('th', {}, 'Line'), h('th', {}, 'Host'), h('th', {}, 'Field'), h('th', {}, 'Problem')),
          ),
          h(
            'tbody',
            {},
            ...body.errors.map((e) =>
              h(
                'tr',
                {},
                h('td', {}, e.row),
                h('td', {}, e.host ?? '(no name)'),
                h('td', {}, e.field),
                h('td', {}, e.reason),
              ),
            ),
          ),
        ),
      );
    }
  };

  return h(
    'section',
    { class: 'panel', id: 'import-section', 'aria-labelledby': 'import-title' },
    h('h3', { id: 'import-title' }, 'Import hosts from CSV'),
    h(
      'p',
      { class: 'muted small' },
      'Header line required (any order; name and address required). Columns: name, address, sshPort, username, ' +
        'password, privateKey, hostKeyFingerprint, macAddresses, wolBroadcast, wolPort, group, policy, tags, ' +
        'shutdownStage, restartWave, minSupplies, feeds. Lists (macAddresses, tags, feeds) are ";"-separated; a feed is ' +
        'ups@server[:powerValue]. Hosts are matched by name (existing ones updated); unknown groups are created. ' +
        'Nothing is written unless every row is right.',
    ),
    h('label', { for: 'import-csv' }, 'CSV'),
    text,
    h(
      'div',
      { class: 'actions' },
      file,
      h('button', { type: 'button', class: 'secondary', id: 'import-check', onclick: () => void run(true) }, 'Check'),
      h('button', { type: 'button', id: 'import-run', onclick: () => void run(false) }, 'Import'),
    ),
    report,
  );
}
