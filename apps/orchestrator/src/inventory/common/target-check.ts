import { type TargetNetworks, TargetNotAllowedError } from '@nutfleet/config';

import { ApiError, type FieldError } from '../../http/api-error';

/** Why `address` may not be used under ALLOWED_TARGET_NETWORKS, or null when it may. */
export async function targetRefusal(targets: TargetNetworks, address: string): Promise<string | null> {
  if (!targets.restricted) return null;
  try {
    await targets.resolveAllowed(address);
    return null;
  } catch (error) {
    if (error instanceof TargetNotAllowedError) return error.message;
    throw error;
  }
}

/** 422 naming the field when a server or host would be placed outside ALLOWED_TARGET_NETWORKS. */
export async function assertAllowedTarget(
  targets: TargetNetworks,
  field: string,
  address: string | undefined,
): Promise<void> {
  if (address === undefined) return;
  const reason = await targetRefusal(targets, address);
  if (reason !== null) throw ApiError.fields(422, [{ field, reason } satisfies FieldError]);
}
