/**
 * A leader lease in Redis: SET-if-absent with a TTL and a random holder token, renewed and
 * released only by its holder (compare-and-set Lua scripts). Each acquisition also takes a
 * fencing token from a Redis counter (INCR, in the same script), which writers check in
 * PostgreSQL so a paused ex-leader cannot write after someone else took over.
 */
import { randomBytes } from 'node:crypto';

import { type Redis } from 'ioredis';

// Atomic: INCR only when we win, so fencing tokens of successive leaders strictly increase.
const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local fencing = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. fencing, 'PX', ARGV[2])
return fencing`;

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

// After Redis lost its data the counter restarts low; lift it over the token PostgreSQL knows.
const RAISE_COUNTER = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
return 1`;

export class LeaseTimeoutError extends Error {
  public constructor(operation: string, ms: number) {
    super(`Redis did not answer the lease ${operation} within ${ms} ms`);
    this.name = 'LeaseTimeoutError';
  }
}

export interface LeaderLeaseOptions {
  /** Redis key of the lease, e.g. `nutfleet:power-monitor:leader`. */
  key: string;
  /** Redis key of the fencing counter. */
  counterKey: string;
  ttlMs: number;
  /** Bound on each Redis call, so a hung Redis can't stall the renewals. */
  commandTimeoutMs: number;
  /** Who we are, for operators (hostname:pid); a random part is added. */
  holderName: string;
}

export class LeaderLease {
  /** `holderName#random`: unique per process start. */
  public readonly holder: string;
  private value: string | null = null;
  private fencing: bigint | null = null;

  public constructor(
    private readonly redis: Redis,
    private readonly options: LeaderLeaseOptions,
  ) {
    this.holder = `${options.holderName}#${randomBytes(6).toString('hex')}`;
  }

  /** Fencing token of the lease we hold, or null. */
  public get fencingToken(): bigint | null {
    return this.fencing;
  }

  /** Returns the new fencing token if we got the lease, null if someone else holds it. */
  public async tryAcquire(): Promise<bigint | null> {
    const result = await this.bounded(
      'acquire',
      this.redis.eval(ACQUIRE, 2, this.options.key, this.options.counterKey, this.holder, String(this.options.ttlMs)),
    );
    if (result === null || result === undefined) return null;
    const fencing = BigInt(result as number | string);
    this.value = `${this.holder}|${fencing}`;
    this.fencing = fencing;
    return fencing;
  }

  /** Extends our lease by the TTL; false when it is gone or held by someone else. */
  public async renew(): Promise<boolean> {
    if (this.value === null) return false;
    const result = await this.bounded(
      'renew',
      this.redis.eval(RENEW, 1, this.options.key, this.value, String(this.options.ttlMs)),
    );
    if (Number(result) === 1) return true;
    this.forget();
    return false;
  }

  /** Deletes the lease if it is still ours, so another replica can take over at once. */
  public async release(): Promise<void> {
    const value = this.value;
    this.forget();
    if (value === null) return;
    await this.bounded('release', this.redis.eval(RELEASE, 1, this.options.key, value));
  }

  public async raiseCounterTo(minimum: bigint): Promise<void> {
    await this.bounded('counter raise', this.redis.eval(RAISE_COUNTER, 1, this.options.counterKey, minimum.toString()));
  }

  /** Drops our idea of holding the lease without telling Redis (it will expire). */
  public forget(): void {
    this.value = null;
    this.fencing = null;
  }

  private async bounded<T>(operation: string, call: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        call,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new LeaseTimeoutError(operation, this.options.commandTimeoutMs)),
            this.options.commandTimeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
