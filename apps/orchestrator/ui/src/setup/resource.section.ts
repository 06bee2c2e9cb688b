/**
 * One inventory resource on a set-up page: its table (with edit and delete per row) and the
 * add/edit form generated from the API's request DTOs.
 */
import { api, session } from '../api.js';
import { type Child, clear, h } from '../dom.js';
import { type EntityForm, entityForm, type FieldOverride, fieldsFromSchema } from './entity-form.js';
import { listAll } from './list-all.js';
import { requestSchema } from './openapi-schema.js';

export interface Column<R> {
  label: string;
  cell(row: R): Child;
}

export interface ResourceOptions<R> {
  prefix: string;
  title: string;
  noun: string;
  /** e.g. '/nut-servers' (list, POST; PATCH and DELETE on `${path}/${id}`). */
  path: string;
  createDto: string;
  /** Fields the edit form leaves out (the API does not change them, e.g. a UPS's server). */
  fixedOnEdit?: string[];
  overrides?: () => Promise<Record<string, FieldOverride>>;
  columns: Column<R>[];
  intro?: Child;
  /** More buttons per row (test connection, trust…). */
  rowActions?(row: R): Child[];
  /** Above the form's fields (e.g. presets). */
  formHeader?(form: () => EntityForm<R>): HTMLElement;
  say(text: string, tone?: 'info' | 'error'): void;
  /** After any change (other sections may list these rows). */
  changed?(): void;
}

export interface ResourceSection<R> {
  element: HTMLElement;
  load(): Promise<R[]>;
  rows(): R[];
  /** Re-read the form's choices (they list rows of other sections, which changed). */
  refreshForm(): void;
}

export function resourceSection<R extends { id: string; name?: string }>(o: ResourceOptions<R>): ResourceSection<R> {
  let rows: R[] = [];
  let form: EntityForm<R> | undefined;
  const tbody = h('tbody', {});
  const formSlot = h('div', {});
  const canWrite = session.can('operator');
  const table = h(
    'table',
    { id: `${o.prefix}-table` },
    h('thead', {}, h('tr', {}, ...o.columns.map((c) => h('th', { scope: 'col' }, c.label)), h('th', {}, ''))),
    tbody,
  );
  const element = h(
    'section',
    { class: 'panel', id: `${o.prefix}-section`, 'aria-labelledby': `${o.prefix}-title` },
    h('h3', { id: `${o.prefix}-title` }, o.title),
    o.intro ?? null,
    table,
    formSlot,
  );

  const render = (): void => {
    clear(
      tbody,
      ...(rows.length === 0
        ? [h('tr', {}, h('td', { colspan: String(o.columns.length + 1), class: 'muted' }, `No ${o.noun} yet.`))]
        : rows.map((r) =>
            h(
              'tr',
              { 'data-id': r.id, 'data-name': r.name ?? '' },
              ...o.columns.map((c) => h('td', {}, c.cell(r))),
              h(
                'td',
                { class: 'row-actions' },
                ...(o.rowActions?.(r) ?? []),
                canWrite
                  ? h('button', { type: 'button', class: 'secondary', onclick: () => form?.edit(r) }, 'Edit')
                  : null,
                canWrite
                  ? h('button', { type: 'button', class: 'danger', onclick: () => void remove(r) }, 'Delete')
                  : null,
              ),
            ),
          )),
    );
  };

  const load = async (): Promise<R[]> => {
    rows = await listAll<R>(o.path);
    render();
    return rows;
  };

  const remove = async (r: R): Promise<void> => {
    if (!window.confirm(`Delete ${o.noun} ${r.name ?? r.id}?`)) return;
    try {
      await api('DELETE', `${o.path}/${r.id}`);
      o.say(`Deleted ${o.noun} ${r.name ?? ''}.`);
      await load();
      o.changed?.();
    } catch (error) {
      o.say((error as Error).message, 'error');
    }
  };

  const buildForm = async (): Promise<void> => {
    const [schema, overrides] = await Promise.all([requestSchema(o.createDto), o.overrides?.() ?? {}]);
    const f: EntityForm<R> = entityForm<R>({
      prefix: o.prefix,
      noun: o.noun,
      // Credentials are written by admins only (the API refuses them from others): not offered then.
      fields: fieldsFromSchema(schema, overrides).filter(
        (f) => session.can('admin') || schema.properties[f.name]?.writeOnly !== true,
      ),
      failed: (m) => o.say(m, 'error'),
      submit: async (body, row) => {
        if (row === null) {
          const created = await api<R, Record<string, unknown>>('POST', o.path, body);
          o.say(`Added ${o.noun} ${created.name ?? ''}.`);
        } else {
          for (const name of o.fixedOnEdit ?? []) delete body[name];
          await api<R, Record<string, unknown>>('PATCH', `${o.path}/${row.id}`, body);
          o.say(`Saved ${o.noun} ${row.name ?? ''}.`);
        }
        await load();
        o.changed?.();
      },
      ...(o.formHeader ? { header: o.formHeader((): EntityForm<R> => f) } : {}),
    });
    form = f;
    clear(formSlot, f.element);
  };

  if (canWrite) void buildForm().catch((e: Error) => o.say(e.message, 'error'));
  return {
    element,
    load,
    rows: () => rows,
    refreshForm: () => form?.refresh(),
  };
}
