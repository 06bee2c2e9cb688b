import { Prisma } from '@nutfleet/db';

import { ApiError } from './api-error';

interface AdapterConstraint {
  fields?: string[];
  index?: string;
}

function constraintFields(error: Prisma.PrismaClientKnownRequestError): string {
  const meta = (error.meta ?? {}) as {
    target?: string[] | string;
    field_name?: string;
    driverAdapterError?: { cause?: { constraint?: AdapterConstraint } };
  };
  const constraint = meta.driverAdapterError?.cause?.constraint;
  const fields = constraint?.fields ?? (Array.isArray(meta.target) ? meta.target : undefined);
  if (fields && fields.length > 0) return fields.map((f) => f.replace(/^"|"$/g, '')).join('+');
  return (
    (typeof meta.target === 'string' ? meta.target : undefined) ?? constraint?.index ?? meta.field_name ?? 'a field'
  );
}

/**
 * A safety net for database errors a service did not anticipate: a client's mistake that reached
 * the database (a duplicate, a vanished row) still gets a 4xx naming the field, never a 500.
 */
export function apiErrorFromPrisma(error: unknown): ApiError | undefined {
  // A value the route did not validate reached a query (e.g. an unknown enum in a filter): the
  // client's mistake, answered without the query's text; the filter logs the details.
  if (error instanceof Prisma.PrismaClientValidationError)
    return ApiError.badRequest('a parameter or field has a value of the wrong type or outside its allowed set');
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return undefined;
  switch (error.code) {
    case 'P2002': {
      const field = constraintFields(error);
      return ApiError.conflict(field, 'is already used by another record');
    }
    case 'P2003':
      return ApiError.unknownReference(constraintFields(error), 'refers to a record that does not exist');
    case 'P2025':
      return new ApiError(404, 'the record does not exist (it may have just been deleted)');
    case 'P2000':
      return ApiError.badRequest(`${constraintFields(error)}: is too long`);
    default:
      return undefined;
  }
}
