import { type Policy } from '@nutfleet/db';
import { PowerInputError } from '@nutfleet/power';

import { type FieldError } from '../../http/api-error';
import { toShutdownPolicy } from '../../plans/host-inventory.mapper';
import { apiFieldOfEnginePath } from './policy-settings';

/**
 * What the decision engine says about a row, as API field errors: the row goes through the same
 * mapping and validation (`toShutdownPolicy` → `resolveShutdownPolicy`) the planner applies at
 * every evaluation, so a policy the engine would refuse — and with it every host following it —
 * is refused when it is written instead. Returns no error when the engine accepts the row.
 */
export function engineFieldErrors(row: Policy): FieldError[] {
  try {
    toShutdownPolicy(row);
    return [];
  } catch (error) {
    if (!(error instanceof PowerInputError)) throw error;
    return [{ field: apiFieldOf(error.field), reason: error.reason }];
  }
}

/** `policies[<id>].flap.windowSeconds` → `flapWindowSeconds`; an unknown path is reported as it is. */
function apiFieldOf(engineField: string): string {
  const path = engineField.replace(/^policies\[[^\]]*\]\./, '');
  return apiFieldOfEnginePath(path) ?? path;
}
