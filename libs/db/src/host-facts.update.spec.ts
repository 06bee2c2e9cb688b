import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  failedFactReads,
  type FactReadStatus,
  HOST_FACT_READS,
  HOST_FACTS_SCHEMA_VERSION,
  type HostFactRead,
  type HostFacts,
  knownVms,
  UNKNOWN_AUTOSTART_DEFAULTS,
} from './host-facts';
import { keepPreviousValuesOfFailedReads, withVerifiedNutClient } from './host-facts.update';

const T1 = '2026-11-01T10:00:00.000Z';
const T2 = '2026-11-02T10:00:00.000Z';

function facts(
  at: string,
  over: Partial<HostFacts> = {},
  failed: Partial<Record<HostFactRead, string>> = {},
): HostFacts {
  const reads = Object.fromEntries(
    HOST_FACT_READS.map((read): [HostFactRead, FactReadStatus] => [
      read,
      failed[read] === undefined
        ? { state: 'ok', at, by: 'discovery' }
        : { state: 'failed', at, error: { code: 'X', message: failed[read] }, valueReadAt: null },
    ]),
  ) as HostFacts['reads'];
  return {
    schemaVersion: HOST_FACTS_SCHEMA_VERSION,
    discoveredAt: at,
    reads,
    esxi: { product: 'VMware ESXi', version: '8.0.3', build: 'b', buildNumber: 1, update: 3, patch: 0 },
    nics: [],
    vms: [
      {
        id: 1,
        name: 'db',
        file: '[ds] db/db.vmx',
        guestOs: 'otherGuest',
        hwVersion: 'vmx-19',
        powerState: 'poweredOn',
        tools: 'running',
      },
    ],
    invalidVmIds: [],
    autostart: {
      defaults: { enabled: true, startDelay: 120, stopDelay: 120, waitForHeartbeat: false, stopAction: 'powerOff' },
      sequence: [],
    },
    nutClient: { installed: false },
    nutUserVars: {},
    acceptanceLevel: 'PartnerSupported',
    maintenanceMode: false,
    ...over,
  };
}

describe('keepPreviousValuesOfFailedReads', () => {
  it('a failed read takes back the previous value and says when it was read; ok reads are the new ones', () => {
    const previous = facts(T1);
    const next = facts(
      T2,
      { vms: [], autostart: { defaults: UNKNOWN_AUTOSTART_DEFAULTS, sequence: [] } },
      {
        vms: 'VM list unreadable',
        autostartDefaults: 'Unknown command',
      },
    );
    const merged = keepPreviousValuesOfFailedReads(next, previous);
    assert.deepEqual(merged.vms, previous.vms);
    assert.deepEqual(merged.autostart.defaults, previous.autostart.defaults);
    assert.deepEqual(merged.autostart.sequence, next.autostart.sequence);
    assert.deepEqual(merged.reads.vms, {
      state: 'failed',
      at: T2,
      error: { code: 'X', message: 'VM list unreadable' },
      valueReadAt: T1,
    });
    assert.equal(merged.reads.esxi.state, 'ok');
    // Still unknown to a reader that wants VMs it can trust.
    assert.equal(knownVms(merged), undefined);
    assert.deepEqual(
      failedFactReads(merged).map((f) => f.read),
      ['vms', 'autostartDefaults'],
    );
  });

  it('a value kept from an earlier failure keeps its original read time; never read stays unknown', () => {
    const first = facts(T1, { vms: [] }, { vms: 'never read' });
    const second = keepPreviousValuesOfFailedReads(facts(T2, { vms: [] }, { vms: 'still failing' }), first);
    assert.equal(second.reads.vms.state === 'failed' && second.reads.vms.valueReadAt, null);
    const kept = keepPreviousValuesOfFailedReads(facts(T2, {}, { vms: 'now failing' }), facts(T1));
    const third = keepPreviousValuesOfFailedReads(
      facts('2026-11-03T10:00:00.000Z', { vms: [] }, { vms: 'again' }),
      kept,
    );
    assert.equal(third.reads.vms.state === 'failed' && third.reads.vms.valueReadAt, T1);
    assert.equal(third.vms.length, 1);
  });

  it('ignores a previous document it cannot read', () => {
    const next = facts(T2, { esxi: null }, { esxi: 'x' });
    assert.deepEqual(keepPreviousValuesOfFailedReads(next, { schemaVersion: 1 }), next);
    assert.deepEqual(keepPreviousValuesOfFailedReads(next, null), next);
  });
});

describe('withVerifiedNutClient', () => {
  const at = new Date(T2);
  const installed = {
    installed: true as const,
    version: '2.8.5-2.7.3',
    vendor: 'Margar',
    acceptanceLevel: 'CommunitySupported',
    installDate: '2026-11-02',
  };

  it('sets the VIB and the UserVars read back, marked read by the rollout; the rest unchanged', () => {
    const current = facts(T1, { nutUserVars: { NutMailTo: { type: 'string', value: 'a@b', default: 'root@domain' } } });
    const updated = withVerifiedNutClient(current, {
      nutClient: installed,
      nutUserVars: { NutFinalDelay: { type: 'integer', value: 460, default: 5 } },
      at,
    });
    assert.ok(updated);
    assert.deepEqual(updated.nutClient, installed);
    assert.deepEqual(updated.nutUserVars, {
      NutMailTo: { type: 'string', value: 'a@b', default: 'root@domain' },
      NutFinalDelay: { type: 'integer', value: 460, default: 5 },
    });
    assert.deepEqual(updated.reads.nutClient, { state: 'ok', at: T2, by: 'rollout' });
    assert.deepEqual(updated.reads.nutUserVars, { state: 'ok', at: T2, by: 'rollout' });
    assert.deepEqual(updated.vms, current.vms);
    assert.equal(updated.discoveredAt, T1, 'not a discovery');
  });

  it('a removed VIB takes its options with it; a host never discovered gets no document', () => {
    const updated = withVerifiedNutClient(facts(T1), { nutClient: { installed: false }, nutUserVars: {}, at });
    assert.deepEqual(updated?.nutUserVars, {});
    assert.equal(withVerifiedNutClient(null, { nutClient: installed, at }), undefined);
  });
});
