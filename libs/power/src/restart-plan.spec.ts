import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Step, at, feeds, history, host, vm } from '../test/power-fixtures';
import { type RestartGateInput, evaluateRestartGate } from './restart-gate.evaluator';
import { buildRestartPlan } from './restart-plan.builder';

// Wave 0: nas (UPS A); wave 1: esx1 (A) and esx2 (B); esx3 was down before the outage.
const plan = buildRestartPlan({
  planKey: 'restart-1',
  hosts: [
    {
      host: host('esx2', { restartWave: 1, vms: [vm('v2', { autostartOrder: 1 })], autostartEnabled: true }),
      wasUpBeforeOutage: true,
    },
    { host: host('nas', { restartWave: 0 }), wasUpBeforeOutage: true },
    {
      host: host('esx1', {
        restartWave: 1,
        vms: [
          vm('late', { autostartOrder: 2 }),
          vm('any'),
          vm('first', { autostartOrder: 1 }),
          vm('was-off', { powerState: 'off' }),
        ],
      }),
      wasUpBeforeOutage: true,
    },
    { host: host('esx3', { restartWave: 1 }), wasUpBeforeOutage: false },
  ],
  feeds: [
    ...feeds('nas', { A: 1 }),
    ...feeds('esx1', { A: 1 }),
    ...feeds('esx2', { B: 1 }),
    ...feeds('esx3', { B: 1 }),
  ],
  hostTimeoutSeconds: 600,
});

describe('buildRestartPlan', () => {
  it('waves in order, only hosts that were up before the outage', () => {
    assert.deepEqual(
      plan.waves.map((w) => [w.wave, w.hostIds, w.upsIds]),
      [
        [0, ['nas'], ['A']],
        [1, ['esx1', 'esx2'], ['A', 'B']],
      ],
    );
    assert.deepEqual(plan.skipped, [{ hostId: 'esx3', reason: 'esx3 was not up before the outage' }]);
  });

  it('includes hosts that were down when told to', () => {
    const all = buildRestartPlan({
      planKey: 'r',
      hosts: [{ host: host('x'), wasUpBeforeOutage: false }],
      feeds: [],
      includeHostsDownBeforeOutage: true,
    });
    assert.deepEqual(all.waves[0]?.hostIds, ['x']);
  });

  it('never wakes a host an operator left off, even when told to include every host, and says how to undo it', () => {
    const left = buildRestartPlan({
      planKey: 'r',
      hosts: [
        { host: host('x'), wasUpBeforeOutage: true, leftOffBy: 'operator:alice: left off, not woken by nutfleet' },
        { host: host('y'), wasUpBeforeOutage: true },
      ],
      feeds: [],
      includeHostsDownBeforeOutage: true,
    });
    assert.deepEqual(left.waves[0]?.hostIds, ['y']);
    assert.equal(left.steps.filter((s) => s.hostId === 'x').length, 0);
    assert.match(left.skipped[0]?.reason ?? '', /^x was left off \(operator:alice: .*\); POST \/hosts\/x\/allow-wake/);
  });

  it('per host: wake, wait for SSH, verify, then VMs in autostart order unless the host autostarts them', () => {
    const esx1 = plan.steps.filter((s) => s.hostId === 'esx1');
    assert.deepEqual(
      esx1.map((s) => s.key),
      ['host:esx1:wake', 'host:esx1:wait-ssh', 'host:esx1:verify-esxi', 'host:esx1:power-on-vms'],
    );
    assert.deepEqual(esx1[3]?.vmIds, ['first', 'late', 'any']);
    assert.deepEqual(esx1[1]?.dependsOn, ['host:esx1:wake']);
    assert.ok(!plan.steps.some((s) => s.key === 'host:esx2:power-on-vms'), 'esx2 autostarts its VMs itself');
  });

  it('with autostart enabled, only running VMs outside the sequence get a power-on step', () => {
    const mixed = buildRestartPlan({
      planKey: 'r',
      hosts: [
        {
          host: host('h', {
            autostartEnabled: true,
            vms: [vm('in-seq', { autostartOrder: 1 }), vm('outside'), vm('off', { powerState: 'off' })],
          }),
          wasUpBeforeOutage: true,
        },
      ],
      feeds: feeds('h', { A: 1 }),
    });
    assert.deepEqual(mixed.steps.find((s) => s.kind === 'power-on-vms')?.vmIds, ['outside']);
  });

  it('a short host budget still leaves most of it to the SSH wait', () => {
    const short = buildRestartPlan({
      planKey: 'r',
      hosts: [{ host: host('h'), wasUpBeforeOutage: true }],
      feeds: feeds('h', { A: 1 }),
      hostTimeoutSeconds: 20,
    });
    assert.equal(short.steps.find((s) => s.kind === 'wait-ssh')?.timeoutSeconds, 16);
    assert.equal(plan.steps.find((s) => s.kind === 'wait-ssh')?.timeoutSeconds, 530);
  });
});

describe('evaluateRestartGate', () => {
  const stable: Step[] = [
    [0, 'OB'],
    [100, 'OL', { charge: 80, runtime: 900 }],
  ];
  const gateInput = (over: Partial<RestartGateInput> = {}): RestartGateInput => ({
    plan,
    wave: 1,
    histories: [history('A', stable, 'nut-a'), history('B', stable, 'nut-b')],
    nutServers: [
      { id: 'nut-a', reachable: true },
      { id: 'nut-b', reachable: true },
    ],
    hostProgress: [{ hostId: 'nas', state: 'verified', wokenAt: at(400) }],
    lastShutdown: { durationSeconds: 300 },
    policy: { stableSeconds: 300, minChargePercent: 50 },
    now: at(1000),
    ...over,
  });
  const gate = (result: ReturnType<typeof evaluateRestartGate>, name: string) =>
    result.checks.find((c) => c.gate === name);

  it('all gates open', () => {
    const r = evaluateRestartGate(gateInput());
    assert.equal(r.open, true, JSON.stringify(r.checks, null, 1));
    assert.equal(r.recheckAt, undefined);
  });

  it('first wave has nothing earlier to wait for', () => {
    const r = evaluateRestartGate(gateInput({ wave: 0, hostProgress: [] }));
    assert.equal(gate(r, 'earlier-waves')?.open, true);
  });

  it('stable window not elapsed: closed, re-check when it will be', () => {
    const r = evaluateRestartGate(gateInput({ now: at(250) }));
    assert.equal(r.open, false);
    assert.equal(gate(r, 'power-stable')?.open, false);
    assert.equal(r.recheckAt, at(400));
  });

  it('a flap restarts the stability window', () => {
    const flapped: Step[] = [...stable, [700, 'OB'], [710, 'OL', { charge: 80, runtime: 900 }]];
    const r = evaluateRestartGate(
      gateInput({ histories: [history('A', flapped, 'nut-a'), history('B', stable, 'nut-b')] }),
    );
    assert.equal(gate(r, 'power-stable')?.open, false);
    assert.equal(r.recheckAt, at(1010));
  });

  it('a UPS on battery again: closed with no re-check instant (power failed again)', () => {
    const r = evaluateRestartGate(
      gateInput({ histories: [history('A', [...stable, [900, 'OB']], 'nut-a'), history('B', stable, 'nut-b')] }),
    );
    assert.equal(gate(r, 'power-stable')?.open, false);
    assert.equal(r.recheckAt, undefined);
  });

  it('charge below the minimum and not enough runtime for another shutdown: holds', () => {
    const low: Step[] = [
      [0, 'OB'],
      [100, 'OL', { charge: 30, runtime: 200 }],
    ];
    const r = evaluateRestartGate(
      gateInput({ histories: [history('A', low, 'nut-a'), history('B', stable, 'nut-b')] }),
    );
    const battery = gate(r, 'battery');
    assert.equal(battery?.open, false);
    assert.ok(
      battery?.reasons.some((m) => m.includes('A charge 30 % < 50 %') && m.includes('200 s < 360 s')),
      JSON.stringify(battery?.reasons),
    );
    assert.equal(r.open, false);
    assert.equal(r.recheckAt, undefined);
  });

  it('charge below the minimum but runtime survives another full shutdown: opens', () => {
    const low: Step[] = [
      [0, 'OB'],
      [100, 'OL', { charge: 30, runtime: 400 }],
    ];
    const r = evaluateRestartGate(
      gateInput({ histories: [history('A', low, 'nut-a'), history('B', stable, 'nut-b')] }),
    );
    assert.equal(gate(r, 'battery')?.open, true);
  });

  it('survive computation prefers the per-UPS measured duration', () => {
    const low: Step[] = [
      [0, 'OB'],
      [100, 'OL', { charge: 30, runtime: 400 }],
    ];
    const r = evaluateRestartGate(
      gateInput({
        histories: [history('A', low, 'nut-a'), history('B', stable, 'nut-b')],
        lastShutdown: { durationSeconds: 100, perUpsSeconds: { A: 500 } },
      }),
    );
    assert.equal(gate(r, 'battery')?.open, false);
  });

  it('charge below the minimum and no measured shutdown: holds', () => {
    const low: Step[] = [
      [0, 'OB'],
      [100, 'OL', { charge: 30, runtime: 4000 }],
    ];
    const r = evaluateRestartGate(
      gateInput({ histories: [history('A', low, 'nut-a'), history('B', stable, 'nut-b')], lastShutdown: undefined }),
    );
    assert.equal(gate(r, 'battery')?.open, false);
  });

  it('NUT server unreachable: closed', () => {
    const r = evaluateRestartGate(
      gateInput({
        nutServers: [
          { id: 'nut-a', reachable: true },
          { id: 'nut-b', reachable: false },
        ],
      }),
    );
    const nut = gate(r, 'nut-servers');
    assert.equal(nut?.open, false);
    assert.ok(nut?.reasons.some((m) => m.includes('nut-b unreachable')));
  });

  it('earlier wave woken but not verified yet: closed until its timeout', () => {
    const r = evaluateRestartGate(gateInput({ hostProgress: [{ hostId: 'nas', state: 'waking', wokenAt: at(700) }] }));
    assert.equal(gate(r, 'earlier-waves')?.open, false);
    assert.equal(r.recheckAt, at(1300));
    assert.deepEqual(r.timedOutHostIds, []);
  });

  it('earlier-wave host past its timeout: reported, does not hold the wave', () => {
    const r = evaluateRestartGate(gateInput({ hostProgress: [{ hostId: 'nas', state: 'waking', wokenAt: at(300) }] }));
    assert.equal(r.open, true);
    assert.deepEqual(r.timedOutHostIds, ['nas']);
  });

  it('earlier-wave host failed: reported, does not hold the wave', () => {
    const r = evaluateRestartGate(gateInput({ hostProgress: [{ hostId: 'nas', state: 'failed', wokenAt: at(900) }] }));
    assert.equal(r.open, true);
    assert.deepEqual(r.timedOutHostIds, ['nas']);
  });

  it('earlier wave not even woken: closed, nothing to wait for on the clock', () => {
    const r = evaluateRestartGate(gateInput({ hostProgress: [] }));
    assert.equal(gate(r, 'earlier-waves')?.open, false);
    assert.equal(r.recheckAt, undefined);
  });

  it('several time-bound gates: re-check at the latest of them', () => {
    const r = evaluateRestartGate(
      gateInput({ now: at(250), hostProgress: [{ hostId: 'nas', state: 'waking', wokenAt: at(200) }] }),
    );
    assert.equal(r.recheckAt, at(800));
  });
});
