import { existsSync } from 'node:fs';

import { type AppConfig } from '@nutfleet/config';
import { openSecret, type Prisma, type PrismaClient } from '@nutfleet/db';

import { type EsxiFleet, startEsxiFleet } from '../esxi-sim';
import { NutTestbed } from '../nut-testbed';
import { startDemoControl } from './demo-control.server';
import { simulatedHostFacts } from './demo-host-facts';
import { removeDemoState, writeDemoState } from './demo-state';

const DEMO_TAG = 'demo';
/** Fixed, so the simulated hosts' keys (and so their pinned fingerprints) are the same every run. */
const DEMO_SEED = 'nutfleet-demo';
/** Real ms per ESXi second: autostart delays and guest shutdowns take a fraction of real time. */
const DEMO_MS_PER_SECOND = 20;
const UPSD = '/lib/nut/upsd';
const DUMMY_UPS = '/lib/nut/dummy-ups';

/** Short timings so a whole outage plays in a minute or two. */
const DEMO_POLICY = {
  name: 'demo',
  description: 'Demo timings: 20 s on battery, restart once power is stable for 10 s and charge is at least 50 %.',
  onBatterySeconds: 20,
  pointOfNoReturnSeconds: 5,
  vmGuestShutdownTimeoutSecs: 10,
  restartStableSeconds: 10,
  restartMinChargePercent: 50,
} satisfies Prisma.PolicyCreateInput;

export interface RunningDemo {
  readonly hosts: number;
  readonly sshPorts: string;
  readonly nut: { host: string; port: number; upses: string[] } | undefined;
  stop(): Promise<void>;
}

/**
 * The demo behind `npm start` when the demo inventory is active: the 12 simulated ESXi hosts of
 * the seed (its ports, MACs and root password; deterministic host keys, pinned in the Host rows
 * as TRUSTED since the simulator is ours; facts with their VMs), answering magic packets on the
 * rows' broadcast address, and the real upsd + dummy-ups serving the demo UPSes when nut-server
 * is installed (the NutServer row's port follows the test bed's). Returns undefined when there is
 * no demo inventory.
 */
export async function startDemo(
  prisma: PrismaClient,
  config: AppConfig,
  say: (line: string) => void,
): Promise<RunningDemo | undefined> {
  if (config.demo === 'off') return undefined;
  const rows = await prisma.host.findMany({
    where: { tags: { has: DEMO_TAG } },
    orderBy: { sshPort: 'asc' },
    include: { feeds: { include: { ups: { include: { nutServer: true } } } } },
  });
  if (rows.length === 0) return undefined;
  const basePort = rows[0]?.sshPort ?? 22001;
  rows.forEach((row, i) => {
    if (row.sshPort !== basePort + i)
      throw new Error(`demo host ${row.name} is on port ${row.sshPort}, expected ${basePort + i} (consecutive ports)`);
  });
  const keys = config.oldSecretKey ? [config.secretKey, config.oldSecretKey] : [config.secretKey];
  const profiles = rows.map((row) => ({
    hostname: row.name,
    username: row.username,
    password: row.passwordEnc ? openSecret(row.passwordEnc, keys, `host:${row.id}:password`) : 'demo-root-password',
    ...(row.macAddresses[0] ? { mac: row.macAddresses[0] } : {}),
    bootDelayMs: 1500,
  }));
  const broadcast = rows[0]?.wolBroadcast ?? '127.255.255.255';
  const fleet = await startFleet(profiles, basePort, rows[0]?.wolPort ?? 9, broadcast);
  await pinDemoHosts(prisma, rows, fleet);

  const server = rows.flatMap((r) => r.feeds.map((f) => f.ups.nutServer))[0];
  const upsNames = [...new Set(rows.flatMap((r) => r.feeds.map((f) => f.ups.name)))].sort();
  let bed: NutTestbed | undefined;
  if (server && existsSync(UPSD) && existsSync(DUMMY_UPS)) {
    bed = await NutTestbed.start({
      upses: upsNames.map((name) => ({
        name,
        variables: { 'battery.charge': '100', 'battery.runtime': '1800', 'ups.status': 'OL' },
      })),
      monitor: {
        username: server.username ?? 'monuser',
        password: server.passwordEnc
          ? openSecret(server.passwordEnc, keys, `nutServer:${server.id}:password`)
          : 'demo-nut-password',
      },
    });
    // The test bed binds a free port: the demo NutServer row follows it.
    await prisma.nutServer.update({ where: { id: server.id }, data: { host: bed.host, port: bed.port } });
  } else {
    say(
      `the NUT server part of the demo needs nut-server (${UPSD} and ${DUMMY_UPS}; Debian/Ubuntu: apt-get install nut-server): ` +
        'the simulated hosts run, but no UPS answers, so no outage can be played',
    );
  }
  const control = await startDemoControl(bed ? (ups, vars) => bed.setVariables(ups, vars) : undefined);
  writeDemoState(config.databaseUrl, { pid: process.pid, controlPort: control.port, nut: bed !== undefined });
  return {
    hosts: rows.length,
    sshPorts: `127.0.0.1:${basePort}-${basePort + rows.length - 1}`,
    nut: bed ? { host: bed.host, port: bed.port, upses: upsNames } : undefined,
    stop: async () => {
      removeDemoState(config.databaseUrl, process.pid);
      control.server.close();
      await Promise.all([fleet.stop(), bed?.stop()]);
    },
  };
}

/** The rows' WOL port when it can be bound (port 9 needs root), else a free one written back to the rows. */
async function startFleet(
  profiles: Array<{ hostname: string; username: string; password: string; mac?: string; bootDelayMs: number }>,
  basePort: number,
  wolPort: number,
  broadcast: string,
): Promise<EsxiFleet> {
  const options = {
    hosts: profiles,
    basePort,
    seed: DEMO_SEED,
    msPerSecond: DEMO_MS_PER_SECOND,
    wolBroadcastAddress: broadcast,
  };
  try {
    return await startEsxiFleet({ ...options, wolPort });
  } catch (error) {
    if (!(error instanceof Error && /EACCES|EADDRINUSE/.test(error.message))) throw error;
    return startEsxiFleet({ ...options, wolPort: 0 });
  }
}

async function pinDemoHosts(
  prisma: PrismaClient,
  rows: ReadonlyArray<{ id: string }>,
  fleet: EsxiFleet,
): Promise<void> {
  const policy = await prisma.policy.upsert({ where: { name: DEMO_POLICY.name }, update: {}, create: DEMO_POLICY });
  await prisma.$transaction(
    rows.map((row, i) => {
      const sim = fleet.host(i);
      return prisma.host.update({
        where: { id: row.id },
        data: {
          // Our own simulator, with keys from a fixed seed: trusting them needs no operator.
          hostKeyFingerprint: sim.fingerprint,
          trustState: 'TRUSTED',
          facts: simulatedHostFacts(sim) as unknown as Prisma.InputJsonValue,
          esxiVersion: '8.0.3',
          wolPort: fleet.wolPort,
          policyId: policy.id,
          lastSeenAt: new Date(),
        },
      });
    }),
  );
}
