import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Step, at, feeds, history, host } from '../test/power-fixtures';
import { type ReasonCode } from './decision-reason';
import { decideHost } from './host-decision.evaluator';
import { type ShutdownPolicyInput, resolveShutdownPolicy } from './shutdown-policy';
import { type UpsHistory } from './ups-observation';

interface Scenario {
  readonly name: string;
  /** Per UPS: its timeline. */
  readonly ups: Readonly<Record<string, readonly Step[]>>;
  /** Power value per UPS feeding the host (default: 1 for every UPS listed in `ups`). */
  readonly feeds?: Readonly<Record<string, number>>;
  readonly minSupplies?: number;
  readonly policy?: Omit<ShutdownPolicyInput, 'id'>;
  /** Seconds after T0. */
  readonly now: number;
  readonly critical: boolean;
  readonly becomesCriticalAt?: number;
  readonly nextEvaluationAt?: number;
  /** Reason codes that must appear. */
  readonly reasons?: readonly ReasonCode[];
  /** Seconds after T0: on-battery timers start no earlier (a new outage after a restart). */
  readonly timersFrom?: number;
}

const ONLINE: Step = [0, 'OL', { charge: 100, runtime: 1800 }];
const onBat = { onBatterySeconds: 120 };
const flap = { guardSeconds: 5, maxOnsets: 3, windowSeconds: 600 };

const scenarios: Scenario[] = [
  // One UPS, minSupplies 1, default policy (LB + FSD, guard 5 s, DEADTIME 15 s)
  {
    name: 'one UPS on line: safe',
    ups: { A: [ONLINE] },
    now: 60,
    critical: false,
    reasons: ['ON_LINE', 'SUPPLIES_SUFFICIENT'],
  },
  {
    name: 'one UPS, 3 s blip on battery: ignored by the flap guard',
    ups: { A: [ONLINE, [10, 'OB']] },
    policy: { triggers: onBat },
    now: 13,
    critical: false,
    reasons: ['BLIP_IGNORED'],
    nextEvaluationAt: 15,
    becomesCriticalAt: 130,
  },
  {
    name: 'one UPS, blip over: back on line, no timer left',
    ups: { A: [ONLINE, [10, 'OB'], [13, 'OL']] },
    policy: { triggers: onBat },
    now: 200,
    critical: false,
    reasons: ['ON_LINE'],
  },
  {
    name: 'one UPS, on battery 10 min without LB and no threshold: not critical (upsmon)',
    ups: { A: [ONLINE, [10, 'OB DISCHRG']] },
    now: 610,
    critical: false,
    reasons: ['ON_BATTERY'],
  },
  {
    name: 'one UPS, OB LB: critical at once',
    ups: { A: [ONLINE, [10, 'OB'], [300, 'OB LB']] },
    now: 301,
    critical: true,
    reasons: ['LOW_BATTERY', 'SUPPLIES_INSUFFICIENT'],
  },
  { name: 'one UPS, LB while on line: not critical', ups: { A: [[0, 'OL LB CHRG']] }, now: 60, critical: false },
  {
    name: 'one UPS, OB LB during calibration (CAL): not critical',
    ups: { A: [[0, 'OB LB CAL']] },
    now: 60,
    critical: false,
    reasons: ['CALIBRATION'],
  },
  {
    name: 'one UPS, FSD while on line: critical',
    ups: { A: [ONLINE, [30, 'OL FSD']] },
    now: 31,
    critical: true,
    reasons: ['FORCED_SHUTDOWN'],
  },
  {
    name: 'one UPS, FSD ignored when the policy disables it',
    ups: { A: [[0, 'OL FSD']] },
    policy: { triggers: { onForcedShutdown: false } },
    now: 31,
    critical: false,
  },
  {
    name: 'one UPS, OB LB ignored when the policy disables LB',
    ups: { A: [[0, 'OB LB']] },
    policy: { triggers: { onLowBattery: false } },
    now: 60,
    critical: false,
  },
  {
    name: 'LB confirmation 10 s: 4 s of OB LB is not enough',
    ups: { A: [ONLINE, [10, 'OB'], [20, 'OB LB']] },
    policy: { triggers: { lowBatteryConfirmSeconds: 10 } },
    now: 24,
    critical: false,
    becomesCriticalAt: 30,
    reasons: ['LOW_BATTERY_PENDING'],
  },
  {
    name: 'LB confirmation 10 s: 12 s of OB LB is critical',
    ups: { A: [ONLINE, [10, 'OB'], [20, 'OB LB']] },
    policy: { triggers: { lowBatteryConfirmSeconds: 10 } },
    now: 32,
    critical: true,
    reasons: ['LOW_BATTERY'],
  },

  // Each threshold
  {
    name: 'on battery 60 s of 120 s: not yet, critical at 130',
    ups: { A: [ONLINE, [10, 'OB']] },
    policy: { triggers: onBat },
    now: 70,
    critical: false,
    becomesCriticalAt: 130,
    nextEvaluationAt: 130,
  },
  {
    name: 'on battery 120 s of 120 s: critical',
    ups: { A: [ONLINE, [10, 'OB']] },
    policy: { triggers: onBat },
    now: 130,
    critical: true,
    reasons: ['ON_BATTERY_TIME'],
  },
  {
    name: 'on-battery timer restarts after a return to line',
    ups: { A: [ONLINE, [10, 'OB'], [100, 'OL'], [110, 'OB']] },
    policy: { triggers: onBat },
    now: 200,
    critical: false,
    becomesCriticalAt: 230,
  },
  {
    name: 'runtime 600 s > 300 s threshold: not critical',
    ups: { A: [ONLINE, [10, 'OB', { runtime: 600 }]] },
    policy: { triggers: { runtimeBelowSeconds: 300 } },
    now: 60,
    critical: false,
  },
  {
    name: 'runtime 290 s ≤ 300 s threshold: critical',
    ups: { A: [ONLINE, [10, 'OB', { runtime: 600 }], [50, 'OB', { runtime: 290 }]] },
    policy: { triggers: { runtimeBelowSeconds: 300 } },
    now: 60,
    critical: true,
    reasons: ['RUNTIME_LOW'],
  },
  {
    name: 'runtime low while on line: not critical',
    ups: { A: [[0, 'OL CHRG', { runtime: 200 }]] },
    policy: { triggers: { runtimeBelowSeconds: 300 } },
    now: 60,
    critical: false,
  },
  {
    name: 'runtime low 2 s into an outage: waits for the flap guard',
    ups: { A: [ONLINE, [10, 'OB', { runtime: 100 }]] },
    policy: { triggers: { runtimeBelowSeconds: 300 } },
    now: 12,
    critical: false,
    becomesCriticalAt: 15,
  },
  {
    name: 'charge 35 % ≤ 40 %: critical',
    ups: { A: [ONLINE, [10, 'OB', { charge: 35 }]] },
    policy: { triggers: { chargeBelowPercent: 40 } },
    now: 60,
    critical: true,
    reasons: ['CHARGE_LOW'],
  },
  {
    name: 'charge 60 % > 40 %: not critical',
    ups: { A: [ONLINE, [10, 'OB', { charge: 60 }]] },
    policy: { triggers: { chargeBelowPercent: 40 } },
    now: 60,
    critical: false,
  },
  {
    name: 'charge threshold with no battery.charge reported: cannot hold',
    ups: { A: [ONLINE, [10, 'OB']] },
    policy: { triggers: { chargeBelowPercent: 40 } },
    now: 60,
    critical: false,
    reasons: ['ON_BATTERY'],
  },

  // Combinations
  {
    name: 'any: charge met, time not: critical',
    ups: { A: [ONLINE, [10, 'OB', { charge: 30 }]] },
    policy: { triggers: { onBatterySeconds: 600, chargeBelowPercent: 40 } },
    now: 100,
    critical: true,
  },
  {
    name: 'all: time met, charge not: not critical',
    ups: { A: [ONLINE, [10, 'OB', { charge: 50 }]] },
    policy: { triggers: { onBatterySeconds: 60, chargeBelowPercent: 40, combination: 'all' } },
    now: 100,
    critical: false,
    reasons: ['THRESHOLDS_NOT_ALL_MET'],
  },
  {
    name: 'all: time and charge met: critical',
    ups: { A: [ONLINE, [10, 'OB', { charge: 35 }]] },
    policy: { triggers: { onBatterySeconds: 60, chargeBelowPercent: 40, combination: 'all' } },
    now: 100,
    critical: true,
  },
  {
    name: 'all: charge met, time pending: critical when the timer ends',
    ups: { A: [ONLINE, [10, 'OB', { charge: 35 }]] },
    policy: { triggers: { onBatterySeconds: 60, chargeBelowPercent: 40, combination: 'all' } },
    now: 40,
    critical: false,
    becomesCriticalAt: 70,
  },
  {
    name: 'all: LB still acts alone',
    ups: { A: [ONLINE, [10, 'OB LB', { charge: 80 }]] },
    policy: { triggers: { onBatterySeconds: 600, chargeBelowPercent: 40, combination: 'all' } },
    now: 20,
    critical: true,
    reasons: ['LOW_BATTERY'],
  },

  // Communication loss
  {
    name: 'comm lost for an hour while on line: never critical',
    ups: { A: [ONLINE, [10, 'lost']] },
    policy: { triggers: onBat },
    now: 3610,
    critical: false,
    reasons: ['COMM_LOST_ON_LINE'],
  },
  {
    name: 'comm lost on battery for 10 s < DEADTIME 15 s: not yet',
    ups: { A: [ONLINE, [10, 'OB'], [20, 'lost']] },
    now: 30,
    critical: false,
    becomesCriticalAt: 35,
    reasons: ['COMM_LOST_GRACE'],
  },
  {
    name: 'comm lost on battery for 15 s = DEADTIME: critical',
    ups: { A: [ONLINE, [10, 'OB'], [20, 'lost']] },
    now: 35,
    critical: true,
    reasons: ['COMM_LOST_ON_BATTERY'],
  },
  {
    name: 'comm lost on battery, DEADTIME 60 s, 30 s silent: not yet',
    ups: { A: [ONLINE, [10, 'OB'], [20, 'lost']] },
    policy: { commLoss: { deadtimeSeconds: 60 } },
    now: 50,
    critical: false,
    becomesCriticalAt: 80,
  },
  {
    name: 'a 4 s link drop on battery, then answers again: not critical',
    ups: { A: [ONLINE, [10, 'OB'], [20, 'lost'], [24, 'OB']] },
    now: 60,
    critical: false,
  },
  {
    name: 'never answered at all: counted healthy, as upsmon does',
    ups: { A: [[0, 'lost']] },
    now: 600,
    critical: false,
    reasons: ['NO_DATA'],
  },
  {
    name: 'UPS without any history: counted healthy',
    ups: {},
    feeds: { A: 1 },
    now: 600,
    critical: false,
    reasons: ['NO_DATA'],
  },
  {
    name: 'comm lost on battery past its timer threshold: timer keeps running in the grace',
    ups: { A: [ONLINE, [10, 'OB'], [100, 'lost']] },
    policy: { triggers: onBat, commLoss: { deadtimeSeconds: 300 } },
    now: 130,
    critical: true,
    reasons: ['ON_BATTERY_TIME', 'COMM_LOST_GRACE'],
  },

  // Several UPSes, minSupplies and power values
  {
    name: 'two UPSes, minSupplies 1: one OB LB, other on line: safe',
    ups: { A: [[0, 'OB LB']], B: [ONLINE] },
    now: 60,
    critical: false,
  },
  {
    name: 'two UPSes, minSupplies 1: both OB LB: critical',
    ups: { A: [[0, 'OB LB']], B: [[10, 'OB LB']] },
    now: 60,
    critical: true,
  },
  {
    name: 'two UPSes, minSupplies 2: one OB LB: critical',
    ups: { A: [[0, 'OB LB']], B: [ONLINE] },
    minSupplies: 2,
    now: 60,
    critical: true,
  },
  {
    name: 'two UPSes, minSupplies 2: both on line: safe',
    ups: { A: [ONLINE], B: [ONLINE] },
    minSupplies: 2,
    now: 60,
    critical: false,
  },
  {
    name: 'power values: A=2 healthy covers minSupplies 2 while B=1 is LB',
    ups: { A: [ONLINE], B: [[0, 'OB LB']] },
    feeds: { A: 2, B: 1 },
    minSupplies: 2,
    now: 60,
    critical: false,
  },
  {
    name: 'power values: A=2 LB leaves B=1 < minSupplies 2: critical',
    ups: { A: [[0, 'OB LB']], B: [ONLINE] },
    feeds: { A: 2, B: 1 },
    minSupplies: 2,
    now: 60,
    critical: true,
  },
  {
    name: 'power value 0 (watch only) never counts',
    ups: { A: [ONLINE], C: [[0, 'OB LB']] },
    feeds: { A: 1, C: 0 },
    now: 60,
    critical: false,
  },
  {
    name: 'minSupplies 0: never shut down, even with every UPS LB',
    ups: { A: [[0, 'OB LB FSD']] },
    minSupplies: 0,
    now: 60,
    critical: false,
    reasons: ['MIN_SUPPLIES_ZERO'],
  },
  {
    name: 'two UPSes, minSupplies 1, staggered outages: critical when the later timer ends',
    ups: { A: [ONLINE, [0, 'OB']], B: [ONLINE, [100, 'OB']] },
    policy: { triggers: onBat },
    now: 150,
    critical: false,
    becomesCriticalAt: 220,
  },
  {
    name: 'two UPSes, minSupplies 2, staggered outages: critical when the first timer ends',
    ups: { A: [ONLINE, [0, 'OB']], B: [ONLINE, [100, 'OB']] },
    minSupplies: 2,
    policy: { triggers: onBat },
    now: 60,
    critical: false,
    becomesCriticalAt: 120,
  },
  {
    name: 'two UPSes, minSupplies 1: A silent on battery past DEADTIME, B on line: safe',
    ups: { A: [ONLINE, [10, 'OB'], [20, 'lost']], B: [ONLINE] },
    now: 100,
    critical: false,
  },
  {
    name: 'two UPSes, minSupplies 1: A silent on battery past DEADTIME, B OB LB: critical',
    ups: { A: [ONLINE, [10, 'OB'], [20, 'lost']], B: [ONLINE, [50, 'OB LB']] },
    now: 100,
    critical: true,
  },
  {
    name: 'two UPSes, minSupplies 1: both silent, last seen on line: safe',
    ups: { A: [ONLINE, [10, 'lost']], B: [ONLINE, [10, 'lost']] },
    now: 1000,
    critical: false,
  },

  // Flapping
  {
    name: 'flapping: 3 short outages in 10 min are reported, and each return to line power resets the timer',
    ups: { A: [ONLINE, [10, 'OB'], [12, 'OL'], [40, 'OB'], [42, 'OL'], [70, 'OB'], [72, 'OL']] },
    policy: { triggers: { onBatterySeconds: 60 }, flap },
    now: 75,
    critical: false,
    reasons: ['FLAPPING', 'ON_LINE'],
  },
  {
    name: 'flapping on a healthy battery never shuts down: OB/OL every 5 s at 95 %, 30 s policy',
    ups: {
      A: [
        [0, 'OL', { charge: 95, runtime: 1800 }],
        ...Array.from({ length: 24 }, (_, i): Step => [
          5 + i * 5,
          i % 2 === 0 ? 'OB' : 'OL',
          { charge: 95, runtime: 1800 },
        ]),
      ],
    },
    policy: { triggers: { onBatterySeconds: 30, chargeBelowPercent: 20 }, flap },
    now: 122,
    critical: false,
    reasons: ['FLAPPING'],
  },
  {
    name: 'two short outages stay blips (below the flap limit)',
    ups: { A: [ONLINE, [10, 'OB'], [12, 'OL'], [40, 'OB'], [42, 'OL']] },
    policy: { triggers: { onBatterySeconds: 60 }, flap },
    now: 75,
    critical: false,
  },
  {
    name: 'flapping ends when old onsets leave the window',
    ups: { A: [ONLINE, [10, 'OB'], [12, 'OL'], [40, 'OB'], [42, 'OL'], [70, 'OB'], [72, 'OL']] },
    policy: { triggers: { onBatterySeconds: 60 }, flap },
    now: 700,
    critical: false,
  },
  {
    name: 'flapping waives the flap guard for a low runtime',
    ups: { A: [ONLINE, [10, 'OB'], [12, 'OL'], [40, 'OB'], [42, 'OL'], [70, 'OB', { runtime: 100 }]] },
    policy: { triggers: { runtimeBelowSeconds: 300 }, flap },
    now: 71,
    critical: true,
    reasons: ['FLAPPING', 'RUNTIME_LOW'],
  },
  {
    name: 'flapping, now on line: no timer runs; re-evaluate when the first onset leaves the window',
    ups: { A: [ONLINE, [10, 'OB'], [12, 'OL'], [20, 'OB'], [22, 'OL'], [30, 'OB'], [32, 'OL']] },
    policy: { triggers: { onBatterySeconds: 120 }, flap },
    now: 40,
    critical: false,
    nextEvaluationAt: 610,
  },
  {
    name: 'flapping then a real outage: the timer counts from the last onset only',
    ups: { A: [ONLINE, [10, 'OB'], [12, 'OL'], [20, 'OB'], [22, 'OL'], [30, 'OB']] },
    policy: { triggers: { onBatterySeconds: 120 }, flap },
    now: 100,
    critical: false,
    becomesCriticalAt: 150,
  },
  {
    name: 'flapping drains the battery: a low charge counts even inside the flap guard',
    ups: {
      A: [
        ONLINE,
        [10, 'OB', { charge: 60 }],
        [12, 'OL'],
        [20, 'OB', { charge: 40 }],
        [22, 'OL'],
        [30, 'OB', { charge: 15 }],
      ],
    },
    policy: { triggers: { chargeBelowPercent: 20 }, flap },
    now: 31,
    critical: true,
    reasons: ['FLAPPING', 'CHARGE_LOW'],
  },

  // DEADTIME counted once, from the monitor's last good poll (reported late, it does not add up)
  {
    name: 'comm loss reported 14 s after the last good poll on battery: critical 1 s later, not 15',
    ups: { A: [ONLINE, [10, 'OB'], [26, 'lost', { lastGood: 12 }]] },
    now: 27,
    critical: true,
    reasons: ['COMM_LOST_ON_BATTERY'],
  },
  {
    name: 'comm loss reported at once: DEADTIME runs from the last good poll',
    ups: { A: [ONLINE, [10, 'OB'], [13, 'lost', { lastGood: 12 }]] },
    now: 20,
    critical: false,
    becomesCriticalAt: 27,
    reasons: ['COMM_LOST_GRACE'],
  },
  {
    name: 'two UPSes, minSupplies 1: one silent on battery past DEADTIME, the other then LB',
    ups: {
      A: [ONLINE, [10, 'OB'], [14, 'lost', { lastGood: 12 }]],
      B: [ONLINE, [10, 'OB'], [40, 'OB LB']],
    },
    now: 41,
    critical: true,
    reasons: ['COMM_LOST_ON_BATTERY', 'LOW_BATTERY', 'SUPPLIES_INSUFFICIENT'],
  },
  {
    name: 'comm lost while last seen OFF: critical after DEADTIME (upsmon 2.8.1+)',
    ups: { A: [ONLINE, [10, 'OL OFF'], [20, 'lost', { lastGood: 20 }]] },
    policy: { off: { offDurationSeconds: undefined } },
    now: 36,
    critical: true,
    reasons: ['COMM_LOST_ON_BATTERY'],
  },

  // Sentinel readings are unknown: never a trigger
  {
    name: 'charge -1 on battery never satisfies a charge threshold',
    ups: { A: [ONLINE, [10, 'OB', { charge: -1, runtime: 1200 }]] },
    policy: { triggers: { chargeBelowPercent: 20 } },
    now: 20,
    critical: false,
    reasons: ['READING_UNKNOWN'],
  },
  {
    name: 'runtime 65535 is a placeholder, not 18 hours',
    ups: { A: [ONLINE, [10, 'OB', { charge: 80, runtime: 65535 }]] },
    policy: { triggers: { runtimeBelowSeconds: 600 } },
    now: 20,
    critical: false,
    reasons: ['READING_UNKNOWN'],
  },
  {
    name: 'runtime 0 with 90 % charge is the "0 on mains" quirk: unknown, not critical',
    ups: { A: [ONLINE, [10, 'OB', { charge: 90, runtime: 0 }]] },
    policy: { triggers: { runtimeBelowSeconds: 300 } },
    now: 20,
    critical: false,
    reasons: ['READING_UNKNOWN'],
  },
  {
    name: 'runtime -1 is unknown; a plausible low charge still triggers',
    ups: { A: [ONLINE, [10, 'OB', { charge: 12, runtime: -1 }]] },
    policy: { triggers: { runtimeBelowSeconds: 300, chargeBelowPercent: 20 } },
    now: 20,
    critical: true,
    reasons: ['READING_UNKNOWN', 'CHARGE_LOW'],
  },
  {
    name: 'runtime unknown: predicted from the observed discharge and acted upon',
    ups: {
      A: [
        ONLINE,
        [10, 'OB', { charge: 50, runtime: 65535 }],
        [40, 'OB', { charge: 45, runtime: 65535 }],
        [70, 'OB', { charge: 40, runtime: 65535 }],
      ],
    },
    policy: { triggers: { runtimeBelowSeconds: 300 } },
    now: 71,
    critical: true,
    reasons: ['READING_UNKNOWN', 'RUNTIME_LOW'],
  },

  // Calibration
  {
    name: 'OB LB CAL at 15 % charge with a 20 % threshold: the calibration excuses both',
    ups: { A: [ONLINE, [10, 'OB LB CAL', { charge: 15, runtime: 900, inputVoltage: 230 }]] },
    policy: { triggers: { chargeBelowPercent: 20 } },
    now: 60,
    critical: false,
    reasons: ['CALIBRATION'],
  },
  {
    name: 'CAL at 3 % charge is below the emergency floor: critical',
    ups: { A: [ONLINE, [10, 'OB LB CAL', { charge: 3, runtime: 40, inputVoltage: 230 }]] },
    policy: { triggers: { chargeBelowPercent: 20 } },
    now: 60,
    critical: true,
    reasons: ['CALIBRATION_EMERGENCY'],
  },
  {
    name: 'CAL with no input voltage is a real outage: LB counts',
    ups: { A: [ONLINE, [10, 'OB LB CAL', { charge: 30, runtime: 600, inputVoltage: 0 }]] },
    now: 20,
    critical: true,
    reasons: ['CALIBRATION_NO_INPUT', 'LOW_BATTERY'],
  },
  {
    name: 'a CAL flag stuck past the longest calibration is no longer believed',
    ups: { A: [ONLINE, [10, 'OB LB CAL', { charge: 30, runtime: 600 }]] },
    policy: { calibration: { maxSeconds: 1800 } },
    now: 1811,
    critical: true,
    reasons: ['CALIBRATION_TOO_LONG', 'LOW_BATTERY'],
  },

  // OFF (upsmon 2.8.1+ OFFDURATION)
  {
    name: 'OB OFF is never an immediate shutdown',
    ups: { A: [ONLINE, [10, 'OB OFF', { charge: 90 }]] },
    policy: { triggers: { onBatterySeconds: 5 } },
    now: 20,
    critical: false,
    becomesCriticalAt: 40,
    reasons: ['UPS_OFF_PENDING'],
  },
  {
    name: 'OFF for OFFDURATION: no longer a supply',
    ups: { A: [ONLINE, [10, 'OL OFF']] },
    now: 40,
    critical: true,
    reasons: ['UPS_OFF'],
  },
  {
    name: 'OFF on one of two redundant supplies: the host keeps running',
    ups: { A: [ONLINE, [10, 'OL OFF']], B: [ONLINE] },
    now: 400,
    critical: false,
    reasons: ['UPS_OFF', 'SUPPLIES_SUFFICIENT'],
  },
  {
    name: 'OFFDURATION -1 never counts OFF',
    ups: { A: [ONLINE, [10, 'OL OFF']] },
    policy: { off: { offDurationSeconds: undefined } },
    now: 4000,
    critical: false,
    reasons: ['UPS_OFF_IGNORED'],
  },

  // The optional on-battery budget, and timers after a restart
  {
    name: 'budget: blips summing 40 s within the window make the supply critical on the next',
    ups: {
      A: [ONLINE, [10, 'OB'], [24, 'OL'], [40, 'OB'], [54, 'OL'], [70, 'OB']],
    },
    policy: { flap: { ...flap, onBatteryBudgetSeconds: 40 } },
    now: 82,
    critical: true,
    reasons: ['ON_BATTERY_BUDGET'],
  },
  {
    name: 'after a restart onto battery, the on-battery timer starts at the restart',
    ups: { A: [ONLINE, [10, 'OB', { charge: 90 }]] },
    policy: { triggers: { onBatterySeconds: 120 } },
    timersFrom: 300,
    now: 360,
    critical: false,
    becomesCriticalAt: 420,
  },
  {
    name: 'after a restart, LB still counts at once',
    ups: { A: [ONLINE, [10, 'OB'], [200, 'OB LB']] },
    policy: { triggers: { onBatterySeconds: 120 } },
    timersFrom: 300,
    now: 301,
    critical: true,
    reasons: ['LOW_BATTERY'],
  },

  // Replay
  {
    name: 'observations after now are ignored (replaying an outage)',
    ups: { A: [ONLINE, [10, 'OB'], [100, 'OB LB']] },
    now: 50,
    critical: false,
  },
];

describe('decision engine scenarios', () => {
  it('has at least 40 scenarios', () => assert.ok(scenarios.length >= 40, `${scenarios.length} scenarios`));

  for (const s of scenarios) {
    it(s.name, () => {
      const histories = new Map<string, UpsHistory>(
        Object.entries(s.ups).map(([id, steps]) => [id, history(id, steps)]),
      );
      const byUps = s.feeds ?? Object.fromEntries(Object.keys(s.ups).map((id) => [id, 1]));
      const decision = decideHost({
        host: host('h1', { minSupplies: s.minSupplies ?? 1 }),
        feeds: feeds('h1', byUps),
        histories,
        policy: resolveShutdownPolicy({ id: 'default', ...s.policy }),
        now: at(s.now),
        ...(s.timersFrom !== undefined
          ? { timersFrom: new Map(Object.keys(s.ups).map((id) => [id, at(s.timersFrom ?? 0)])) }
          : {}),
      });
      const explain = `\n${decision.summary}\n${decision.reasons.map((r) => `  ${r.code}: ${r.message}`).join('\n')}`;
      assert.equal(decision.critical, s.critical, explain);
      if (s.becomesCriticalAt !== undefined)
        assert.equal(decision.becomesCriticalAt, at(s.becomesCriticalAt), `becomesCriticalAt${explain}`);
      if (s.nextEvaluationAt !== undefined)
        assert.equal(decision.nextEvaluationAt, at(s.nextEvaluationAt), `nextEvaluationAt${explain}`);
      for (const code of s.reasons ?? []) {
        assert.ok(
          decision.reasons.some((r) => r.code === code),
          `missing reason ${code}${explain}`,
        );
      }
      for (const reason of decision.reasons) assert.ok(reason.message.length > 0);
    });
  }
});
