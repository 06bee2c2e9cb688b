// TypeScript declarations for an OpenAPI 3.0 document's component schemas: one exported type per
// schema, named like the schema. Covers what @nestjs/swagger writes (objects, arrays, enums,
// nullable, $ref, oneOf/anyOf/allOf, additionalProperties); anything else becomes `unknown`
// rather than a guess.
import prettier from 'prettier';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const REF_PREFIX = '#/components/schemas/';

const propertyKey = (name) => (IDENTIFIER.test(name) ? name : JSON.stringify(name));

/** A JSDoc comment for a description (and example), or nothing. */
function doc(schema, indent) {
  const lines = [];
  if (typeof schema.description === 'string') lines.push(...schema.description.split('\n'));
  if (schema.example !== undefined) lines.push(`@example ${JSON.stringify(schema.example)}`);
  if (lines.length === 0) return '';
  const safe = lines.map((line) => line.replaceAll('*/', '*\\/'));
  return safe.length === 1
    ? `${indent}/** ${safe[0]} */\n`
    : `${indent}/**\n${safe.map((l) => `${indent} * ${l}`).join('\n')}\n${indent} */\n`;
}

// A type expression: its text, and the operator (`|` or `&`) at its top, if any, which decides
// where it needs parentheses: before a postfix `[]`, and inside the other operator.
const simple = (text) => ({ text, operator: undefined });
const grouped = (type, within) => (type.operator && type.operator !== within ? `(${type.text})` : type.text);
function joined(types, operator) {
  const unique = [...new Map(types.map((t) => [t.text, t])).values()];
  if (unique.some((t) => t.text === 'unknown')) return simple('unknown');
  if (unique.length === 1) return unique[0];
  return { text: unique.map((t) => grouped(t, operator)).join(` ${operator} `), operator };
}

/** The type of a schema, without its nullable part. */
function baseType(schema, indent) {
  if (schema.$ref !== undefined) {
    if (!schema.$ref.startsWith(REF_PREFIX)) throw new Error(`unsupported $ref ${schema.$ref}`);
    return simple(schema.$ref.slice(REF_PREFIX.length));
  }
  if (Array.isArray(schema.enum))
    return joined(
      schema.enum.map((value) => simple(JSON.stringify(value))),
      '|',
    );
  const members = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(members))
    return joined(
      members.map((member) => expression(member, indent)),
      '|',
    );
  if (Array.isArray(schema.allOf))
    return joined(
      schema.allOf.map((member) => expression(member, indent)),
      '&',
    );
  switch (schema.type) {
    case 'string':
      return simple('string');
    case 'number':
    case 'integer':
      return simple('number');
    case 'boolean':
      return simple('boolean');
    case 'array':
      return simple(`${grouped(expression(schema.items ?? {}, indent), '[]')}[]`);
    case 'object':
    case undefined:
      return simple(objectType(schema, indent));
    default:
      return simple('unknown');
  }
}

function objectType(schema, indent) {
  const properties = Object.entries(schema.properties ?? {});
  const extra = schema.additionalProperties;
  if (properties.length === 0) {
    if (extra === undefined || extra === true) return schema.type === 'object' ? 'Record<string, unknown>' : 'unknown';
    if (extra === false) return 'Record<string, never>';
    return `Record<string, ${typeOf(extra, indent)}>`;
  }
  const required = new Set(schema.required ?? []);
  const inner = `${indent}  `;
  const members = properties.map(
    ([name, property]) =>
      `${doc(property, inner)}${inner}${propertyKey(name)}${required.has(name) ? '' : '?'}: ${typeOf(property, inner)};`,
  );
  if (extra !== undefined && extra !== false)
    members.push(`${inner}[key: string]: ${extra === true ? 'unknown' : typeOf(extra, inner)};`);
  return `{\n${members.join('\n')}\n${indent}}`;
}

function expression(schema, indent) {
  const type = baseType(schema, indent);
  return schema.nullable === true ? joined([type, simple('null')], '|') : type;
}

/** The TypeScript type of a schema. */
export function typeOf(schema, indent = '') {
  return expression(schema, indent).text;
}

/** The declarations of every component schema, in the document's order, formatted by Prettier. */
export async function renderApiTypes(document, { source, generator, prettierConfigFile }) {
  const schemas = Object.entries(document.components?.schemas ?? {});
  const header = [
    `// Generated from ${source} by ${generator}: do not edit by hand.`,
    '// The dashboard talks to the API in these types; a change to the API shows up here, and where',
    "// the dashboard's code no longer fits, as a build error.",
  ].join('\n');
  const declarations = schemas.map(([name, schema]) => {
    if (!IDENTIFIER.test(name)) throw new Error(`schema name ${JSON.stringify(name)} is not a TypeScript identifier`);
    const type = typeOf(schema);
    const declaration = type.startsWith('{') ? `export interface ${name} ${type}` : `export type ${name} = ${type};`;
    return `${doc(schema, '')}${declaration}`;
  });
  const text = `${header}\n\n${declarations.join('\n\n')}\n`;
  const config = (await prettier.resolveConfig(prettierConfigFile)) ?? {};
  return prettier.format(text, { ...config, parser: 'typescript' });
}
