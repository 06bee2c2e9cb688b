import { type ValidationError } from 'class-validator';

import { ApiError, type FieldError } from './api-error';

/** Flattens class-validator's tree into `{ field: 'feeds[0].powerValue', reason }` entries. */
export function flattenValidationErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field =
      parent === ''
        ? error.property
        : /^\d+$/.test(error.property)
          ? `${parent}[${error.property}]`
          : `${parent}.${error.property}`;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      out.push({ field, reason: reasonFor(constraint, message, error.property) });
    }
    if (error.children && error.children.length > 0) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/** class-validator messages start with the property name; the field is reported apart. */
function reasonFor(constraint: string, message: string, property: string): string {
  if (constraint === 'whitelistValidation') return 'is not a known field';
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}

export function validationException(errors: ValidationError[]): ApiError {
  const fields = flattenValidationErrors(errors);
  return ApiError.fields(400, fields.length > 0 ? fields : [{ field: '(body)', reason: 'is invalid' }]);
}
