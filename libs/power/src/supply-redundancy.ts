import { type EpochMs } from './time';
import { type UpsId } from './ups-observation';

export interface SupplyInput {
  readonly upsId: UpsId;
  readonly powerValue: number;
  readonly critical: boolean;
  /** When this supply turns critical if nothing but time changes. */
  readonly becomesCriticalAt?: EpochMs;
}

export interface SupplyRedundancy {
  /** Sum of the power values of supplies that are not critical (upsmon's `recalc`). */
  readonly healthyPower: number;
  readonly totalPower: number;
  readonly minSupplies: number;
  /** `healthyPower < minSupplies`; never true when `minSupplies` is 0. */
  readonly insufficient: boolean;
  /** When the host will lack supplies if every supply follows its own clock; absent if never. */
  readonly insufficientAt?: EpochMs;
}

/**
 * NUT MINSUPPLIES with power values: a host keeps running while the power values of its healthy
 * supplies add up to at least `minSupplies`. A feed of power value 0 is watched but never counts.
 */
export function computeSupplyRedundancy(supplies: readonly SupplyInput[], minSupplies: number): SupplyRedundancy {
  const totalPower = sum(supplies.map((s) => s.powerValue));
  const healthy = supplies.filter((s) => !s.critical);
  const healthyPower = sum(healthy.map((s) => s.powerValue));
  const insufficient = minSupplies > 0 && healthyPower < minSupplies;
  let insufficientAt: EpochMs | undefined;
  if (!insufficient && minSupplies > 0) {
    // Drop the supplies in the order their clocks run out: the first instant the sum falls short.
    const timed = healthy
      .filter((s): s is SupplyInput & { becomesCriticalAt: EpochMs } => s.becomesCriticalAt !== undefined)
      .sort((a, b) => a.becomesCriticalAt - b.becomesCriticalAt);
    let remaining = healthyPower;
    for (const supply of timed) {
      remaining -= supply.powerValue;
      if (remaining < minSupplies) {
        insufficientAt = supply.becomesCriticalAt;
        break;
      }
    }
  }
  return { healthyPower, totalPower, minSupplies, insufficient, insufficientAt };
}

function sum(values: readonly number[]): number {
  return values.reduce((acc, value) => acc + value, 0);
}
