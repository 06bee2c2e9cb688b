import { Injectable } from '@nestjs/common';

import { type NutServerObservation } from '@nutfleet/power';

import { NutConnectionTestService } from '../power-monitor/nut-connection-test.service';

/** One NUT server as readiness sees it, before the FSD flags of its UPSes are added. */
export type NutServerReach = Omit<NutServerObservation, 'fsdUpses'>;

/**
 * Reachable and login valid, per NUT server, with libs/nut's connection test (connect, TLS
 * policy, LIST UPS, USERNAME/PASSWORD then LOGIN — the only way upsd proves the credentials).
 * A pass asks once per server however many of its hosts are due.
 */
@Injectable()
export class NutServerReadiness {
  public constructor(private readonly tester: NutConnectionTestService) {}

  public async check(serverIds: readonly string[]): Promise<Map<string, NutServerReach>> {
    const results = await Promise.all(
      [...new Set(serverIds)].map(async (id): Promise<readonly [string, NutServerReach]> => {
        const outcome = await this.tester.test(id);
        if (outcome.ok) return [id, { server: outcome.server, reachable: true, loginOk: true }];
        const error = outcome.error ? `${outcome.error.code}: ${outcome.error.message}` : undefined;
        return [
          id,
          {
            server: outcome.server,
            reachable: outcome.nutServer,
            loginOk: outcome.nutServer ? false : null,
            ...(error === undefined ? {} : { error }),
          },
        ];
      }),
    );
    return new Map(results);
  }
}
