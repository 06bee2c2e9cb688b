import { Injectable } from '@nestjs/common';

import { type NutServerObservation } from '@nutfleet/power';

import { NutConnectionTestService } from '../power-monitor/nut-connection-test.service';

/** One NUT server as readiness sees it, before the FSD flags of its UPSes are added. */
export type NutServerReach = Omit<NutServerObservation, 'fsdUpses'>;

/**
 * A server's answer is reused this long: hosts of one server come due about every second at
 * 1,000 hosts, and one login a minute per server says as much as one per host.
 */
const REUSE_MS = 60_000;

/**
 * Reachable and login valid, per NUT server, with libs/nut's connection test (connect, TLS
 * policy, LIST UPS, USERNAME/PASSWORD then LOGIN — the only way upsd proves the credentials).
 */
@Injectable()
export class NutServerReadiness {
  private readonly recent = new Map<string, { at: number; reach: Promise<NutServerReach> }>();

  public constructor(private readonly tester: NutConnectionTestService) {}

  public async check(serverIds: readonly string[], now = Date.now()): Promise<Map<string, NutServerReach>> {
    const ids = [...new Set(serverIds)];
    for (const [id, entry] of this.recent) if (now - entry.at > REUSE_MS) this.recent.delete(id);
    for (const id of ids) if (!this.recent.has(id)) this.recent.set(id, { at: now, reach: this.reach(id) });
    return new Map(
      await Promise.all(ids.map(async (id) => [id, await (this.recent.get(id)?.reach ?? this.reach(id))] as const)),
    );
  }

  private async reach(id: string): Promise<NutServerReach> {
    try {
      return await this.test(id);
    } catch (error) {
      // Not kept: the next pass asks again (a server deleted meanwhile, the database briefly away).
      this.recent.delete(id);
      throw error;
    }
  }

  private async test(id: string): Promise<NutServerReach> {
    const outcome = await this.tester.test(id);
    if (outcome.ok) return { server: outcome.server, reachable: true, loginOk: true };
    const error = outcome.error ? `${outcome.error.code}: ${outcome.error.message}` : undefined;
    return {
      server: outcome.server,
      reachable: outcome.nutServer,
      loginOk: outcome.nutServer ? false : null,
      ...(error === undefined ? {} : { error }),
    };
  }
}
