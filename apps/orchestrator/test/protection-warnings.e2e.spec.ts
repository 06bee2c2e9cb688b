import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { allReadsOk, HOST_FACTS_SCHEMA_VERSION, type HostFacts, type NutUserVarFacts, type Prisma } from '@nutfleet/db';

import { waitFor } from '@nutfleet/testing';

import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import { fingerprint, SECRETS } from './support/fixtures';

interface Warning {
  code: string;
  hostId?: string;
  hostName?: string;
  message: string;
}
interface Preview {
  hostCount: number;
  unprotected: number;
  warnings: Warning[];
}
interface Summary {
  totalHosts: number;
  unprotected: number;
  warningCount: number;
  warnings: Warning[];
}
interface DesiredConfig {
  ok: boolean;
  userVars: Record<string, string | number>;
}

const VIB_VERSION = '2.8.5-2.7.3';
const at = new Date().toISOString();

/** Facts as a discovery of a host running `vms` with the VIB set as `userVars` would write them. */
function facts(
  vms: HostFacts['vms'],
  userVars: Record<string, string | number>,
  reads: Partial<HostFacts['reads']> = {},
): HostFacts {
  const nutUserVars: Record<string, NutUserVarFacts> = {};
  for (const [name, value] of Object.entries(userVars))
    nutUserVars[name] =
      name === 'NutPassword'
        ? { type: 'secret', set: true }
        : typeof value === 'number'
          ? { type: 'integer', value, default: null }
          : { type: 'string', value, default: null };
  return {
    schemaVersion: HOST_FACTS_SCHEMA_VERSION,
    discoveredAt: at,
    reads: { ...allReadsOk(at), ...reads },
    esxi: { product: 'VMware ESXi', version: '8.0.3', build: 'Releasebuild-1', buildNumber: 1, update: 3, patch: 0 },
    nics: [],
    vms,
    invalidVmIds: [],
    autostart: {
      defaults: { enabled: true, startDelay: 120, stopDelay: 120, waitForHeartbeat: false, stopAction: 'powerOff' },
      sequence: [],
    },
    nutClient: {
      installed: true,
      version: VIB_VERSION,
      vendor: 'rgc',
      acceptanceLevel: 'CommunitySupported',
      installDate: null,
    },
    nutUserVars,
    acceptanceLevel: 'CommunitySupported',
    maintenanceMode: false,
  };
}

const vm = (id: number, name: string, tools: HostFacts['vms'][number]['tools']): HostFacts['vms'][number] => ({
  id,
  name,
  file: `[datastore1] ${name}/${name}.vmx`,
  guestOs: 'debian12_64Guest',
  hwVersion: 'vmx-19',
  powerState: 'poweredOn',
  tools,
});

describe(
  'protection warnings: the preview, the dry-run and the fleet summary name the hosts nutfleet could not protect',
  { timeout: 120_000 },
  () => {
    let t: ApiTestApp;
    let untrustedId: string;
    let safeId: string;
    let safeVars: Record<string, string | number>;
    let upsId: string;

    const preview = async (): Promise<Preview> => {
      const res = await t.call<Preview>('GET', '/plans/shutdown/preview?all=true', { token: t.tokens.viewer });
      assert.equal(res.status, 200, res.text);
      return res.body;
    };
    const summary = async (): Promise<Summary> => {
      const res = await t.call<Summary>('GET', '/fleet/summary', { token: t.tokens.viewer });
      assert.equal(res.status, 200, res.text);
      return res.body;
    };
    const codesOf = (warnings: Warning[], hostId: string): string[] =>
      warnings.filter((w) => w.hostId === hostId).map((w) => w.code);
    const setFacts = (hostId: string, value: HostFacts) =>
      t.db.prisma.host.update({
        where: { id: hostId },
        data: { facts: value as unknown as Prisma.InputJsonObject, vibVersion: VIB_VERSION },
      });

    /** The UPS as the monitor last read it: on line, with this battery.runtime. */
    const setRuntime = (seconds: number) =>
      t.db.prisma.ups.update({
        where: { id: upsId },
        data: {
          status: 'OL',
          commState: 'OK',
          lastSeenAt: new Date(),
          variables: { 'battery.charge': '100', 'battery.runtime': String(seconds) },
        },
      });

    before(async () => {
      t = await startApiTestApp();
      const server = await t.call<{ id: string }>('POST', '/nut-servers', {
        body: { name: 'nut-1', host: '10.0.0.5', username: 'monuser', password: SECRETS.nutPassword, tlsMode: 'OFF' },
      });
      assert.equal(server.status, 201, server.text);
      const ups = await t.call<{ id: string }>('POST', '/upses', {
        body: { name: 'ups-a', nutServerId: server.body.id },
      });
      assert.equal(ups.status, 201, ups.text);
      upsId = ups.body.id;
      await setRuntime(3600);
      const host = (name: string, seed: number, trusted: boolean) =>
        t.call<{ id: string; trustState: string }>('POST', '/hosts', {
          body: {
            name,
            address: `10.1.0.${seed}`,
            password: SECRETS.hostPassword,
            macAddresses: [`00-50-56-AA-BB-${String(seed).padStart(2, '0')}`],
            ...(trusted ? { hostKeyFingerprint: fingerprint(seed) } : {}),
            feeds: [{ upsId: ups.body.id, powerValue: 1 }],
          },
        });
      const untrusted = await host('esx-untrusted', 11, false);
      assert.equal(untrusted.status, 201, untrusted.text);
      assert.equal(untrusted.body.trustState, 'UNTRUSTED');
      untrustedId = untrusted.body.id;
      const safe = await host('esx-safe', 12, true);
      assert.equal(safe.status, 201, safe.text);
      assert.equal(safe.body.trustState, 'TRUSTED');
      safeId = safe.body.id;
      // esx-safe discovered with its VIB set exactly as the inventory wants it (its VMs count in its deadline).
      await setFacts(safeId, facts([vm(1, 'db', 'running')], {}));
      const desired = await t.call<DesiredConfig>('GET', `/hosts/${safeId}/desired-config`, { token: t.tokens.viewer });
      assert.equal(desired.status, 200, desired.text);
      assert.equal(desired.body.ok, true, desired.text);
      safeVars = desired.body.userVars;
      await setFacts(safeId, facts([vm(1, 'db', 'running')], safeVars));
    });
    after(async () => t?.close());

    test('GET /plans/shutdown/preview?all=true: UNTRUSTED_KEY for a host created without a trusted key, nothing for a protected one', async () => {
      const p = await preview();
      assert.equal(p.hostCount, 2);
      const untrusted = p.warnings.filter((w) => w.hostId === untrustedId);
      assert.deepEqual(
        untrusted.map((w) => w.code),
        ['UNTRUSTED_KEY', 'NEVER_DISCOVERED'],
      );
      for (const w of untrusted) {
        assert.equal(w.hostName, 'esx-untrusted');
        assert.match(w.message, /^esx-untrusted: /);
      }
      assert.match(untrusted[0]?.message ?? '', /never trusted.*accept it/);
      assert.deepEqual(codesOf(p.warnings, safeId), [], JSON.stringify(p.warnings));
      assert.equal(p.unprotected, 1);
    });

    test('GET /fleet/summary counts the unprotected host and lists its warnings', async () => {
      const s = await summary();
      assert.equal(s.totalHosts, 2);
      assert.equal(s.unprotected, 1);
      assert.equal(s.warningCount, 2);
      assert.deepEqual(
        s.warnings.map((w) => [w.hostName, w.code]),
        [
          ['esx-untrusted', 'UNTRUSTED_KEY'],
          ['esx-untrusted', 'NEVER_DISCOVERED'],
        ],
      );
    });

    test('VMs that could not be read, a VM without Tools and drifted VIB settings are named on the protected host', async () => {
      const failedVms = {
        state: 'failed' as const,
        at,
        error: { code: 'VmListParseError', message: 'esx-safe: vim-cmd vmsvc/getallvms: line 3 does not parse' },
        valueReadAt: null,
      };
      try {
        await setFacts(safeId, facts([], safeVars, { vms: failedVms }));
        let p = await preview();
        // (Its desired VIB timing, counted without VMs now, may drift as well.)
        assert.ok(codesOf(p.warnings, safeId).includes('VMS_UNKNOWN'), JSON.stringify(p.warnings));
        assert.ok(!codesOf(p.warnings, safeId).includes('VM_WITHOUT_TOOLS'));
        assert.match(p.warnings.find((w) => w.code === 'VMS_UNKNOWN')?.message ?? '', /VmListParseError.*line 3/);

        const finalDelay = Number(safeVars['NutFinalDelay']);
        await setFacts(
          safeId,
          facts([vm(1, 'db', 'running'), vm(2, 'legacy', 'notInstalled')], {
            ...safeVars,
            NutFinalDelay: finalDelay + 1,
          }),
        );
        p = await preview();
        assert.deepEqual(codesOf(p.warnings, safeId), ['NO_FALLBACK_CLIENT', 'VM_WITHOUT_TOOLS']);
        assert.match(
          p.warnings.find((w) => w.code === 'NO_FALLBACK_CLIENT')?.message ?? '',
          new RegExp(`NutFinalDelay: ${finalDelay + 1} → \\d+`),
        );
        assert.match(
          p.warnings.find((w) => w.code === 'VM_WITHOUT_TOOLS')?.message ?? '',
          /legacy \(Tools not-installed\)/,
        );
        assert.equal(p.unprotected, 2);
        // Written behind the API's back: the summary shows it once its protection part expires (within 10 s).
        await waitFor('the summary to count esx-safe', async () => (await summary()).unprotected === 2, 15_000, 250);
      } finally {
        await setFacts(safeId, facts([vm(1, 'db', 'running')], safeVars));
      }
    });

    test('PLAN_OUTLASTS_BATTERY when the shutdown ends after the battery; a sentinel runtime is no margin', async () => {
      try {
        await setRuntime(60);
        let p = await preview();
        assert.deepEqual(codesOf(p.warnings, safeId), ['PLAN_OUTLASTS_BATTERY'], 'said once, not also by the plan');
        assert.match(p.warnings.find((w) => w.hostId === safeId)?.message ?? '', /^esx-safe: .*ups-a@nut-1 lasts 60 s/);
        await setRuntime(65535);
        p = await preview();
        // The plan says the runtime is unknown; nothing claims the host is safe or short on battery.
        assert.deepEqual(codesOf(p.warnings, safeId), ['RUNTIME_UNKNOWN']);
      } finally {
        await setRuntime(3600);
      }
      assert.deepEqual(codesOf((await preview()).warnings, safeId), []);
    });

    test('a dry-run keeps the hosts it could not protect in its detail', async () => {
      const created = await t.call<{ id: string; detail: { protectionWarnings?: Warning[] } }>(
        'POST',
        '/plans/shutdown',
        {
          token: t.tokens.operator,
          body: { targets: { all: true }, mode: 'dry-run' },
        },
      );
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(
        (created.body.detail.protectionWarnings ?? []).map((w) => [w.hostName, w.code]),
        [
          ['esx-untrusted', 'UNTRUSTED_KEY'],
          ['esx-untrusted', 'NEVER_DISCOVERED'],
        ],
      );
      await t.call('POST', `/plans/${created.body.id}/cancel`, { token: t.tokens.operator, body: {} });
    });

    test('once its key is trusted the warning goes, in the preview and the summary', async () => {
      const pinned = await t.call('PATCH', `/hosts/${untrustedId}`, {
        body: { hostKeyFingerprint: fingerprint(11), password: SECRETS.hostPassword },
      });
      assert.equal(pinned.status, 200, pinned.text);
      assert.deepEqual(codesOf((await preview()).warnings, untrustedId), ['NEVER_DISCOVERED']);
      const s = await summary();
      assert.deepEqual(
        s.warnings.map((w) => w.code),
        ['NEVER_DISCOVERED'],
      );
      assert.equal(s.unprotected, 1);
    });
  },
);
