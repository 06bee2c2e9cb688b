/**
 * Reading a JSON column back into its contract. Plan and step details are written by one process
 * and read by another (often another version after an upgrade): a detail that does not have the
 * shape its reader expects is refused with the field named, never cast and used half-formed.
 */
export class PlanDetailError extends Error {
  public constructor(
    public readonly what: string,
    public readonly field: string,
    reason: string,
  ) {
    super(`${what}: ${field} ${reason} (written by another version of nutfleet?)`);
    this.name = 'PlanDetailError';
  }
}

export type JsonObject = Readonly<Record<string, unknown>>;

export function asObject(value: unknown, what: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new PlanDetailError(what, 'detail', 'is not an object');
  return value as JsonObject;
}

export function requireString(o: JsonObject, field: string, what: string): string {
  const value = o[field];
  if (typeof value !== 'string') throw new PlanDetailError(what, field, 'is not a string');
  return value;
}

export function requireNumber(o: JsonObject, field: string, what: string): number {
  const value = o[field];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new PlanDetailError(what, field, 'is not a number');
  return value;
}

export function requireArray(o: JsonObject, field: string, what: string): readonly unknown[] {
  const value = o[field];
  if (!Array.isArray(value)) throw new PlanDetailError(what, field, 'is not a list');
  return value;
}

export function optionalString(o: JsonObject, field: string, what: string): string | undefined {
  const value = o[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new PlanDetailError(what, field, 'is not a string');
  return value;
}

export function optionalNumber(o: JsonObject, field: string, what: string): number | undefined {
  const value = o[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new PlanDetailError(what, field, 'is not a number');
  return value;
}

export function stringList(o: JsonObject, field: string, what: string): string[] {
  return requireArray(o, field, what).map((item, index) => {
    if (typeof item !== 'string') throw new PlanDetailError(what, `${field}[${index}]`, 'is not a string');
    return item;
  });
}
