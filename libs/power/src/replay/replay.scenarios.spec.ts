import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { type ReasonCode } from '../decision-reason';
import { type VmInventory } from '../fleet-inventory';
import { type ReplayHost, type ReplayInput, type ReplayTimelineEntry, parseReplayInput } from './replay-input';
import { type ReplayOutput, runReplay } from './replay.engine';

/**
 * Scenarios through the replay: the monitor's comm-state machine at a 1 s poll, the decision
 * engine, the outage lifecycle and the plan builder, as the live product runs them. Instants are
 * seconds from the start; a critical instant may land one poll after the exact one.
 */
interface Expect {
  /** Per host: the critical instant (±1 poll), or null for never. */
  readonly critical?: Readonly<Record<string, number | null>>;
  /** Per host: reason codes present at that instant. */
  readonly reasons?: Readonly<Record<string, readonly ReasonCode[]>>;
  /** Per host: when its poweroff goes out (±1 s), or null for never. */
  readonly powerOff?: Readonly<Record<string, number | null>>;
  /** Number of outages, and their close reasons in order (null: still open). */
  readonly outages?: ReadonlyArray<string | null>;
  /** Free-form check on the whole output. */
  readonly check?: (out: ReplayOutput) => void;
}

interface Scenario {
  readonly name: string;
  readonly input: ReplayInput;
  readonly expect: Expect;
}

type Extra = Omit<ReplayTimelineEntry, 't' | 'ups' | 'status'>;
const at = (t: number, ups: string, status: string, extra: Extra = {}): ReplayTimelineEntry => ({
  t,
  ups,
  status,
  ...extra,
});
const lost = (t: number, ups: string): ReplayTimelineEntry => ({ t, ups, comm: 'lost' });
const back = (t: number, ups: string): ReplayTimelineEntry => ({ t, ups, comm: 'ok' });
const full = (ups: string): ReplayTimelineEntry => at(0, ups, 'OL', { charge: 100, runtime: 1800, inputVoltage: 230 });

function host(
  id: string,
  ups: readonly string[],
  policy: ReplayHost['policy'] = {},
  more: Partial<ReplayHost> = {},
): ReplayHost {
  return { id, feeds: ups.map((upsId) => ({ upsId, powerValue: 1 })), minSupplies: 1, policy, ...more };
}

function input(
  upses: readonly string[],
  hosts: readonly ReplayHost[],
  timeline: readonly ReplayTimelineEntry[],
  more: Partial<ReplayInput> = {},
): ReplayInput {
  return {
    upses: upses.map((id) => ({ id })),
    hosts,
    timeline: [...upses.map(full), ...timeline],
    endAt: 900,
    ...more,
  };
}

const vm = (id: string, over: Partial<VmInventory> = {}): VmInventory => ({
  id,
  name: `vm-${id}`,
  powerState: 'on',
  toolsState: 'running',
  ...over,
});

const onBattery = (seconds: number): ReplayHost['policy'] => ({ triggers: { onBatterySeconds: seconds } });
const blips = (ups: string, starts: readonly number[], length: number, extra: Extra = {}): ReplayTimelineEntry[] =>
  starts.flatMap((s) => [at(s, ups, 'OB DISCHRG', extra), at(s + length, ups, 'OL CHRG', extra)]);

const scenarios: Scenario[] = [
  // LB and FSD: the UPS itself says it is about to die
  {
    name: 'OB then OB LB: critical at the LB poll (upsmon)',
    input: input(['A'], [host('h1', ['A'])], [at(10, 'A', 'OB DISCHRG'), at(60, 'A', 'OB DISCHRG LB')]),
    expect: { critical: { h1: 60 }, reasons: { h1: ['LOW_BATTERY'] }, powerOff: { h1: 60 } },
  },
  {
    name: 'on line all along: no decision, no outage',
    input: input(['A'], [host('h1', ['A'])], [at(100, 'A', 'OL CHRG')]),
    expect: { critical: { h1: null }, outages: [] },
  },
  {
    name: 'FSD is critical at once, even on line',
    input: input(['A'], [host('h1', ['A'])], [at(20, 'A', 'FSD OL')]),
    expect: { critical: { h1: 20 }, reasons: { h1: ['FORCED_SHUTDOWN'] } },
  },
  {
    name: 'LB while on line (charging after an outage) is not critical',
    input: input(['A'], [host('h1', ['A'])], [at(20, 'A', 'OL CHRG LB', { charge: 8 })]),
    expect: { critical: { h1: null } },
  },
  {
    name: 'OBLBDURATION: OB LB must last 10 s',
    input: input(
      ['A'],
      [host('h1', ['A'], { triggers: { lowBatteryConfirmSeconds: 10 } })],
      [at(5, 'A', 'OB'), at(30, 'A', 'OB LB')],
    ),
    expect: { critical: { h1: 40 } },
  },
  {
    name: 'OBLBDURATION: an LB that clears within it is not critical',
    input: input(
      ['A'],
      [host('h1', ['A'], { triggers: { lowBatteryConfirmSeconds: 10 } })],
      [at(5, 'A', 'OB'), at(30, 'A', 'OB LB'), at(35, 'A', 'OB'), at(60, 'A', 'OL')],
    ),
    expect: { critical: { h1: null } },
  },
  {
    name: 'an LB of one second still counts at once (no confirmation by default)',
    input: input(['A'], [host('h1', ['A'])], [at(5, 'A', 'OB'), at(30, 'A', 'OB LB'), at(31, 'A', 'OB')]),
    expect: { critical: { h1: 30 } },
  },
  {
    name: 'a 250 ms poll sees LB within a quarter second',
    input: input(['A'], [host('h1', ['A'])], [at(5, 'A', 'OB'), at(30.1, 'A', 'OB LB')], { pollIntervalMs: 250 }),
    expect: { check: (o) => assert.ok((o.hosts[0]?.criticalAt ?? 0) - 30.1 <= 0.26) },
  },

  // Time on battery: upssched's timer, cancelled by any return to line power
  {
    name: '30 s on battery policy: critical 30 s after the onset',
    input: input(['A'], [host('h1', ['A'], onBattery(30))], [at(10, 'A', 'OB DISCHRG', { charge: 90 })]),
    expect: { critical: { h1: 40 }, reasons: { h1: ['ON_BATTERY_TIME'] } },
  },
  {
    name: 'back on line before the timer: no shutdown, the outage ends',
    input: input(['A'], [host('h1', ['A'], onBattery(30))], [at(10, 'A', 'OB DISCHRG'), at(35, 'A', 'OL CHRG')]),
    expect: { critical: { h1: null }, outages: ['power-back'] },
  },
  {
    name: 'a 2 s blip under the 5 s flap guard starts nothing, even with a 1 s policy',
    input: input(['A'], [host('h1', ['A'], onBattery(1))], blips('A', [10], 2)),
    expect: { critical: { h1: null }, outages: ['power-back'] },
  },
  {
    name: 'flapping OB/OL every 5 s at 95 %, 30 s policy: never a shutdown, one outage throughout',
    input: input(
      ['A'],
      [host('h1', ['A'], { triggers: { onBatterySeconds: 30, chargeBelowPercent: 20 } })],
      blips(
        'A',
        Array.from({ length: 20 }, (_, i) => 10 + i * 10),
        5,
        { charge: 95 },
      ),
    ),
    expect: { critical: { h1: null }, outages: ['power-back'] },
  },
  {
    name: 'three 2 s blips within 10 minutes at 100 %: three short outages, no shutdown',
    input: input(['A'], [host('h1', ['A'], onBattery(20))], blips('A', [10, 200, 400], 2, { charge: 100 })),
    expect: { critical: { h1: null }, outages: ['power-back', 'power-back', 'power-back'] },
  },
  {
    name: 'three blips on A, then OB LB on B: exactly the hosts LB makes critical, once',
    input: input(
      ['A', 'B'],
      [host('a1', ['A'], onBattery(20)), host('b1', ['B'], onBattery(20)), host('b2', ['B'], onBattery(20))],
      [...blips('A', [10, 60, 110], 2, { charge: 100 }), at(150, 'B', 'OB DISCHRG'), at(152, 'B', 'OB LB')],
    ),
    expect: { critical: { a1: null, b1: 152, b2: 152 }, reasons: { b1: ['LOW_BATTERY'] } },
  },
  {
    name: 'flapping then a real outage: the timer counts from the last onset only',
    input: input(
      ['A'],
      [host('h1', ['A'], onBattery(60))],
      [...blips('A', [10, 30, 50], 3), at(70, 'A', 'OB DISCHRG')],
    ),
    expect: { critical: { h1: 130 } },
  },
  {
    name: 'flap guard 0: the 1 s policy counts the first second',
    input: input(
      ['A'],
      [host('h1', ['A'], { triggers: { onBatterySeconds: 1 }, flap: { guardSeconds: 0 } })],
      [at(10, 'A', 'OB')],
    ),
    expect: { critical: { h1: 11 } },
  },
  {
    name: 'flap guard 10: an 8 s outage is a blip',
    input: input(
      ['A'],
      [host('h1', ['A'], { triggers: { onBatterySeconds: 5 }, flap: { guardSeconds: 10 } })],
      blips('A', [10], 8),
    ),
    expect: { critical: { h1: null } },
  },
  {
    name: 'an optional budget: 15 s blips summing past 40 s within the window',
    input: input(
      ['A'],
      [host('h1', ['A'], { flap: { onBatteryBudgetSeconds: 40 } })],
      blips('A', [10, 40, 70, 100], 15),
    ),
    expect: { critical: { h1: 80 }, reasons: { h1: ['ON_BATTERY_BUDGET'] } },
  },

  // Charge and runtime, and what they are worth
  {
    name: 'charge 15 % ≤ 20 %: critical once past the flap guard',
    input: input(
      ['A'],
      [host('h1', ['A'], { triggers: { chargeBelowPercent: 20 } })],
      [at(10, 'A', 'OB', { charge: 15 })],
    ),
    expect: { critical: { h1: 15 }, reasons: { h1: ['CHARGE_LOW'] } },
  },
  {
    name: 'charge equal to the threshold counts (≤)',
    input: input(
      ['A'],
      [host('h1', ['A'], { triggers: { chargeBelowPercent: 20 } })],
      [at(10, 'A', 'OB', { charge: 20 })],
    ),
    expect: { critical: { h1: 15 } },
  },
  {
    name: 'charge -1 is unknown: never a "charge below 20 %" shutdown',
    input: input(
      ['A'],
      [host('h1', ['A'], { triggers: { chargeBelowPercent: 20 } })],
      [at(10, 'A', 'OB', { charge: -1 })],
    ),
    expect: { critical: { h1: null } },
  },
  {
    name: 'charge 150 is unknown',
    input: input(
      ['A'],
      [host('h1', ['A'], { triggers: { chargeBelowPercent: 20 } })],
      [at(10, 'A', 'OB', { charge: 150 })],
    ),
    expect: { critical: { h1: null } },
  },
  {
    name: 'runtime 65535 is a placeholder: no runtime shutdown, no false safety',
    input: input(
      ['A'],
      [host('h1', ['A'], { triggers: { runtimeBelowSeconds: 600 } })],
      [at(10, 'A', 'OB', { charge: 80, runtime: 65535 })],
    ),
    expect: { critical: { h1: null } },
  },
  {
    name: 'runtime 32767 is a placeholder too',
    input: input(
      ['A'],
      [host('h1', ['A'], { triggers: { runtimeBelowSeconds: 600 } })],
      [at(10, 'A', 'OB', { charge: 80, runtime: 32767 })],
    ),
    expect: { critical: { h1: null } },
  },
  {
    name: 'runtime 0 with 90 % charge (the "0 on mains" driver quirk) is unknown',
    input: input(
      ['A'],
      [host('h1', ['A'], { triggers: { runtimeBelowSeconds: 300 } })],
      [at(10, 'A', 'OB', { charge: 90, runtime: 0 })],
    ),
    expect: { critical: { h1: null } },
  },
  {
    name: 'runtime -1 is unknown',
    input: input(
      ['A'],
      [host('h1', ['A'], { triggers: { runtimeBelowSeconds: 300 } })],
      [at(10, 'A', 'OB', { charge: 50, runtime: -1 })],
    ),
    expect: { critical: { h1: null } },
  },
  {
    name: 'runtime 30000 s at 10 % charge is absurd, so unknown',
    input: input(
      ['A'],
      [host('h1', ['A'], { triggers: { runtimeBelowSeconds: 300 } })],
      [at(10, 'A', 'OB', { charge: 10, runtime: 30000 })],
    ),
    expect: { critical: { h1: null } },
  },
  {
    name: 'a plausible runtime of 100 s under a 120 s threshold: critical after the guard',
    input: input(
      ['A'],
      [host('h1', ['A'], { triggers: { runtimeBelowSeconds: 120 } })],
      [at(10, 'A', 'OB', { charge: 30, runtime: 100 })],
    ),
    expect: { critical: { h1: 15 }, reasons: { h1: ['RUNTIME_LOW'] } },
  },
  {
    name: 'runtime stuck at 65535, charge falling: the observed discharge is used',
    input: input(
      ['A'],
      [host('h1', ['A'], { triggers: { runtimeBelowSeconds: 300 } })],
      [
        at(10, 'A', 'OB', { charge: 60, runtime: 65535 }),
        ...Array.from({ length: 12 }, (_, i) => at(15 + i * 5, 'A', 'OB', { charge: 59 - i * 2 })),
      ],
    ),
    expect: {
      reasons: { h1: ['READING_UNKNOWN', 'RUNTIME_LOW'] },
      check: (o) => assert.ok(o.hosts[0]?.criticalAt !== null, 'critical from the predicted runtime'),
    },
  },
  {
    name: '"all": time and charge must both hold',
    input: input(
      ['A'],
      [host('h1', ['A'], { triggers: { onBatterySeconds: 30, chargeBelowPercent: 50, combination: 'all' } })],
      [at(10, 'A', 'OB', { charge: 60 }), at(50, 'A', 'OB', { charge: 45 })],
    ),
    expect: { critical: { h1: 50 } },
  },
  {
    name: '"all" with an unknown charge never holds',
    input: input(
      ['A'],
      [host('h1', ['A'], { triggers: { onBatterySeconds: 30, chargeBelowPercent: 50, combination: 'all' } })],
      [at(10, 'A', 'OB', { charge: -1 })],
    ),
    expect: { critical: { h1: null } },
  },

  // DEADTIME, once, from the last good poll
  {
    name: 'silent after on battery: critical DEADTIME after the last good poll (one UPS)',
    input: input(['A'], [host('h1', ['A'])], [at(10, 'A', 'OB DISCHRG'), lost(20, 'A')]),
    expect: { critical: { h1: 34 }, reasons: { h1: ['COMM_LOST_ON_BATTERY'] } },
  },
  {
    name: 'silent while on line: never critical',
    input: input(['A'], [host('h1', ['A'])], [lost(20, 'A')]),
    expect: { critical: { h1: null }, outages: [] },
  },
  {
    name: 'DEADTIME 60: critical 60 s after the last good poll',
    input: input(['A'], [host('h1', ['A'], { commLoss: { deadtimeSeconds: 60 } })], [at(10, 'A', 'OB'), lost(20, 'A')]),
    expect: { critical: { h1: 79 } },
  },
  {
    name: 'DEADTIME 5: the short silence report does not delay it',
    input: input(['A'], [host('h1', ['A'], { commLoss: { deadtimeSeconds: 5 } })], [at(10, 'A', 'OB'), lost(20, 'A')]),
    expect: { critical: { h1: 24 } },
  },
  {
    name: 'a 10 s silence on battery that ends: not critical',
    input: input(['A'], [host('h1', ['A'])], [at(10, 'A', 'OB'), lost(20, 'A'), back(30, 'A'), at(40, 'A', 'OL')]),
    expect: { critical: { h1: null } },
  },
  {
    name: 'two UPSes, minSupplies 1: one silent on battery, the other then LB',
    input: input(
      ['A', 'B'],
      [host('h1', ['A', 'B'])],
      [at(10, 'A', 'OB'), at(10, 'B', 'OB'), lost(20, 'A'), at(50, 'B', 'OB LB')],
    ),
    expect: { critical: { h1: 50 }, reasons: { h1: ['COMM_LOST_ON_BATTERY', 'LOW_BATTERY'] } },
  },
  {
    name: 'two UPSes, minSupplies 1: one silent on battery past DEADTIME is not enough',
    input: input(['A', 'B'], [host('h1', ['A', 'B'])], [at(10, 'A', 'OB'), at(10, 'B', 'OB'), lost(20, 'A')]),
    expect: { critical: { h1: null } },
  },
  {
    name: 'two UPSes, minSupplies 2: one silent on battery is critical at DEADTIME',
    input: input(['A', 'B'], [host('h1', ['A', 'B'], {}, { minSupplies: 2 })], [at(10, 'A', 'OB'), lost(20, 'A')]),
    expect: { critical: { h1: 34 } },
  },
  {
    name: 'DATA-STALE on battery is a silence: critical after DEADTIME',
    input: input(['A'], [host('h1', ['A'])], [at(10, 'A', 'OB'), { t: 20, ups: 'A', stale: true }]),
    expect: { critical: { h1: 34 } },
  },
  {
    name: 'DATA-STALE on line: never critical',
    input: input(['A'], [host('h1', ['A'])], [{ t: 20, ups: 'A', stale: true }]),
    expect: { critical: { h1: null } },
  },
  {
    name: 'silent after last seen OFF: critical after DEADTIME (upsmon 2.8.1+)',
    input: input(['A'], [host('h1', ['A'], { off: {} })], [at(10, 'A', 'OL OFF'), lost(20, 'A')]),
    expect: { critical: { h1: 34 } },
  },
  {
    name: 'a UPS never heard from counts as healthy',
    input: { upses: [{ id: 'A' }], hosts: [host('h1', ['A'])], timeline: [lost(0, 'A')], endAt: 300 },
    expect: { critical: { h1: null } },
  },

  // Redundancy (MINSUPPLIES with power values)
  {
    name: 'two UPSes, minSupplies 1: one OB LB is not critical',
    input: input(['A', 'B'], [host('h1', ['A', 'B'])], [at(10, 'A', 'OB'), at(30, 'A', 'OB LB')]),
    expect: { critical: { h1: null } },
  },
  {
    name: 'power value 2 on one feed: it alone keeps minSupplies 2',
    input: input(
      ['A', 'B'],
      [
        {
          id: 'h1',
          feeds: [
            { upsId: 'A', powerValue: 2 },
            { upsId: 'B', powerValue: 1 },
          ],
          minSupplies: 2,
        },
      ],
      [at(10, 'B', 'OB LB')],
    ),
    expect: { critical: { h1: null } },
  },
  {
    name: 'minSupplies 0: never shut down by power events',
    input: input(['A'], [host('h1', ['A'], {}, { minSupplies: 0 })], [at(10, 'A', 'OB LB')]),
    expect: { critical: { h1: null } },
  },

  // Calibration
  {
    name: 'OB LB CAL at 15 % with a 20 % policy: no shutdown, no outage',
    input: input(
      ['A'],
      [host('h1', ['A'], { triggers: { chargeBelowPercent: 20 } })],
      [at(10, 'A', 'OB LB CAL', { charge: 15, runtime: 900 })],
    ),
    expect: { critical: { h1: null }, outages: [] },
  },
  {
    name: 'CAL at 3 %: below the emergency floor, critical',
    input: input(
      ['A'],
      [host('h1', ['A'], { triggers: { chargeBelowPercent: 20 } })],
      [at(10, 'A', 'OB LB CAL', { charge: 3, runtime: 40 })],
    ),
    expect: { critical: { h1: 10 }, reasons: { h1: ['CALIBRATION_EMERGENCY'] } },
  },
  {
    name: 'CAL without input voltage is a real outage',
    input: input(['A'], [host('h1', ['A'])], [at(10, 'A', 'OB LB CAL', { charge: 40, runtime: 600, inputVoltage: 0 })]),
    expect: { critical: { h1: 10 }, reasons: { h1: ['CALIBRATION_NO_INPUT', 'LOW_BATTERY'] } },
  },
  {
    name: 'a CAL flag stuck past the longest calibration is no longer believed',
    input: input(
      ['A'],
      [host('h1', ['A'], { calibration: { maxSeconds: 300 } })],
      [at(10, 'A', 'OB LB CAL', { charge: 40, runtime: 600 })],
    ),
    expect: { critical: { h1: 310 }, reasons: { h1: ['CALIBRATION_TOO_LONG', 'LOW_BATTERY'] } },
  },

  // OFF
  {
    name: 'OB OFF is never an immediate shutdown: critical after OFFDURATION',
    input: input(['A'], [host('h1', ['A'], onBattery(5))], [at(10, 'A', 'OB OFF')]),
    expect: { critical: { h1: 40 }, reasons: { h1: ['UPS_OFF'] } },
  },
  {
    name: 'OFF on one of two redundant supplies: the host keeps running',
    input: input(['A', 'B'], [host('h1', ['A', 'B'])], [at(10, 'A', 'OL OFF')]),
    expect: { critical: { h1: null } },
  },
  {
    name: 'OFFDURATION never: OFF is ignored',
    input: input(['A'], [host('h1', ['A'], { off: {} })], [at(10, 'A', 'OL OFF')]),
    expect: { critical: { h1: null } },
  },

  // Plans: VMs, stages, the point of no return
  {
    name: 'a host with a VM: its poweroff goes out after the VM ladder (guest shutdown 60 s, then power-off 30 s)',
    input: input(
      ['A'],
      [host('h1', ['A'], { vm: { guestShutdownTimeoutSeconds: 60 } }, { vms: [vm('1')] })],
      [at(10, 'A', 'OB LB')],
    ),
    expect: {
      critical: { h1: 10 },
      powerOff: { h1: 100 },
      check: (o) =>
        assert.deepEqual(
          o.hosts[0]?.steps.map((s) => s.kind),
          ['vm-stop', 'host-power-off'],
        ),
    },
  },
  {
    name: "a VM without Tools gets the policy's suspend ladder",
    input: input(
      ['A'],
      [host('h1', ['A'], { vm: { suspendTimeoutSeconds: 30 } }, { vms: [vm('1', { toolsState: 'not-running' })] })],
      [at(10, 'A', 'OB LB')],
    ),
    expect: { powerOff: { h1: 70 } },
  },
  {
    name: 'a VM without Tools and a power-off policy is powered off, not suspended',
    input: input(
      ['A'],
      [
        host(
          'h1',
          ['A'],
          { vm: { withoutTools: 'power-off', powerOffTimeoutSeconds: 20 } },
          { vms: [vm('1', { toolsState: 'not-installed' })] },
        ),
      ],
      [at(10, 'A', 'OB LB')],
    ),
    expect: { powerOff: { h1: 30 } },
  },
  {
    name: 'stages: stage 1 goes down after stage 0 is done',
    input: input(
      ['A'],
      [host('h0', ['A'], {}, { stage: 0, measuredPowerOffSeconds: 40 }), host('h1', ['A'], {}, { stage: 1 })],
      [at(10, 'A', 'OB LB')],
    ),
    expect: { powerOff: { h0: 10, h1: 50 } },
  },
  {
    name: 'power back before the point of no return: the poweroff not sent yet is cancelled, the outage ends',
    input: input(
      ['A'],
      [host('h1', ['A'], { ...onBattery(20), pointOfNoReturnSeconds: 60 }, { vms: [vm('1')] })],
      [at(10, 'A', 'OB'), at(40, 'A', 'OL')],
    ),
    expect: { critical: { h1: 30 }, powerOff: { h1: null }, outages: ['power-back'] },
  },
  {
    name: 'power back after the point of no return: the plan completes, the restart ends the outage',
    input: input(
      ['A'],
      [host('h1', ['A'], { ...onBattery(20), pointOfNoReturnSeconds: 5 })],
      [at(10, 'A', 'OB'), at(60, 'A', 'OL')],
    ),
    expect: { critical: { h1: 30 }, powerOff: { h1: 30 }, outages: ['restarted'] },
  },
  {
    name: 'a late critical host joins the same outage',
    input: input(
      ['A', 'B'],
      [host('a1', ['A']), host('b1', ['B'])],
      [at(10, 'A', 'OB'), at(10, 'B', 'OB'), at(30, 'A', 'OB LB'), at(60, 'B', 'OB LB')],
    ),
    expect: { critical: { a1: 30, b1: 60 }, outages: [null], check: (o) => assert.equal(o.outages.length, 1) },
  },

  // The outage lifecycle
  {
    name: 'a feed that never left line power does not hold the outage open (minSupplies 2)',
    input: input(
      ['A', 'B'],
      [host('h1', ['A', 'B'], {}, { minSupplies: 2 })],
      [at(10, 'A', 'OB'), at(20, 'A', 'OB LB'), at(300, 'A', 'OL CHRG')],
    ),
    expect: {
      critical: { h1: 20 },
      outages: ['restarted'],
      check: (o) => assert.deepEqual(o.outages[0]?.upsIds, ['A']),
    },
  },
  {
    name: 'the next OB LB after a restart is a new outage that takes the host down again',
    input: input(
      ['A', 'B'],
      [host('h1', ['A', 'B'], {}, { minSupplies: 2 })],
      [at(10, 'A', 'OB LB'), at(300, 'A', 'OL CHRG'), at(600, 'A', 'OB'), at(610, 'A', 'OB LB')],
    ),
    expect: {
      critical: { h1: 10 },
      outages: ['restarted', null],
      check: (o) =>
        assert.ok(
          o.outages[1]?.events.some((e) => e.event === 'shed'),
          'the second outage sheds the host',
        ),
    },
  },
  {
    name: 'power lost again before the restart: the same outage, nothing planned twice',
    input: input(
      ['A'],
      [host('h1', ['A'], { pointOfNoReturnSeconds: 0 }), host('h2', ['A'], {}, { stage: 1, minSupplies: 1 })],
      [at(10, 'A', 'OB LB'), at(20, 'A', 'OL'), at(25, 'A', 'OB LB')],
    ),
    expect: {
      check: (o) => {
        assert.equal(o.outages.length, 1);
        assert.ok(o.outages[0]?.events.filter((e) => e.event === 'shed').length === 1);
      },
    },
  },
  {
    name: 'an outage without any plan ends once mains is back and stable',
    input: input(['A'], [host('h1', ['A'], onBattery(300))], [at(10, 'A', 'OB'), at(100, 'A', 'OL')]),
    expect: { outages: ['power-back'], check: (o) => assert.ok((o.outages[0]?.closedAt ?? 0) >= 110) },
  },
  {
    name: 'a WAIT placeholder at start is no reading; the LB after it counts',
    input: {
      upses: [{ id: 'A' }],
      hosts: [host('h1', ['A'])],
      timeline: [at(0, 'A', 'WAIT'), at(5, 'A', 'OB LB')],
      endAt: 300,
    },
    expect: { critical: { h1: 5 } },
  },
];

function check(s: Scenario): void {
  const out = runReplay(parseReplayInput(JSON.parse(JSON.stringify(s.input))));
  const byId = new Map(out.hosts.map((h) => [h.id, h]));
  const explain = (id: string): string =>
    `\n${JSON.stringify({ host: byId.get(id), outages: out.outages.map((o) => ({ ...o, events: o.events.map((e) => `${e.at} ${e.event} ${e.message ?? ''}`) })) }, null, 1)}`;
  for (const [id, expected] of Object.entries(s.expect.critical ?? {})) {
    const actual = byId.get(id)?.criticalAt ?? null;
    if (expected === null) assert.equal(actual, null, `${id} must never be critical${explain(id)}`);
    else
      assert.ok(
        actual !== null && actual >= expected && actual <= expected + 1,
        `${id} critical at ${actual}, expected ${expected} (±1 poll)${explain(id)}`,
      );
  }
  for (const [id, codes] of Object.entries(s.expect.reasons ?? {}))
    for (const code of codes)
      assert.ok(
        byId.get(id)?.reasons.some((r) => r.code === code),
        `${id} lacks reason ${code}${explain(id)}`,
      );
  for (const [id, expected] of Object.entries(s.expect.powerOff ?? {})) {
    const actual = byId.get(id)?.powerOffAt ?? null;
    if (expected === null) assert.equal(actual, null, `${id} must not be powered off${explain(id)}`);
    else
      assert.ok(
        actual !== null && Math.abs(actual - expected) <= 1,
        `${id} poweroff at ${actual}, expected ${expected}${explain(id)}`,
      );
  }
  if (s.expect.outages !== undefined)
    assert.deepEqual(
      out.outages.map((o) => o.closeReason),
      s.expect.outages,
      `outages${explain(out.hosts[0]?.id ?? '')}`,
    );
  s.expect.check?.(out);
}

describe('replay scenarios (monitor semantics, decisions, outage lifecycle, plans)', () => {
  it('has at least 60 scenarios', () => assert.ok(scenarios.length >= 60, `${scenarios.length} scenarios`));
  for (const s of scenarios) it(s.name, () => check(s));
});
