import { Injectable, Logger } from '@nestjs/common';

interface Entry {
  value: unknown;
  /** When the computation that produced `value` started: the value reflects the data as of then. */
  at: number;
}

/** Past this age a cached read is refreshed; changes through this replica drop the cache at once. */
export const INVENTORY_READ_MAX_AGE_MS = 1000;
/** A cached read is never served once this old, refreshed in the background or not. */
export const INVENTORY_READ_STALE_LIMIT_MS = 2 * INVENTORY_READ_MAX_AGE_MS;
const MAX_ENTRIES = 500;

/**
 * Read-through cache of inventory reads (host pages, fleet summary) as ready-to-send JSON bytes
 * (a key always holds one type of value: the one its compute function returns).
 *
 * Why: at 10,000 hosts a 100-host page costs PostgreSQL ~3 ms of CPU; 50 concurrent clients on a
 * small machine would queue behind it. Consistency rules:
 * - every successful mutating request through this replica invalidates the whole cache before
 *   its response is sent, so a client always reads its own writes;
 * - changes made elsewhere (worker discovery, other replicas) show within
 *   INVENTORY_READ_STALE_LIMIT_MS: once a value is older than INVENTORY_READ_MAX_AGE_MS, it is
 *   still served (stale-while-revalidate) while one refresh runs in the background, so readers do
 *   not all wait for the query; a value older than INVENTORY_READ_STALE_LIMIT_MS is never served:
 *   readers then wait for the refresh;
 * - concurrent misses on one key share one query; a result computed across an invalidation is
 *   returned to its callers but not kept; a background refresh that fails keeps the old value
 *   (until the stale limit, when readers wait for a new query and see its error).
 */
@Injectable()
export class InventoryReadCache {
  private readonly logger = new Logger(InventoryReadCache.name);
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private generation = 0;

  /**
   * `maxAgeMs` (default INVENTORY_READ_MAX_AGE_MS; never served past twice that) for reads costly
   * enough to be worth being older: writes through this replica still drop them at once.
   */
  public async get<T>(
    key: string,
    compute: () => Promise<T>,
    now = Date.now(),
    maxAgeMs = INVENTORY_READ_MAX_AGE_MS,
  ): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) {
      const age = now - hit.at;
      if (age < maxAgeMs) return hit.value as T;
      if (age < 2 * maxAgeMs) {
        if (!this.inFlight.has(key)) {
          this.refresh(key, compute, now).catch((error: unknown) =>
            this.logger.warn(`background refresh of ${key} failed: ${String(error)}`),
          );
        }
        return hit.value as T;
      }
    }
    return (this.inFlight.get(key) as Promise<T> | undefined) ?? this.refresh(key, compute, now);
  }

  public invalidate(): void {
    this.generation++;
    this.entries.clear();
    this.inFlight.clear();
  }

  private refresh<T>(key: string, compute: () => Promise<T>, startedAt: number): Promise<T> {
    const generation = this.generation;
    const promise = compute()
      .then((value) => {
        if (generation === this.generation) {
          this.entries.delete(key);
          if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
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
}
