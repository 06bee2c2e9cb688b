/**
 * The API's own OpenAPI document (served at /api/docs-json), read once: the set-up forms are
 * generated from its request DTOs, so each field carries the range, default and explanation the
 * API validates with, and a field the API gains shows up here without a second list to keep.
 */
import { api } from '../api.js';

export interface SchemaProperty {
  type?: string;
  enum?: string[];
  default?: unknown;
  description?: string;
  nullable?: boolean;
  writeOnly?: boolean;
  readOnly?: boolean;
  minimum?: number;
  maximum?: number;
  format?: string;
  example?: unknown;
  items?: { type?: string; $ref?: string };
}

export interface ObjectSchema {
  properties: Record<string, SchemaProperty>;
  required?: string[];
}

interface OpenApiDocument {
  components: { schemas: Record<string, ObjectSchema> };
}

let document: Promise<OpenApiDocument> | undefined;

export async function requestSchema(name: string): Promise<ObjectSchema> {
  document ??= api<OpenApiDocument>('GET', '/api/docs-json');
  const schema = (await document).components.schemas[name];
  if (schema === undefined) throw new Error(`The API document has no ${name}`);
  return schema;
}
