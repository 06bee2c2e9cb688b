import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { type VmInventory } from './fleet-inventory';
import { assessHostProtection, type HostProtectionContext, type HostProtectionFacts } from './host-protection';
import { HOST_PROTECTION_WARNING_CODES, type HostRuntimeCheck } from './shutdown-plan.types';

const vm = (name: string, toolsState: VmInventory['toolsState'], powerState: VmInventory['powerState'] = 'on') => ({
  id: name,
  name,
  powerState,
  toolsState,
});

/** A host nutfleet can protect: every fact as it should be. */
const protectedHost: HostProtectionFacts = {
  hostId: 'h1',
  hostName: 'esx-01',
  trust: 'trusted',
  hasCredentials: true,
  poweredOff: false,
  discovery: {
    at: '2026-12-04T10:00:00.000Z',
    vms: [vm('db', 'running'), vm('old', 'not-installed', 'off')],
    fallbackClient: { state: 'in-sync' },
  },
  supplyingFeeds: 1,
  macAddresses: ['00:50:56:00:00:01'],
};

const check = (predictedEndSeconds: number, batteryRuntimeSeconds?: number): HostRuntimeCheck => ({
  hostId: 'h1',
  hostName: 'esx-01',
  predictedEndSeconds,
  deadlineOffsetSeconds: predictedEndSeconds * 2,
  ...(batteryRuntimeSeconds === undefined
    ? {}
    : {
        batteryRuntimeSeconds,
        limitingUpsId: 'ups-a',
        marginSeconds: batteryRuntimeSeconds - predictedEndSeconds - 30,
      }),
});

const context: HostProtectionContext = { runtimeCheck: check(200, 1200), vmWithoutTools: 'power-off' };

const assess = (host: Partial<HostProtectionFacts>, ctx: Partial<HostProtectionContext> = {}) =>
  assessHostProtection({ ...protectedHost, ...host }, { ...context, ...ctx });
const codes = (host: Partial<HostProtectionFacts>, ctx: Partial<HostProtectionContext> = {}): string[] =>
  assess(host, ctx).map((w) => w.code);
const only = (host: Partial<HostProtectionFacts>, ctx: Partial<HostProtectionContext> = {}) => {
  const warnings = assess(host, ctx);
  assert.equal(warnings.length, 1, `one warning expected, got ${warnings.map((w) => w.code).join(', ')}`);
  const [warning] = warnings;
  assert.ok(warning);
  assert.equal(warning.hostId, 'h1');
  assert.equal(warning.hostName, 'esx-01');
  assert.match(warning.message, /^esx-01: /, 'the message names the host');
  return warning;
};

describe('assessHostProtection', () => {
  test('a fully protected host has no warning', () => {
    assert.deepEqual(assess({}), []);
  });

  test('UNTRUSTED_KEY: a key never trusted, with how to trust it', () => {
    const w = only({ trust: 'untrusted' });
    assert.equal(w.code, 'UNTRUSTED_KEY');
    assert.match(w.message, /never trusted.*cannot shut its VMs down.*accept it/);
  });

  test('KEY_MISMATCH: the host presented another key', () => {
    const w = only({ trust: 'mismatch' });
    assert.equal(w.code, 'KEY_MISMATCH');
    assert.match(w.message, /different from the one trusted.*Find out why/);
  });

  test('NEVER_DISCOVERED alone stands for what discovery would say (VMs, Tools, VIB)', () => {
    const w = only({ discovery: undefined });
    assert.equal(w.code, 'NEVER_DISCOVERED');
    assert.match(w.message, /never discovered.*Run discovery \(POST \/hosts\/h1\/discover\)/);
  });

  test('UNREACHABLE: the last SSH attempt failed, with the error', () => {
    const w = only({ unreachable: 'connect ECONNREFUSED 10.0.0.1:22' });
    assert.equal(w.code, 'UNREACHABLE');
    assert.match(w.message, /ECONNREFUSED 10\.0\.0\.1:22.*Check its address/);
  });

  test('a host nutfleet powered off is not unreachable, nor short of battery, nor stuck on Tools', () => {
    assert.deepEqual(
      codes(
        {
          poweredOff: true,
          unreachable: 'timed out',
          discovery: { ...protectedHost.discovery!, vms: [vm('web', 'not-running')] },
        },
        { runtimeCheck: check(900, 100) },
      ),
      [],
    );
  });

  test('NO_CREDENTIALS: nothing to log in with', () => {
    const w = only({ hasCredentials: false });
    assert.equal(w.code, 'NO_CREDENTIALS');
    assert.match(w.message, /no SSH password or private key.*admin sets its credentials/);
  });

  test('NO_POWER_FEED: no UPS feeds it (a watch-only feed does not count)', () => {
    const w = only({ supplyingFeeds: 0 });
    assert.equal(w.code, 'NO_POWER_FEED');
    assert.match(w.message, /no outage ever triggers its shutdown.*Add a power feed/);
  });

  test('NO_FALLBACK_CLIENT: the VIB is not installed', () => {
    const w = only({ discovery: { ...protectedHost.discovery!, fallbackClient: { state: 'not-installed' } } });
    assert.equal(w.code, 'NO_FALLBACK_CLIENT');
    assert.match(w.message, /VIB is not installed.*Roll the VIB out/);
  });

  test('NO_FALLBACK_CLIENT: the VIB settings drifted, each difference said', () => {
    const reasons = ['NutFinalDelay: 880 → 1100', 'NutUpsName: (unset) → ups-a@nut1'];
    const w = only({ discovery: { ...protectedHost.discovery!, fallbackClient: { state: 'drifted', reasons } } });
    assert.equal(w.code, 'NO_FALLBACK_CLIENT');
    assert.match(w.message, /NutFinalDelay: 880 → 1100; NutUpsName: \(unset\) → ups-a@nut1/);
    assert.deepEqual(w.values, { differences: 2 });
  });

  test('NO_FALLBACK_CLIENT: desired settings that cannot be computed', () => {
    const w = only({
      discovery: {
        ...protectedHost.discovery!,
        fallbackClient: { state: 'unconfigurable', problems: ['feeds: the NUT server has no credentials'] },
      },
    });
    assert.equal(w.code, 'NO_FALLBACK_CLIENT');
    assert.match(w.message, /cannot be computed \(feeds: the NUT server has no credentials\)/);
  });

  test('NO_WOL_MAC: nothing to wake it with', () => {
    const w = only({ macAddresses: [] });
    assert.equal(w.code, 'NO_WOL_MAC');
    assert.match(w.message, /Wake-on-LAN.*cannot power it back on/);
  });

  test('VM_WITHOUT_TOOLS: running VMs without Tools are named, with what the policy does to them', () => {
    const vms = [
      vm('web', 'not-running'),
      vm('legacy', 'not-installed'),
      vm('db', 'running'),
      vm('off', 'not-installed', 'off'),
    ];
    const w = only({ discovery: { ...protectedHost.discovery!, vms } }, { vmWithoutTools: 'suspend' });
    assert.equal(w.code, 'VM_WITHOUT_TOOLS');
    assert.match(
      w.message,
      /2 running VM\(s\).*web \(Tools not-running\), legacy \(Tools not-installed\); they would be suspended/,
    );
    assert.deepEqual(w.values, { vms: 2 });
  });

  test('VM_WITHOUT_TOOLS: Tools unknown still get a guest shutdown, and a chosen override is no surprise', () => {
    const vms: VmInventory[] = [
      vm('maybe', 'unknown'),
      { ...vm('appliance', 'not-installed'), override: { action: 'power-off' } },
    ];
    assert.deepEqual(codes({ discovery: { ...protectedHost.discovery!, vms } }), []);
  });

  test('VM_WITHOUT_TOOLS: many VMs are counted past the first five', () => {
    const vms = Array.from({ length: 8 }, (_, i) => vm(`vm${i}`, 'not-running'));
    const w = only({ discovery: { ...protectedHost.discovery!, vms } });
    assert.match(w.message, /8 running VM\(s\).*vm4 \(Tools not-running\) and 3 more; they would be powered off hard/);
  });

  test('VMS_UNKNOWN: the VM list could not be read, with the error', () => {
    const w = only({ discovery: { ...protectedHost.discovery!, vms: { unknown: 'VmListParseError: line 3' } } });
    assert.equal(w.code, 'VMS_UNKNOWN');
    assert.match(w.message, /could not be read.*VmListParseError: line 3.*reads the list again before its poweroff/);
  });

  test('PLAN_OUTLASTS_BATTERY: the predicted shutdown ends after the supplies do', () => {
    const w = only({}, { runtimeCheck: check(600, 500) });
    assert.equal(w.code, 'PLAN_OUTLASTS_BATTERY');
    assert.match(w.message, /predicted to finish 600 s after the plan starts, but ups-a lasts 500 s \(130 s short/);
    assert.equal(w.values.marginSeconds, -130);
    assert.match(
      only({}, { runtimeCheck: check(600, 500), limitingUpsName: 'ups1@nut-paris' }).message,
      /ups1@nut-paris lasts/,
    );
  });

  test('PLAN_OUTLASTS_BATTERY: within the margin is fine; an unknown runtime is no margin and no claim', () => {
    assert.deepEqual(codes({}, { runtimeCheck: check(600, 631) }), []);
    assert.deepEqual(codes({}, { runtimeCheck: check(600, 629) }), ['PLAN_OUTLASTS_BATTERY']);
    assert.deepEqual(codes({}, { runtimeCheck: check(600) }), []);
  });

  test('problems add up, in a stable order', () => {
    assert.deepEqual(
      codes({ trust: 'untrusted', hasCredentials: false, supplyingFeeds: 0, discovery: undefined, macAddresses: [] }),
      ['UNTRUSTED_KEY', 'NO_CREDENTIALS', 'NO_POWER_FEED', 'NO_WOL_MAC', 'NEVER_DISCOVERED'],
    );
  });

  test('every code has a test above', () => {
    const covered = new Set([
      'UNTRUSTED_KEY',
      'KEY_MISMATCH',
      'NEVER_DISCOVERED',
      'UNREACHABLE',
      'NO_CREDENTIALS',
      'NO_POWER_FEED',
      'NO_FALLBACK_CLIENT',
      'NO_WOL_MAC',
      'VM_WITHOUT_TOOLS',
      'PLAN_OUTLASTS_BATTERY',
      'VMS_UNKNOWN',
    ]);
    assert.deepEqual([...HOST_PROTECTION_WARNING_CODES].sort(), [...covered].sort());
  });
});
