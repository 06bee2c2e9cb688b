/**
 * Renders esxcli results in the shapes ESXi prints: the default text output (tables for
 * lists, indented "Key: value" blocks for structures, a bare word for scalars) and the
 * --formatter=xml|csv|keyvalue|json machine formats.
 */
export type EsxcliFieldType = 'string' | 'integer' | 'boolean' | 'string[]';

export interface EsxcliField {
  /** Display name as in text output, e.g. "Acceptance Level"; machine formats drop spaces. */
  name: string;
  type: EsxcliFieldType;
  value: string | number | boolean | string[];
  /** Shown in machine formats only (e.g. a VIB's ID, which text output prints as a heading). */
  machineOnly?: boolean;
  /** Text-output rendering when it differs from the value (vib get prints `True`/`False`). */
  display?: string;
}

export interface EsxcliStructure {
  typeName: string;
  fields: EsxcliField[];
  /** Line printed above the fields in text output (e.g. the VIB ID of `vib get`). */
  heading?: string;
}

export type EsxcliOutput =
  | { kind: 'none' }
  | { kind: 'string'; value: string }
  | { kind: 'structure'; value: EsxcliStructure }
  | { kind: 'list'; typeName: string; items: EsxcliStructure[]; table: boolean };

export type EsxcliFormatter = 'text' | 'xml' | 'csv' | 'keyvalue' | 'json';

export interface FormatParams {
  fields?: string[];
  showHeader: boolean;
}

export const str = (name: string, value: string): EsxcliField => ({ name, type: 'string', value });
export const int = (name: string, value: number): EsxcliField => ({ name, type: 'integer', value });
export const bool = (name: string, value: boolean): EsxcliField => ({ name, type: 'boolean', value });
export const strList = (name: string, value: string[]): EsxcliField => ({ name, type: 'string[]', value });

const machineName = (f: EsxcliField): string => f.name.replace(/ /g, '');

function textValue(f: EsxcliField): string {
  if (Array.isArray(f.value)) return f.value.join(', ');
  if (typeof f.value === 'boolean') return f.value ? 'true' : 'false';
  return String(f.value);
}

function displayValue(f: EsxcliField): string {
  return f.display ?? textValue(f);
}

function selectFields(s: EsxcliStructure, params: FormatParams): EsxcliStructure {
  if (!params.fields) return s;
  const wanted = params.fields.map((f) => f.replace(/ /g, '').toLowerCase());
  return { ...s, fields: s.fields.filter((f) => wanted.includes(machineName(f).toLowerCase())) };
}

function renderTable(items: EsxcliStructure[], showHeader: boolean): string {
  const first = items[0];
  if (!first) return '';
  const columns = first.fields.map((f, i) => {
    const values = items.map((it) => displayValue(it.fields[i] ?? f));
    return {
      header: f.name,
      values,
      right: f.type === 'integer',
      width: Math.max(f.name.length, ...values.map((v) => v.length)),
    };
  });
  const pad = (text: string, i: number, right: boolean): string => {
    const c = columns[i];
    if (!c || i === columns.length - 1) return text;
    return right ? text.padStart(c.width) : text.padEnd(c.width);
  };
  const row = (cells: string[], alignRight: boolean): string =>
    cells
      .map((cell, i) => pad(cell, i, alignRight && (columns[i]?.right ?? false)))
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  if (showHeader) {
    out.push(
      row(
        columns.map((c) => c.header),
        false,
      ),
    );
    out.push(columns.map((c) => '-'.repeat(c.width)).join('  '));
  }
  for (let r = 0; r < items.length; r++)
    out.push(
      row(
        columns.map((c) => c.values[r] ?? ''),
        true,
      ),
    );
  return `${out.join('\n')}\n`;
}

function renderStructureText(s: EsxcliStructure): string {
  const body = s.fields.filter((f) => !f.machineOnly).map((f) => `   ${f.name}: ${displayValue(f)}`.trimEnd());
  return (s.heading !== undefined ? [s.heading, ...body] : body).join('\n');
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function xmlField(f: EsxcliField, indent: string): string {
  const inner = `${indent}   `;
  let body: string;
  if (Array.isArray(f.value)) {
    body = `${inner}<list type="string">\n${f.value.map((v) => `${inner}   <string>${xmlEscape(v)}</string>`).join('\n')}${f.value.length ? '\n' : ''}${inner}</list>`;
  } else body = `${inner}<${f.type}>${xmlEscape(textValue(f))}</${f.type}>`;
  return `${indent}<field name="${machineName(f)}">\n${body}\n${indent}</field>`;
}

function xmlStructure(s: EsxcliStructure, indent: string): string {
  const fields = [...s.fields].sort((a, b) => machineName(a).localeCompare(machineName(b)));
  return `${indent}<structure typeName="${s.typeName}">\n${fields.map((f) => xmlField(f, `${indent}   `)).join('\n')}\n${indent}</structure>`;
}

function renderXml(out: EsxcliOutput): string {
  let root = '';
  if (out.kind === 'string') root = `   <string>${xmlEscape(out.value)}</string>\n`;
  else if (out.kind === 'structure') root = `${xmlStructure(out.value, '   ')}\n`;
  else if (out.kind === 'list')
    root = `   <list type="structure">\n${out.items.map((s) => xmlStructure(s, '      ')).join('\n')}${out.items.length ? '\n' : ''}   </list>\n`;
  return `<?xml version="1.0" encoding="utf-8"?>\n<output xmlns="http://www.vmware.com/Products/ESX/5.0/esxcli">\n<root>\n${root}</root>\n</output>\n`;
}

function csvCell(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function renderCsv(out: EsxcliOutput, params: FormatParams): string {
  if (out.kind === 'none') return '';
  if (out.kind === 'string') return `${csvCell(out.value)}\n`;
  const items = out.kind === 'structure' ? [out.value] : out.items;
  const first = items[0];
  if (!first) return '';
  const names = first.fields.map(machineName).sort();
  const rows = items.map((s) =>
    names
      .map((n) => {
        const f = s.fields.find((x) => machineName(x) === n);
        return `${csvCell(f ? textValue(f) : '')},`;
      })
      .join(''),
  );
  return `${[...(params.showHeader ? [names.map((n) => `${n},`).join('')] : []), ...rows].join('\n')}\n`;
}

function renderKeyValue(out: EsxcliOutput): string {
  if (out.kind === 'none') return '';
  if (out.kind === 'string') return `string=${out.value}\n`;
  const items = out.kind === 'structure' ? [out.value] : out.items;
  const block = (s: EsxcliStructure): string =>
    [...s.fields]
      .sort((a, b) => machineName(a).localeCompare(machineName(b)))
      .map(
        (f) =>
          `${s.typeName}.${machineName(f)}.${f.type}=${textValue(f).replace(/, /g, Array.isArray(f.value) ? ',' : ', ')}`,
      )
      .join('\n');
  return `${items.map(block).join('\n\n')}\n`;
}

function jsonOf(s: EsxcliStructure): Record<string, unknown> {
  return Object.fromEntries(s.fields.map((f) => [machineName(f), f.value]));
}

function renderJson(out: EsxcliOutput): string {
  if (out.kind === 'none') return '';
  if (out.kind === 'string') return `${JSON.stringify(out.value)}\n`;
  return `${JSON.stringify(out.kind === 'structure' ? jsonOf(out.value) : out.items.map(jsonOf))}\n`;
}

export function renderEsxcliOutput(
  out: EsxcliOutput,
  formatter: EsxcliFormatter,
  params: FormatParams = { showHeader: true },
): string {
  const selected: EsxcliOutput =
    out.kind === 'structure'
      ? { ...out, value: selectFields(out.value, params) }
      : out.kind === 'list'
        ? { ...out, items: out.items.map((s) => selectFields(s, params)) }
        : out;
  switch (formatter) {
    case 'xml':
      return renderXml(selected);
    case 'csv':
      return renderCsv(selected, params);
    case 'keyvalue':
      return renderKeyValue(selected);
    case 'json':
      return renderJson(selected);
    case 'text':
      if (selected.kind === 'none') return '';
      if (selected.kind === 'string') return `${selected.value}\n`;
      if (selected.kind === 'structure') return `${renderStructureText(selected.value)}\n`;
      if (selected.table) return renderTable(selected.items, params.showHeader);
      return selected.items.map((s) => `${renderStructureText(s)}\n`).join('\n');
  }
}
