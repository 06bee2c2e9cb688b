import { type ApiToken, type Prisma } from '@nutfleet/db';

import { generateApiToken, hashApiToken, recognitionPrefix } from './api-token.codec';
import { type Role, roleFromDb, roleToDb } from './role';

export interface IssueTokenInput {
  name: string;
  role: Role;
  expiresAt?: Date;
}

/** What the API and the CLI say about a token: never its hash, never the token itself. */
export interface ApiTokenView {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

export function apiTokenView(row: ApiToken): ApiTokenView {
  return {
    id: row.id,
    name: row.name,
    role: roleFromDb(row.role),
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/**
 * Creates a token inside the caller's transaction. The clear token is returned once and only its
 * SHA-256 is stored: a database dump gives no usable token.
 */
export async function issueApiToken(
  tx: Prisma.TransactionClient,
  input: IssueTokenInput,
): Promise<{ row: ApiToken; token: string }> {
  const token = generateApiToken();
  const row = await tx.apiToken.create({
    data: {
      name: input.name,
      role: roleToDb(input.role),
      tokenHash: hashApiToken(token),
      prefix: recognitionPrefix(token),
      expiresAt: input.expiresAt ?? null,
    },
  });
  return { row, token };
}
