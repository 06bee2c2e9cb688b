import { type AddressInfo } from 'node:net';

import { type INestApplication } from '@nestjs/common';

import { type AppConfig } from '@nutfleet/config';
import {
  type AppProcess,
  createTestDatabase,
  createTestRedisPrefix,
  type EsxiFleet,
  type EsxiFleetOptions,
  type NutTestbed,
  type NutTestbedOptions,
  startAppProcess,
  startEsxiFleet,
  startNutTestbed,
  type TestDatabase,
  testConfig,
  type TestRedisPrefix,
  waitFor,
} from '@nutfleet/testing';

import { issueApiToken } from '../../src/auth/api-token.issuer';
import { type Role } from '../../src/auth/role';
import { createOrchestratorApp } from '../../src/orchestrator.app';
import { insertNutServer, type InsertedNutServer, testbedServerRow } from './nut-server-rows';
import { outageTestEnv } from './outage-fleet';

const WORKER = 'dist/apps/worker/src/main.js';

export interface OutageRigOptions {
  /** The UPSes of the test's upsd (one NUT server row, `nut-a`, lists them all). */
  readonly upses: NutTestbedOptions['upses'];
  readonly fleet: EsxiFleetOptions;
  /** Settings over outageTestEnv's (poll intervals, timeouts). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * What every outage end-to-end test stands on: its own database and Redis prefix, a real upsd with
 * dummy-ups drivers, simulated ESXi hosts over SSH, then (once the test has written its inventory)
 * the orchestrator in this process and the worker as a real process that can be killed.
 */
export class OutageRig {
  private orchestrator: INestApplication | undefined;
  private workerProcess: AppProcess | undefined;
  private url = '';

  private constructor(
    public readonly db: TestDatabase,
    public readonly redis: TestRedisPrefix,
    public readonly bed: NutTestbed,
    public readonly fleet: EsxiFleet,
    public readonly env: Record<string, string> & { DATABASE_URL: string },
    public readonly config: AppConfig,
    /** The NUT server row of `bed`, to find its UPS ids by name. */
    public readonly nut: InsertedNutServer,
  ) {}

  public static async start(options: OutageRigOptions): Promise<OutageRig> {
    const [db, bed, fleet] = await Promise.all([
      createTestDatabase(),
      startNutTestbed({ upses: options.upses }),
      startEsxiFleet(options.fleet),
    ]);
    const redis = createTestRedisPrefix();
    const env = outageTestEnv(db, redis, options.env);
    const config = testConfig(env);
    const nut = await insertNutServer(db.prisma, config.secretKey, testbedServerRow(bed, 'nut-a'));
    return new OutageRig(db, redis, bed, fleet, env, config, nut);
  }

  /** An API token of the given role, as `Authorization: Bearer` wants it. */
  public async token(name: string, role: Role = 'operator'): Promise<string> {
    return (await this.db.prisma.$transaction((tx) => issueApiToken(tx, { name, role }))).token;
  }

  /** Starts the orchestrator and the worker over the inventory written so far. */
  public async startProcesses(): Promise<void> {
    this.orchestrator = await createOrchestratorApp(this.config);
    await this.orchestrator.listen(0, '127.0.0.1');
    this.url = `http://127.0.0.1:${(this.orchestrator.getHttpServer() as { address(): AddressInfo }).address().port}`;
    this.workerProcess = await this.startWorker();
  }

  /** A worker process over the same database and Redis ('worker started' is an info line). */
  public async startWorker(): Promise<AppProcess> {
    const worker = startAppProcess(WORKER, { ...this.env, LOG_LEVEL: 'info' });
    await worker.waitForOutput(/worker started/, 30_000);
    this.workerProcess = worker;
    return worker;
  }

  /** The orchestrator's base URL. */
  public get base(): string {
    return this.url;
  }

  public get app(): INestApplication {
    if (this.orchestrator === undefined) throw new Error('the orchestrator is not started');
    return this.orchestrator;
  }

  /** The worker started last. */
  public get worker(): AppProcess | undefined {
    return this.workerProcess;
  }

  /** Resolves once the monitor has read `count` UPSes on line. */
  public async upsesOnLine(count: number, timeoutMs = 20_000): Promise<void> {
    await waitFor(
      `${count} UPS(es) read on line`,
      async () => (await this.db.prisma.ups.count({ where: { commState: 'OK', status: 'OL' } })) === count,
      timeoutMs,
    );
  }

  /** Resolves once no outage is open; on time-out, says which are open and which restarts run. */
  public async outageOver(timeoutMs = 120_000): Promise<void> {
    const prisma = this.db.prisma;
    await waitFor(
      'the outage to be over',
      async () => (await prisma.outage.count({ where: { state: { not: 'CLOSED' } } })) === 0,
      timeoutMs,
      250,
    ).catch(async (error: unknown) => {
      const open = await prisma.outage.findMany({
        where: { state: { not: 'CLOSED' } },
        select: { id: true, state: true, upsIds: true, restartPlanId: true },
      });
      const restarts = await prisma.plan.findMany({
        where: { kind: 'RESTART', state: { in: ['PENDING', 'RUNNING'] } },
        select: { id: true, state: true, reason: true },
      });
      throw new Error(`${String(error)}: ${JSON.stringify({ open, restarts })}`);
    });
  }

  public async stop(): Promise<void> {
    this.workerProcess?.child.kill('SIGKILL');
    await this.orchestrator?.close();
    await Promise.all([this.fleet.stop(), this.bed.stop()]);
    await this.redis.cleanup();
    await this.db.drop();
  }
}
