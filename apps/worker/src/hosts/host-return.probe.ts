import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { errorText, PeriodicTask } from '@nutfleet/runtime';

import { WorkerPlanStore } from '../plans/worker-plan.store';
import { sshGreets } from './ssh-greeting';

const GREETING_TIMEOUT_MS = 2000;
const PROBES_AT_ONCE = 32;
const HOSTS_PER_PASS = 2000;

/**
 * Watches the hosts nutfleet knows are off: one whose SSH server greets again came back by itself
 * (BIOS "power on after AC loss", a UPS power cycle, someone at the console) and becomes `on` at
 * once, so the outage planner protects it again — the next OB LB of its UPS powers it off again
 * instead of finding it "known off". Only the SSH greeting is read: no session, no credential.
 */
@Injectable()
export class HostReturnProbe implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(HostReturnProbe.name);
  private readonly loop: PeriodicTask;

  public constructor(
    private readonly store: WorkerPlanStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.loop = new PeriodicTask({
      run: () => this.probeAll(),
      intervalMs: config.worker.returnProbeIntervalMs,
      onError: (error) => this.logger.warn(`return probe pass failed: ${errorText(error)}`),
    });
  }

  public onApplicationBootstrap(): void {
    if (this.config.worker.returnProbeIntervalMs > 0) this.loop.start();
  }

  public async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** One pass; returns the ids of the hosts found back. */
  public async probeAll(): Promise<string[]> {
    const hosts = await this.store.hostPower.knownOff(HOSTS_PER_PASS);
    const back: string[] = [];
    let next = 0;
    const lane = async (): Promise<void> => {
      while (!this.loop.stopped && next < hosts.length) {
        const host = hosts[next++];
        if (host === undefined) break;
        if (!(await sshGreets(host.address, host.sshPort, GREETING_TIMEOUT_MS))) continue;
        const written = await this.store.hostPower.observe(host.id, { kind: 'returned', at: new Date() });
        if (written !== undefined) back.push(host.id);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PROBES_AT_ONCE, hosts.length) }, lane));
    if (back.length > 0) this.logger.log(`${back.length} host(s) known off answer SSH again: back on, protected again`);
    return back;
  }
}
