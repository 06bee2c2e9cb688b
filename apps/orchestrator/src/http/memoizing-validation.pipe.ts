import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';

/** Distinct query strings remembered per DTO class; past it the memory for that class restarts. */
const MAX_PER_CLASS = 1000;

type Plain = Record<string, unknown>;

/**
 * The global ValidationPipe, remembering the outcome for whole query-string DTOs (`@Query() q:
 * SomeQueryDto`): validating and transforming the same query string again gives the same result
 * (the DTO rules are pure functions of the strings), so a repeated query (dashboards polling,
 * clients paging) skips class-transformer and class-validator, measurable at thousands of req/s.
 *
 * Only successes are remembered, and only results whose fields are all primitives; each caller
 * gets its own copy (same class, same fields). Failures are validated again every time, so they
 * are reported exactly as by ValidationPipe. Bodies and path parameters are never remembered.
 */
export class MemoizingValidationPipe extends ValidationPipe {
  private readonly memory = new Map<unknown, Map<string, Plain>>();

  public override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const key = metadata.type === 'query' && metadata.data === undefined ? this.keyOf(value, metadata) : undefined;
    if (key === undefined) return super.transform(value, metadata);
    const known = this.memory.get(metadata.metatype)?.get(key);
    if (known) return copy(known);
    const result: unknown = await super.transform(value, metadata);
    if (isFlat(result)) {
      let forClass = this.memory.get(metadata.metatype);
      if (!forClass || forClass.size >= MAX_PER_CLASS) {
        forClass = new Map();
        this.memory.set(metadata.metatype, forClass);
      }
      forClass.set(key, copy(result));
    }
    return result;
  }

  /** A key for a query object of plain strings, for a DTO class that is validated; else none. */
  private keyOf(value: unknown, metadata: ArgumentMetadata): string | undefined {
    if (!this.toValidate(metadata) || typeof value !== 'object' || value === null || Array.isArray(value)) return;
    const entries: [string, string][] = [];
    for (const [name, v] of Object.entries(value)) {
      if (typeof v !== 'string') return;
      entries.push([name, v]);
    }
    return JSON.stringify(entries);
  }
}

function isFlat(value: unknown): value is Plain {
  if (typeof value !== 'object' || value === null) return false;
  for (const v of Object.values(value)) if (typeof v === 'object' && v !== null) return false;
  return true;
}

function copy(value: Plain): Plain {
  return Object.assign(Object.create(Object.getPrototypeOf(value) as object | null) as Plain, value);
}
