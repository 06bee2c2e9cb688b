import { type UpsSampleRecord } from './ups-history.builder';

/** One point of a UPS chart: the samples of a time bucket averaged (or one sample as recorded). */
export interface UpsChartPoint {
  readonly at: number;
  readonly charge: number | null;
  readonly runtimeSeconds: number | null;
  readonly load: number | null;
  readonly inputVoltage: number | null;
  /** Samples behind this point. */
  readonly samples: number;
}

type ChartField = 'charge' | 'runtimeSeconds' | 'load' | 'inputVoltage';

/**
 * At most `maxPoints` points for a chart of [from, to): every sample as recorded when they are
 * few enough, otherwise equal time buckets, each the mean of its samples' values (a missing value
 * counts for nothing; a bucket without any value of a field has null). Samples outside the
 * window are ignored. A chart must not lie: a bucket never borrows from its neighbours, and an
 * empty bucket is no point at all (the line shows the gap).
 */
export function downsampleUpsSamples(
  samples: readonly UpsSampleRecord[],
  from: number,
  to: number,
  maxPoints: number,
): UpsChartPoint[] {
  if (!(to > from) || maxPoints < 1) return [];
  const inWindow = samples.filter((s) => s.at >= from && s.at < to).sort((a, b) => a.at - b.at);
  if (inWindow.length <= maxPoints)
    return inWindow.map((s) => ({
      at: s.at,
      charge: s.charge,
      runtimeSeconds: s.runtimeSeconds,
      load: s.load ?? null,
      inputVoltage: s.inputVoltage,
      samples: 1,
    }));
  const width = (to - from) / maxPoints;
  const buckets = new Map<number, UpsSampleRecord[]>();
  for (const sample of inWindow) {
    const index = Math.min(maxPoints - 1, Math.floor((sample.at - from) / width));
    buckets.set(index, [...(buckets.get(index) ?? []), sample]);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, bucket]) => {
      const mean = (field: ChartField): number | null => {
        const values = bucket.map((s) => s[field] ?? null).filter((v): v is number => v !== null);
        return values.length === 0 ? null : values.reduce((sum, v) => sum + v, 0) / values.length;
      };
      return {
        at: Math.round(bucket.reduce((sum, s) => sum + s.at, 0) / bucket.length),
        charge: mean('charge'),
        runtimeSeconds: mean('runtimeSeconds'),
        load: mean('load'),
        inputVoltage: mean('inputVoltage'),
        samples: bucket.length,
      };
    });
}
