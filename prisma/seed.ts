import { type AppConfig, loadConfigOrExit } from '@nutfleet/config';
import { createPrismaClient, type PrismaClient, sealSecret } from '@nutfleet/db';

import {
  DEFAULT_POLICY_ID,
  DEMO_NUT_PORT,
  DEMO_NUT_SERVER_ID,
  DEMO_ROOT_PASSWORD,
  DEMO_TAG,
  DEMO_UPS,
  demoHosts,
} from './demo-fleet';

/**
 * The policy every host without one of its own (or of its group) follows. The migrations make
 * it; this only restores it if the database lost it (it cannot be deleted through the API).
 */
async function seedDefaultPolicy(prisma: PrismaClient): Promise<void> {
  if ((await prisma.policy.count({ where: { isDefault: true } })) > 0) return;
  await prisma.policy.upsert({
    where: { name: 'default' },
    update: { isDefault: true },
    create: {
      id: DEFAULT_POLICY_ID,
      name: 'default',
      isDefault: true,
      description: 'Shut down on low battery or forced shutdown, or after 5 minutes on battery.',
      onBatterySeconds: 300,
    },
  });
}

export async function seedDemoFleet(prisma: PrismaClient, config: AppConfig): Promise<void> {
  await prisma.$transaction(async (tx) => {
    // The demo's passwords are public and fixed: re-sealing them at every start keeps the demo
    // working when the database outlived an earlier .env (another NUTFLEET_SECRET_KEY).
    const nutPasswordEnc = sealSecret(
      'demo-nut-password',
      config.secretKey,
      `nutServer:${DEMO_NUT_SERVER_ID}:password`,
    );
    await tx.nutServer.upsert({
      where: { id: DEMO_NUT_SERVER_ID },
      update: { passwordEnc: nutPasswordEnc },
      create: {
        id: DEMO_NUT_SERVER_ID,
        name: 'demo-nut',
        host: '127.0.0.1',
        port: DEMO_NUT_PORT,
        username: 'monuser',
        passwordEnc: nutPasswordEnc,
      },
    });
    for (const ups of DEMO_UPS) {
      await tx.ups.upsert({
        where: { id: ups.id },
        update: {},
        create: { id: ups.id, nutServerId: DEMO_NUT_SERVER_ID, name: ups.name, description: ups.description },
      });
    }
    // Configurable so two installations (or test runs) on one machine each get their own ports.
    for (const host of demoHosts(config.demoSshBasePort)) {
      const passwordEnc = sealSecret(DEMO_ROOT_PASSWORD, config.secretKey, `host:${host.id}:password`);
      await tx.host.upsert({
        where: { id: host.id },
        // The ports follow the setting: a changed NUTFLEET_DEMO_SSH_BASE_PORT applies at the next start.
        update: { sshPort: host.sshPort, passwordEnc },
        create: {
          id: host.id,
          name: host.name,
          address: '127.0.0.1',
          sshPort: host.sshPort,
          passwordEnc,
          macAddresses: [host.mac],
          wolBroadcast: '127.255.255.255',
          tags: [DEMO_TAG],
          shutdownStage: host.shutdownStage,
          restartWave: host.restartWave,
          minSupplies: host.minSupplies,
          policyId: DEFAULT_POLICY_ID,
        },
      });
      for (const index of host.upsIndexes) {
        const ups = DEMO_UPS[index];
        if (!ups) continue;
        await tx.powerFeed.upsert({
          where: { hostId_upsId: { hostId: host.id, upsId: ups.id } },
          update: {},
          create: { hostId: host.id, upsId: ups.id, powerValue: 1 },
        });
      }
    }
  });
}

/** Seeds what every installation needs, plus the demo fleet when nothing real is configured. */
export async function seed(prisma: PrismaClient, config: AppConfig): Promise<{ demo: boolean }> {
  await seedDefaultPolicy(prisma);
  // Counted as all minus demo: `NOT has` would skip hosts whose tag list is NULL.
  const realFleet = (await prisma.host.count()) - (await prisma.host.count({ where: { tags: { has: DEMO_TAG } } }));
  const realServers = await prisma.nutServer.count({ where: { NOT: { id: DEMO_NUT_SERVER_ID } } });
  const demo = config.demo === 'on' || (config.demo === 'auto' && realFleet === 0 && realServers === 0);
  if (demo) await seedDemoFleet(prisma, config);
  return { demo };
}

if (require.main === module) {
  const config = loadConfigOrExit('seed');
  const prisma = createPrismaClient({ databaseUrl: config.databaseUrl });
  seed(prisma, config)
    .then(({ demo }) => {
      process.stdout.write(
        demo
          ? 'seed: default policy and demo fleet in place\n'
          : 'seed: default policy in place (real fleet configured: no demo data)\n',
      );
    })
    .catch((error: unknown) => {
      process.stderr.write(`seed failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    })
    .finally(() => void prisma.$disconnect());
}
