/** Checks a set of values against what a VIB version declares, before anything is sent. */
import {
  isNutUserVarName,
  nutUserVarDefinitions,
  type NutUserVarName,
  type NutUserVars,
} from './nut-user-var.definitions';
import { checkStringValue } from './user-var-value.rules';

export type UserVarProblemCode =
  | 'unknown-option'
  | 'not-in-vib-version'
  | 'wrong-type'
  | 'out-of-range'
  | 'unsafe-value'
  | 'credential-conflict'
  | 'missing-credentials'
  | 'no-feeds'
  | 'not-expressible';

export interface UserVarProblem {
  /** The option (`NutPassword`) or input field (`feeds[1].nutServer`) concerned. */
  readonly field: string;
  readonly code: UserVarProblemCode;
  readonly message: string;
}

export class InvalidUserVarsError extends Error {
  constructor(
    readonly problems: readonly UserVarProblem[],
    context: string,
  ) {
    super(`${context}: ${problems.map((p) => p.message).join('; ')}`);
    this.name = 'InvalidUserVarsError';
  }
}

export function validateUserVars(vibVersion: string, values: Readonly<Record<string, unknown>>): UserVarProblem[] {
  const definitions = nutUserVarDefinitions(vibVersion);
  const problems: UserVarProblem[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (!isNutUserVarName(name)) {
      problems.push({ field: name, code: 'unknown-option', message: `${name} is not a NutClient option` });
      continue;
    }
    const def = definitions.find((d) => d.name === name);
    if (!def) {
      problems.push({
        field: name,
        code: 'not-in-vib-version',
        message: `${name} does not exist in NutClient ${vibVersion}; upgrade the VIB or leave it unset`,
      });
      continue;
    }
    if (def.type === 'string') {
      if (typeof value !== 'string') {
        problems.push({ field: name, code: 'wrong-type', message: `${name} must be a string` });
        continue;
      }
      const why = checkStringValue(def.name, value);
      if (why) problems.push({ field: name, code: 'unsafe-value', message: why });
    } else {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
        problems.push({ field: name, code: 'wrong-type', message: `${name} must be an integer, got ${String(value)}` });
        continue;
      }
      if (value < def.min || value > def.max)
        problems.push({
          field: name,
          code: 'out-of-range',
          message: `${name} must be between ${def.min} and ${def.max} in NutClient ${vibVersion}, got ${value}`,
        });
    }
  }
  return problems;
}

/** Throws `InvalidUserVarsError` listing every problem. */
export function assertValidUserVars(vibVersion: string, values: NutUserVars, context: string): void {
  const problems = validateUserVars(vibVersion, values);
  if (problems.length > 0) throw new InvalidUserVarsError(problems, context);
}

export type { NutUserVarName };
