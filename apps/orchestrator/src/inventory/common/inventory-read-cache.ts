import { Injectable } from '@nestjs/common';

interface Entry {
  value: string;
  at: number;
}

/** How long a cached read may be served; changes through this replica drop the cache at once. */
export const INVENTORY_READ_MAX_AGE_MS = 1000;
const MAX_ENTRIES = 500;

/**
 * Read-through cache of inventory reads (host pages, fleet summary) as ready-to-send JSON.
 *
 * Why: at 10,000 hosts a 100-host page costs PostgreSQL ~3 ms of CPU; 50 concurrent clients on a
 * small machine would queue behind it. Consistency rules:
 * - every successful mutating request through this replica invalidates the whole cache before
 *   its response is sent, so a client always reads its own writes;
 * - changes made elsewhere (worker discovery, other replicas) show within INVENTORY_READ_MAX_AGE_MS;
 * - concurrent misses on one key share one query; a result computed across an invalidation is
 *   returned to its callers but not kept.
 */
@Injectable()
export class InventoryReadCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<string>>();
  private generation = 0;

  public async get(key: string, compute: () => Promise<string>, now = Date.now()): Promise<string> {
    const hit = this.entries.get(key);
    if (hit && now - hit.at < INVENTORY_READ_MAX_AGE_MS) return hit.value;
    const running = this.inFlight.get(key);
    if (running) return running;
    const generation = this.generation;
    const startedAt = Date.now();
    const promise = compute()
      .then((value) => {
        if (generation === this.generation) {
          if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
          this.entries.delete(key);
          this.entries.set(key, { value, at: startedAt });
        }
        return value;
      })
      .finally(() => {
        if (this.inFlight.get(key) === promise) this.inFlight.delete(key);
      });
    this.inFlight.set(key, promise);
    return promise;
  }

  public invalidate(): void {
    this.generation++;
    this.entries.clear();
    this.inFlight.clear();
  }
}
