// npm run token:create -- --name admin --role admin [--expires-in-days 90]
// Creates an API token directly in the database (the way to get the first admin token on a
// fresh install) and prints it once on stdout. Only its SHA-256 is stored.
import { userInfo } from 'node:os';

import { loadConfigOrExit } from '@nutfleet/config';
import { createPrismaClient } from '@nutfleet/db';

import { auditData } from '../audit/audit.service';
import { apiTokenView, issueApiToken } from '../auth/api-token.issuer';
import { isRole, ROLES } from '../auth/role';
import { CliUsageError, loadDotEnv, parseCliOptions } from './cli-args';

const USAGE = `usage: npm run token:create -- --name <name> --role <${ROLES.join('|')}> [--expires-in-days <n>]`;

async function main(): Promise<void> {
  const options = parseCliOptions(process.argv.slice(2), ['name', 'role', 'expires-in-days']);
  const name = options.get('name');
  const role = options.get('role');
  if (!name || !/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/.test(name))
    throw new CliUsageError('--name must be 1-100 letters, digits, ".", "_", "-" or ":"');
  if (!isRole(role)) throw new CliUsageError(`--role must be one of ${ROLES.join(', ')}`);
  const days = options.get('expires-in-days');
  let expiresAt: Date | undefined;
  if (days !== undefined) {
    if (!/^\d{1,5}$/.test(days) || Number(days) < 1)
      throw new CliUsageError('--expires-in-days must be a positive integer');
    expiresAt = new Date(Date.now() + Number(days) * 86_400_000);
  }

  loadDotEnv();
  const config = loadConfigOrExit('token:create');
  const prisma = createPrismaClient({ databaseUrl: config.databaseUrl, maxConnections: 1 });
  try {
    if (await prisma.apiToken.findUnique({ where: { name } })) {
      throw new CliUsageError(
        `a token named "${name}" already exists (revoke it with DELETE /tokens/:id or pick another name)`,
      );
    }
    const token = await prisma.$transaction(async (tx) => {
      const issued = await issueApiToken(tx, { name, role, ...(expiresAt ? { expiresAt } : {}) });
      await tx.auditEntry.create({
        data: auditData(
          { actor: `cli:${userInfo().username}`, requestId: null },
          {
            action: 'token.create',
            resourceType: 'apiToken',
            resourceId: issued.row.id,
            after: apiTokenView(issued.row),
          },
        ),
      });
      return issued.token;
    });
    process.stderr.write(`created ${role} token "${name}"; it is shown once, store it now:\n`);
    process.stdout.write(`${token}\n`);
  } finally {
    await prisma.$disconnect();
  }
}

main().catch((error: unknown) => {
  if (error instanceof CliUsageError) {
    process.stderr.write(`token:create: ${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
  process.stderr.write(`token:create: failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
