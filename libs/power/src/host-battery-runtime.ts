import { type PowerFeed } from './fleet-inventory';
import { type UpsId } from './ups-observation';

export interface HostBatteryRuntime {
  /** Seconds the host keeps `minSupplies` powered if every feed runs on battery from now. */
  readonly seconds?: number;
  /** The UPS whose exhaustion ends it (for the warning text). */
  readonly limitingUpsId?: UpsId;
  /** Feeds with no reported runtime: the estimate ignores them, so it may be pessimistic. */
  readonly unknownUpsIds: readonly UpsId[];
}

/**
 * How long a host survives on batteries: its supplies die in order of runtime, and it goes
 * dark when the power values still alive add up to less than `minSupplies`. Assumes every feed
 * is on battery, the worst case a plan preview must cover.
 */
export function computeHostBatteryRuntime(
  feeds: readonly PowerFeed[],
  minSupplies: number,
  runtimeByUps: ReadonlyMap<UpsId, number>,
): HostBatteryRuntime {
  const unknownUpsIds = feeds
    .filter((f) => f.powerValue > 0 && !runtimeByUps.has(f.upsId))
    .map((f) => f.upsId)
    .sort();
  const known = feeds
    .filter((f) => f.powerValue > 0)
    .flatMap((f) => {
      const seconds = runtimeByUps.get(f.upsId);
      return seconds === undefined ? [] : [{ upsId: f.upsId, powerValue: f.powerValue, seconds }];
    })
    .sort((a, b) => a.seconds - b.seconds || a.upsId.localeCompare(b.upsId));
  if (known.length === 0 || minSupplies === 0) return { unknownUpsIds };
  let alive = known.reduce((acc, f) => acc + f.powerValue, 0);
  for (const feed of known) {
    alive -= feed.powerValue;
    if (alive < minSupplies) return { seconds: feed.seconds, limitingUpsId: feed.upsId, unknownUpsIds };
  }
  return { unknownUpsIds };
}
