/**
 * When the NUT server itself starts serving a status: the benches' zero. Writing dummy-ups'
 * data file is only how the outage is injected; dummy-ups picks the change up at its next poll
 * (0–1 s later here, a simulation artifact a real driver does not have in that form). The issue
 * measures "from the moment the UPS turns OB LB at the NUT server", so both nutfleet and upsmon
 * are timed from the first instant upsd answers with it — seen by this independent client polling
 * every 20 ms on a connection opened beforehand (so at most ~20 ms late, equally for both).
 */
import { NutClient } from '@nutfleet/nut';
import { type NutTestbed } from '@nutfleet/testing';

const POLL_MS = 20;

export interface StatusServedWatch {
  /** Epoch ms of the first answer matching; rejects after `timeoutMs`. */
  readonly servedAt: Promise<number>;
  stop(): void;
}

export async function watchStatusServed(
  bed: NutTestbed,
  ups: string,
  matches: (status: string) => boolean,
  timeoutMs = 30_000,
): Promise<StatusServedWatch> {
  const client = await NutClient.connect(bed.connectOptions({ timeoutMs: 2000 }));
  let stopped = false;
  const servedAt = (async () => {
    const deadline = Date.now() + timeoutMs;
    try {
      while (!stopped) {
        const status = await client.getVar(ups, 'ups.status');
        const at = Date.now();
        if (matches(status)) return at;
        if (at > deadline) throw new Error(`${ups} never served the expected status within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      throw new Error('status watch stopped');
    } finally {
      client.destroy();
    }
  })();
  servedAt.catch(() => undefined);
  return {
    servedAt,
    stop: () => {
      stopped = true;
    },
  };
}
