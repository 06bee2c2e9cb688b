import { loadConfigOrExit } from '@nutfleet/config';
import { createPrismaClient } from '@nutfleet/db';

import { startDemo } from './demo-runner';

/**
 * `node dist/libs/testing/src/demo/demo.cli.js`: started by `npm start` before the apps. Runs
 * the simulated demo fleet and NUT server until SIGINT/SIGTERM; exits at once (0) when the demo
 * inventory is not active. Prints "demo ready" once everything listens.
 */
const say = (line: string): void => void process.stdout.write(`[demo] ${line}\n`);

async function main(): Promise<void> {
  const config = loadConfigOrExit('demo');
  const prisma = createPrismaClient({ databaseUrl: config.databaseUrl });
  const demo = await startDemo(prisma, config, say).finally(() => void prisma.$disconnect());
  if (!demo) {
    say('no demo inventory (a real fleet is configured or NUTFLEET_DEMO=off): nothing to simulate');
    return;
  }
  say(
    `demo ready: ${demo.hosts} simulated ESXi hosts on ${demo.sshPorts}` +
      (demo.nut ? `, NUT server ${demo.nut.host}:${demo.nut.port} (${demo.nut.upses.join(', ')})` : ', no NUT server'),
  );
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void demo.stop().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`[demo] failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
