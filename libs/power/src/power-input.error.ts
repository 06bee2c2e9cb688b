/**
 * Thrown when the data handed to a power function cannot be reasoned about (a negative power
 * value, an unknown policy id, observations out of order...). Deciding on such data could shut
 * a fleet down for nothing, so we refuse loudly and name the field.
 */
export class PowerInputError extends Error {
  override readonly name = 'PowerInputError';

  constructor(
    /** Dotted path of the offending field, e.g. `hosts[3].minSupplies`. */
    readonly field: string,
    /** Why the value was refused, readable by an operator. */
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}
