/**
 * When upsd starts serving a flipped status, for many flips on one NUT server: the benches'
 * zero (see bench/outage/status-served-watch.ts for why). One connection per server, opened
 * beforehand, asks `GET VAR <ups> ups.status` every 20 ms for the UPSes with a flip in flight
 * only, so the watch adds almost nothing to upsd's load while its CPU is measured.
 */
import { NutClient } from '@nutfleet/nut';
import { type NutTestbed } from '@nutfleet/testing';

const POLL_MS = 20;

interface Expectation {
  ups: string;
  matches: (status: string) => boolean;
  deadline: number;
  resolve: (at: number) => void;
  reject: (error: Error) => void;
}

export class ServedWatcher {
  private readonly expected: Expectation[] = [];
  private loop: Promise<void> | undefined;
  private closed = false;

  private constructor(private readonly client: NutClient) {}

  static async open(bed: NutTestbed): Promise<ServedWatcher> {
    return new ServedWatcher(await NutClient.connect(bed.connectOptions({ timeoutMs: 2000 })));
  }

  /** Epoch ms of the first answer of `ups` matching; call it just before making the change. */
  servedAt(ups: string, matches: (status: string) => boolean, timeoutMs = 15_000): Promise<number> {
    const promise = new Promise<number>((resolve, reject) => {
      this.expected.push({ ups, matches, deadline: Date.now() + timeoutMs, resolve, reject });
    });
    this.loop ??= this.run().finally(() => {
      this.loop = undefined;
    });
    return promise;
  }

  close(): void {
    this.closed = true;
    this.client.destroy();
  }

  private async run(): Promise<void> {
    while (this.expected.length > 0 && !this.closed) {
      for (const expectation of [...this.expected]) {
        let status: string | undefined;
        try {
          status = await this.client.getVar(expectation.ups, 'ups.status');
        } catch (error) {
          this.settle(expectation, () => expectation.reject(error instanceof Error ? error : new Error(String(error))));
          continue;
        }
        const at = Date.now();
        if (expectation.matches(status)) this.settle(expectation, () => expectation.resolve(at));
        else if (at > expectation.deadline)
          this.settle(expectation, () => expectation.reject(new Error(`${expectation.ups} never served the status`)));
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private settle(expectation: Expectation, done: () => void): void {
    const index = this.expected.indexOf(expectation);
    if (index !== -1) this.expected.splice(index, 1);
    done();
  }
}
