import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';

import { APP_CONFIG, AppConfig, TargetNetworks } from '@nutfleet/config';
import { fingerprintsEqual, scanPresentedFingerprint } from '@nutfleet/esxi';
import { errorText, PeriodicTask } from '@nutfleet/runtime';

import { WorkerPlanStore } from '../plans/worker-plan.store';

const SCAN_TIMEOUT_MS = 2000;
const PROBES_AT_ONCE = 32;
const HOSTS_PER_PASS = 2000;

/**
 * Watches the hosts nutfleet knows are off: one whose SSH server greets again came back by itself
 * (BIOS "power on after AC loss", a UPS power cycle, someone at the console) and becomes `on` at
 * once, so the outage planner protects it again — the next OB LB of its UPS powers it off again
 * instead of finding it "known off". Only the SSH key exchange runs (no session, no credential),
 * and the key presented must be the host's pinned one: another machine answering at its address
 * (a reused address, a port another server took) is not the host, and is not taken for it.
 */
@Injectable()
export class HostReturnProbe implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(HostReturnProbe.name);
  private readonly loop: PeriodicTask;

  public constructor(
    private readonly store: WorkerPlanStore,
    private readonly targets: TargetNetworks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.loop = new PeriodicTask({
      run: async () => {
        await this.probeAll();
      },
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
        if (!(await this.isBack(host))) continue;
        const written = await this.store.hostPower.observe(host.id, { kind: 'returned', at: new Date() });
        if (written !== undefined) back.push(host.id);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PROBES_AT_ONCE, hosts.length) }, lane));
    if (back.length > 0) this.logger.log(`${back.length} host(s) known off answer SSH again: back on, protected again`);
    return back;
  }

  private async isBack(host: {
    readonly name: string;
    readonly address: string;
    readonly sshPort: number;
    readonly hostKeyFingerprint: string | null;
  }): Promise<boolean> {
    let connectTo: string;
    try {
      connectTo = await this.targets.resolveAllowed(host.address);
    } catch {
      return false; // outside ALLOWED_TARGET_NETWORKS: not even a key exchange is sent
    }
    const scan = await scanPresentedFingerprint(connectTo, host.sshPort, SCAN_TIMEOUT_MS);
    if (scan.fingerprint === undefined) return false;
    // Without a pinned key (trust withdrawn since) an SSH server at its address is all there is to go on.
    if (host.hostKeyFingerprint === null || fingerprintsEqual(scan.fingerprint, host.hostKeyFingerprint)) return true;
    this.logger.warn(
      `host ${host.name} is known off, and ${host.address}:${host.sshPort} answers SSH with key ${scan.fingerprint}, ` +
        'not its pinned one: not taken as the host back. Check what answers at that address.',
    );
    return false;
  }
}
