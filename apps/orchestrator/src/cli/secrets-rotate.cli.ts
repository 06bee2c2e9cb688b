// npm run secrets:rotate -- --old-key <hex|base64>   (or NUTFLEET_OLD_SECRET_KEY in the environment)
// Re-seals every stored credential under NUTFLEET_SECRET_KEY in one transaction. Run it after
// changing NUTFLEET_SECRET_KEY, with the previous key as the old key; running it again is harmless.
import { loadConfigOrExit, parseSecretKey } from '@nutfleet/config';
import { createPrismaClient } from '@nutfleet/db';

import { rotateSecrets, SecretRotationError } from '../secrets/secret-rotation';
import { CliUsageError, loadDotEnv, parseCliOptions } from './cli-args';

const USAGE =
  'usage: npm run secrets:rotate -- [--old-key <64 hex characters or base64>]  (or set NUTFLEET_OLD_SECRET_KEY)';

async function main(): Promise<void> {
  const options = parseCliOptions(process.argv.slice(2), ['old-key']);
  loadDotEnv();
  const config = loadConfigOrExit('secrets:rotate');
  let old = config.oldSecretKey;
  const given = options.get('old-key');
  if (given !== undefined) {
    const parsed = parseSecretKey(given);
    if (!parsed.ok) throw new CliUsageError(`--old-key ${parsed.reason}`);
    old = parsed.key;
  }
  const prisma = createPrismaClient({ databaseUrl: config.databaseUrl, maxConnections: 1 });
  try {
    const report = await rotateSecrets(prisma, config.secretKey, old);
    const moved = Object.entries(report.resealed);
    const total = moved.reduce((sum, [, n]) => sum + n, 0);
    process.stdout.write(
      `re-sealed ${total} secret(s) under the current key${moved.length ? ` (${moved.map(([k, n]) => `${k}: ${n}`).join(', ')})` : ''}; ` +
        `${report.alreadyCurrent} already under it\n`,
    );
  } finally {
    await prisma.$disconnect();
  }
}

main().catch((error: unknown) => {
  if (error instanceof CliUsageError) {
    process.stderr.write(`secrets:rotate: ${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (error instanceof SecretRotationError) {
    process.stderr.write(`secrets:rotate: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`secrets:rotate: failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
