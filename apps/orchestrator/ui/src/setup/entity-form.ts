/**
 * A form generated from a field list (itself read from the API's request DTO): one labelled
 * control per field with its explanation inline. On create it sends what was filled; on edit
 * only what changed, so a write-only secret left empty keeps the stored one.
 */
import { clear, h } from '../dom.js';
import { type ObjectSchema, type SchemaProperty } from './openapi-schema.js';

export type FieldKind = 'text' | 'int' | 'number' | 'bool' | 'enum' | 'secret' | 'list' | 'choice' | 'textarea';

export interface Choice {
  value: string;
  label: string;
}

export interface FieldSpec {
  name: string;
  label: string;
  kind: FieldKind;
  help?: string;
  required?: boolean;
  nullable?: boolean;
  min?: number;
  max?: number;
  default?: unknown;
  placeholder?: string;
  /** enum values. */
  choices?: Choice[];
  /** The rows a reference (choice) may point at, read again on refresh(). */
  choicesFrom?: () => Choice[];
}

export type FieldOverride = Partial<FieldSpec> | 'skip';

/** "shutdownStage" → "Shutdown stage". */
export function humanLabel(name: string): string {
  const words = name
    .replace(/Id$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function kindOf(p: SchemaProperty): FieldKind {
  if (p.enum) return 'enum';
  if (p.type === 'boolean') return 'bool';
  if (p.type === 'integer') return 'int';
  if (p.type === 'number') return 'number'; // integers too (IntRange says number): the API checks
  if (p.type === 'array') return 'list';
  if (p.writeOnly) return 'secret';
  return 'text';
}

/** The fields of a request DTO, in its order, with the overrides applied ('skip' leaves one out). */
export function fieldsFromSchema(schema: ObjectSchema, overrides: Record<string, FieldOverride> = {}): FieldSpec[] {
  const required = new Set(schema.required ?? []);
  const fields: FieldSpec[] = [];
  for (const [name, p] of Object.entries(schema.properties)) {
    const override = overrides[name];
    if (override === 'skip' || p.readOnly) continue;
    if (p.type === 'array' && p.items?.$ref !== undefined && override === undefined) continue; // nested: own UI
    const example = typeof p.example === 'string' || typeof p.example === 'number' ? String(p.example) : undefined;
    fields.push({
      name,
      label: humanLabel(name),
      kind: kindOf(p),
      required: required.has(name),
      nullable: p.nullable === true,
      ...(p.description === undefined ? {} : { help: p.description }),
      ...(p.minimum === undefined ? {} : { min: p.minimum }),
      ...(p.maximum === undefined ? {} : { max: p.maximum }),
      ...(p.default === undefined ? {} : { default: p.default }),
      ...(example === undefined ? {} : { placeholder: example }),
      ...(p.enum ? { choices: p.enum.map((v) => ({ value: v, label: v })) } : {}),
      ...override,
    });
  }
  return fields;
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

function fillChoices(select: HTMLSelectElement, f: FieldSpec): void {
  const keep = select.value;
  const empty =
    f.required === true && f.kind === 'choice' ? [] : [h('option', { value: '' }, f.nullable ? '(none)' : '(default)')];
  const choices = f.choicesFrom?.() ?? f.choices ?? [];
  clear(select, ...empty, ...choices.map((c) => h('option', { value: c.value }, c.label)));
  if (keep !== '' && choices.some((c) => c.value === keep)) select.value = keep;
}

export interface EntityForm<R> {
  element: HTMLFormElement;
  /** Edit this row (null: back to adding). */
  edit(row: R | null): void;
  /** Set a field's value as if typed (presets). */
  set(name: string, value: unknown): void;
  editing(): R | null;
  /** Re-read the choices of reference fields, keeping what is selected. */
  refresh(): void;
}

function display(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

export function entityForm<R extends { id: string }>(options: {
  /** Element ids start with it (the browser tests find fields by `${prefix}-${field}`). */
  prefix: string;
  noun: string;
  fields: FieldSpec[];
  submit(body: Record<string, unknown>, row: R | null): Promise<void>;
  failed(message: string): void;
  /** Shown above the fields (e.g. a preset picker). */
  header?: HTMLElement;
  /** For a form that only creates (e.g. "Start rollout"): its title and button. */
  createLabels?: { title: string; submit: string };
}): EntityForm<R> {
  const { prefix, noun, fields } = options;
  let row: R | null = null;
  const controls = new Map<string, Control>();
  const addTitle = options.createLabels?.title ?? `Add a ${noun}`;
  const addSubmit = options.createLabels?.submit ?? `Add ${noun}`;
  const title = h('h3', { id: `${prefix}-form-title` }, addTitle);
  const submit = h('button', { type: 'submit', id: `${prefix}-save` }, addSubmit);
  const cancel = h('button', { type: 'button', class: 'secondary', id: `${prefix}-cancel`, hidden: true }, 'Cancel');

  const rows = fields.map((f) => {
    const id = `${prefix}-${f.name}`;
    let control: Control;
    if (f.kind === 'bool') control = h('input', { id, type: 'checkbox' });
    else if (f.kind === 'enum' || f.kind === 'choice') {
      control = h('select', { id });
      fillChoices(control, f);
    } else if (f.kind === 'textarea') control = h('textarea', { id, rows: '3' });
    else {
      control = h('input', {
        id,
        type: f.kind === 'secret' ? 'password' : f.kind === 'int' || f.kind === 'number' ? 'number' : 'text',
        autocomplete: f.kind === 'secret' ? 'new-password' : 'off',
        ...(f.min === undefined ? {} : { min: String(f.min) }),
        ...(f.max === undefined ? {} : { max: String(f.max) }),
        ...(f.kind === 'number' ? { step: 'any' } : {}),
      });
    }
    if (f.required === true) control.setAttribute('required', '');
    controls.set(f.name, control);
    const defaults =
      f.default === undefined || f.kind === 'bool'
        ? ''
        : ` Default: ${f.default === null ? 'off (empty)' : display(f.default)}.`;
    const hint = `${f.help ?? ''}${f.kind === 'list' ? ' Comma-separated.' : ''}${defaults}`.trim();
    return h(
      'div',
      { class: 'field' },
      h('label', { for: id }, f.label, f.required === true ? ' *' : ''),
      h('div', {}, control, hint === '' ? null : h('div', { class: 'muted small', id: `${id}-hint` }, hint)),
    );
  });

  const fill = (r: R | null): void => {
    for (const f of fields) {
      const control = controls.get(f.name);
      if (!control) continue;
      const value =
        r === null
          ? f.kind === 'bool'
            ? f.default
            : f.default === null
              ? ''
              : f.default
          : (r as Record<string, unknown>)[f.name];
      if (control instanceof HTMLInputElement && control.type === 'checkbox') control.checked = value === true;
      else if (f.kind === 'secret') {
        control.value = '';
        const stored =
          r !== null && (r as Record<string, unknown>)[`has${f.name[0]?.toUpperCase()}${f.name.slice(1)}`] === true;
        control.setAttribute('placeholder', stored ? 'stored (never shown): leave empty to keep' : '');
      } else control.value = r === null && f.kind !== 'enum' && f.kind !== 'choice' ? '' : display(value);
      if (r === null && f.placeholder === undefined && f.default !== undefined && f.default !== null)
        control.setAttribute('placeholder', display(f.default));
      else if (f.placeholder !== undefined && f.kind !== 'secret') control.setAttribute('placeholder', f.placeholder);
    }
  };

  const valueOf = (f: FieldSpec): unknown => {
    const control = controls.get(f.name);
    if (!control) return undefined;
    if (control instanceof HTMLInputElement && control.type === 'checkbox') return control.checked;
    const text = control.value.trim();
    if (text === '') return f.nullable ? null : undefined;
    if (f.kind === 'int' || f.kind === 'number') return Number(text);
    if (f.kind === 'list')
      return text
        .split(/[,;\s]+/)
        .map((s) => s.trim())
        .filter((s) => s !== '');
    return text;
  };

  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

  const body = (): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      const value = valueOf(f);
      if (row === null) {
        if (value === undefined || value === null) continue;
        if (f.kind === 'bool' && value === f.default) continue;
        if (f.kind === 'list' && Array.isArray(value) && value.length === 0) continue;
        out[f.name] = value;
      } else {
        if (f.kind === 'secret') {
          if (typeof value === 'string') out[f.name] = value; // empty keeps the stored one
          continue;
        }
        const before = (row as Record<string, unknown>)[f.name];
        const after = f.kind === 'list' && value === undefined ? [] : value;
        if (after === undefined || same(before, after)) continue;
        out[f.name] = after;
      }
    }
    return out;
  };

  const form = h(
    'form',
    { class: 'panel grid2', id: `${prefix}-form`, 'aria-labelledby': `${prefix}-form-title` },
    h('div', { class: 'wide' }, title),
    options.header === undefined ? null : h('div', { class: 'wide' }, options.header),
    ...rows,
    h('div', { class: 'wide actions' }, submit, cancel),
  );
  const edit = (r: R | null): void => {
    row = r;
    clear(
      title,
      r === null ? `Add a ${noun}` : `Edit ${noun} ${(r as unknown as { name?: string }).name ?? ''}`.trim(),
    );
    submit.textContent = r === null ? `Add ${noun}` : 'Save';
    cancel.hidden = r === null;
    fill(r);
  };
  cancel.addEventListener('click', () => edit(null));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit.disabled = true;
    void options
      .submit(body(), row)
      .then(() => edit(null))
      .catch((error: Error) => options.failed(error.message))
      .finally(() => (submit.disabled = false));
  });
  edit(null);
  return {
    element: form,
    edit,
    editing: () => row,
    refresh() {
      for (const f of fields) {
        const control = controls.get(f.name);
        if (f.kind === 'choice' && control instanceof HTMLSelectElement) fillChoices(control, f);
      }
    },
    set(name, value) {
      const control = controls.get(name);
      if (!control) return;
      if (control instanceof HTMLInputElement && control.type === 'checkbox') control.checked = value === true;
      else control.value = display(value);
    },
  };
}
