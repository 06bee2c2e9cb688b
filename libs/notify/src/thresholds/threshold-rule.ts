/**
 * Threshold alerts: a UPS reading crossing a limit (load above, runtime or charge below). Pure:
 * the orchestrator reads the figures the power monitor records and keeps each alert's state.
 */

export const THRESHOLD_METRICS = ['LOAD', 'RUNTIME', 'CHARGE'] as const;
export type ThresholdMetric = (typeof THRESHOLD_METRICS)[number];

export interface ThresholdMetricInfo {
  readonly label: string;
  /** NUT variable the figure comes from. */
  readonly variable: 'ups.load' | 'battery.runtime' | 'battery.charge';
  readonly unit: '%' | 'min';
  /** The alert fires when the reading goes above (load) or below (runtime, charge) the value. */
  readonly direction: 'above' | 'below';
  /** Valid threshold values, in `unit`. */
  readonly min: number;
  readonly max: number;
  /** How far back past the threshold a reading must come before the alert recovers. */
  readonly defaultHysteresis: number;
}

export const THRESHOLD_METRIC_INFO: Record<ThresholdMetric, ThresholdMetricInfo> = {
  // Load can exceed 100 % (overload) until the UPS trips.
  LOAD: {
    label: 'load',
    variable: 'ups.load',
    unit: '%',
    direction: 'above',
    min: 1,
    max: 150,
    defaultHysteresis: 5,
  },
  RUNTIME: {
    label: 'runtime',
    variable: 'battery.runtime',
    unit: 'min',
    direction: 'below',
    min: 1,
    max: 1440,
    defaultHysteresis: 2,
  },
  CHARGE: {
    label: 'battery charge',
    variable: 'battery.charge',
    unit: '%',
    direction: 'below',
    min: 1,
    max: 100,
    defaultHysteresis: 5,
  },
};

export interface ThresholdRule {
  readonly metric: ThresholdMetric;
  /** In the metric's unit: % for load and charge, minutes for runtime. */
  readonly value: number;
  /** Same unit; 0 recovers as soon as the reading is back on the right side. */
  readonly hysteresis: number;
}

/** Sane figures of one UPS (unknown ones absent): what the rules are evaluated against. */
export interface ThresholdReadings {
  readonly loadPercent?: number;
  readonly chargePercent?: number;
  readonly runtimeSeconds?: number;
}

/** The reading a rule compares, in the rule's unit; undefined when the UPS does not report it. */
export function readingFor(metric: ThresholdMetric, readings: ThresholdReadings): number | undefined {
  switch (metric) {
    case 'LOAD':
      return readings.loadPercent;
    case 'CHARGE':
      return readings.chargePercent;
    case 'RUNTIME':
      return readings.runtimeSeconds === undefined ? undefined : readings.runtimeSeconds / 60;
  }
}

/** Where the alert recovers: the threshold moved back by the hysteresis. */
export function recoveryPoint(rule: ThresholdRule): number {
  return THRESHOLD_METRIC_INFO[rule.metric].direction === 'above'
    ? rule.value - rule.hysteresis
    : rule.value + rule.hysteresis;
}

export type ThresholdVerdict = 'crossed' | 'recovered' | 'unchanged';

/**
 * Hysteresis: an alert fires when the reading passes the threshold, and recovers only once it is
 * back beyond the recovery point, so a value hovering at the threshold alerts once, not at every
 * poll. An unknown reading changes nothing (a UPS that stops reporting is `ups.comm-lost`).
 */
export function evaluateThreshold(rule: ThresholdRule, reading: number | undefined, active: boolean): ThresholdVerdict {
  if (reading === undefined || !Number.isFinite(reading)) return 'unchanged';
  const above = THRESHOLD_METRIC_INFO[rule.metric].direction === 'above';
  if (!active) return (above ? reading > rule.value : reading < rule.value) ? 'crossed' : 'unchanged';
  const back = recoveryPoint(rule);
  return (above ? reading <= back : reading >= back) ? 'recovered' : 'unchanged';
}

/** "12.5 min", "87 %". */
export function formatReading(metric: ThresholdMetric, value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return `${rounded} ${THRESHOLD_METRIC_INFO[metric].unit}`;
}

/** "load above 80 %", "runtime below 15 min". */
export function describeRule(rule: Pick<ThresholdRule, 'metric' | 'value'>): string {
  const info = THRESHOLD_METRIC_INFO[rule.metric];
  return `${info.label} ${info.direction} ${formatReading(rule.metric, rule.value)}`;
}

/** Why a rule cannot be used, per field, or an empty list. */
export function ruleProblems(rule: ThresholdRule): { field: 'value' | 'hysteresis'; reason: string }[] {
  const info = THRESHOLD_METRIC_INFO[rule.metric];
  const problems: { field: 'value' | 'hysteresis'; reason: string }[] = [];
  if (!Number.isFinite(rule.value) || rule.value < info.min || rule.value > info.max) {
    problems.push({ field: 'value', reason: `must be between ${info.min} and ${info.max} ${info.unit}` });
    // The hysteresis is judged against a usable value only.
    if (!Number.isFinite(rule.hysteresis) || rule.hysteresis < 0)
      problems.push({ field: 'hysteresis', reason: 'must be 0 or more' });
    return problems;
  }
  if (!Number.isFinite(rule.hysteresis) || rule.hysteresis < 0)
    problems.push({ field: 'hysteresis', reason: 'must be 0 or more' });
  else if (info.direction === 'above' && rule.hysteresis >= rule.value)
    problems.push({ field: 'hysteresis', reason: `must be below the threshold (${rule.value} ${info.unit})` });
  else if (info.direction === 'below' && info.unit === '%' && rule.value + rule.hysteresis > 100)
    problems.push({ field: 'hysteresis', reason: 'would put the recovery point above 100 %' });
  return problems;
}
