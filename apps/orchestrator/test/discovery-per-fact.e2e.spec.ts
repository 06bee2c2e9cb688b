import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { type INestApplicationContext } from '@nestjs/common';

import { type HostFacts, isHostFacts, knownVms, sealSecret, UNKNOWN_AUTOSTART_DEFAULTS } from '@nutfleet/db';
import {
  canRunSshd,
  type EsxiFleet,
  type ScriptedSshd,
  type SimulatedHost,
  startEsxiFleet,
  startScriptedSshd,
  waitFor,
  vmFile,
} from '@nutfleet/testing';

import { createWorkerApp } from '../../worker/src/worker.app';
import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import { SCRIPTED_MACS, scriptedEsxiCommands } from './support/scripted-esxi';
import { insertSimHost } from './support/simulated-host-rows';

interface Run {
  state: string;
  succeeded: number;
  failed: number;
  incomplete: number;
  incompleteHosts: { hostId: string; error: string }[];
  errors: { hostId: string; error: string }[];
}
interface HostView {
  esxiVersion: string | null;
  macAddresses: string[];
  lastError: string | null;
  facts: HostFacts | null;
}

const NUT_PASSWORD = 'perfact-Nut-Pa55';
/** Names a VM can be given through the API; vim-cmd prints them as they are. */
const HOSTILE_NAMES = ['web\nfront', `it's "quoted" $(poweroff)`, 'ünïcødé ✓ 日本語 🔋', 'db\n\nreplica', 'plain'];
const GET_DEFAULTS = 'hostsvc/autostartmanager/get_defaults';

describe(
  'discovery is per fact: a read that fails records its error and keeps the others',
  { timeout: 120_000 },
  () => {
    let api: ApiTestApp;
    let worker: INestApplicationContext;

    async function discover(hostId: string): Promise<Run> {
      const queued = await api.call<{ runId: string }>('POST', `/hosts/${hostId}/discover`, {
        token: api.tokens.operator,
      });
      assert.equal(queued.status, 202, queued.text);
      let run: Run | undefined;
      await waitFor(
        'the discovery run to finish',
        async () => {
          run = (await api.call<Run>('GET', `/discovery-runs/${queued.body.runId}`, { token: api.tokens.viewer })).body;
          return run.state === 'finished';
        },
        30_000,
        100,
      );
      assert.ok(run);
      return run;
    }

    async function hostView(hostId: string): Promise<HostView> {
      const res = await api.call<HostView>('GET', `/hosts/${hostId}`, { token: api.tokens.viewer });
      assert.equal(res.status, 200, res.text);
      assert.ok(isHostFacts(res.body.facts), res.text);
      return res.body;
    }

    /** The host answered: it counts as succeeded, and as incomplete. */
    function assertIncomplete(run: Run, context = ''): void {
      assert.deepEqual(
        { succeeded: run.succeeded, failed: run.failed, incomplete: run.incomplete },
        { succeeded: 1, failed: 0, incomplete: 1 },
        `${JSON.stringify(run)}\n${context}`,
      );
    }

    /** Version, NICs, MACs and VMs recorded; the get_defaults read alone failed, as unknown. */
    function assertEverythingButDefaults(view: HostView, vmNames: readonly string[], macs: readonly string[]): void {
      const facts = view.facts;
      assert.ok(facts);
      assert.equal(view.esxiVersion, '8.0.3');
      assert.equal(facts.esxi?.version, '8.0.3');
      assert.deepEqual(
        facts.nics?.map((n) => n.macAddress),
        macs,
        JSON.stringify(facts.reads),
      );
      assert.deepEqual(view.macAddresses, macs, 'Wake-on-LAN MACs filled from the NICs');
      assert.deepEqual(
        facts.vms.map((vm) => vm.name),
        vmNames,
      );
      assert.deepEqual(knownVms(facts)?.length, vmNames.length, 'the VMs are known');
      assert.ok(facts.autostart.sequence.length > 0, 'the autostart sequence was read');
      const defaults = facts.reads.autostartDefaults;
      assert.equal(defaults.state, 'failed');
      assert.ok(defaults.state === 'failed');
      assert.equal(defaults.error.code, 'VimCmdUnknownCommandError');
      assert.match(defaults.error.message, /does not know "hostsvc\/autostartmanager\/get_defaults"/);
      assert.equal(defaults.valueReadAt, null, 'never read on this host');
      assert.deepEqual(facts.autostart.defaults, UNKNOWN_AUTOSTART_DEFAULTS);
      for (const [read, status] of Object.entries(facts.reads))
        if (read !== 'autostartDefaults') assert.equal(status.state, 'ok', `${read}: ${JSON.stringify(status)}`);
      assert.match(view.lastError ?? '', /1 of 9 reads failed.*autostartDefaults/);
    }

    before(async () => {
      api = await startApiTestApp();
      worker = await createWorkerApp(api.config);
    });

    after(async () => {
      await worker?.close();
      const leaked = api?.responses.filter((body) => body.includes(NUT_PASSWORD));
      await api?.close();
      assert.deepEqual(leaked, [], 'the NUT password appeared in an API response');
    });

    describe('simulated ESXi', () => {
      let fleet: EsxiFleet;
      let sim: SimulatedHost;
      let hostId: string;

      before(async () => {
        fleet = await startEsxiFleet({
          hosts: [
            {
              vms: HOSTILE_NAMES.map((name, i) => ({
                name,
                ...(i < 2 ? { autostart: { startOrder: i + 1, startAction: 'powerOn' as const } } : {}),
              })),
            },
          ],
        });
        sim = fleet.host(0);
        hostId = await insertSimHost(api.db.prisma, api.config.secretKey, sim, { trusted: true });
      });
      after(() => fleet?.stop());

      test('get_defaults answers "Unknown command": version, NICs, MACs and VMs recorded, that read reported failed', async () => {
        fleet.injectFault(0, { kind: 'unknown-command', match: GET_DEFAULTS });
        const run = await discover(hostId);
        assertIncomplete(run);
        assert.match(run.incompleteHosts[0]?.error ?? '', /autostartDefaults: .*VimCmdUnknownCommandError/);
        const view = await hostView(hostId);
        // The simulator's vmnic1 has the next MAC after vmnic0's.
        const next = sim.mac.replace(/[0-9a-f]{2}$/, (b) =>
          ((Number.parseInt(b, 16) + 1) % 256).toString(16).padStart(2, '0'),
        );
        assertEverythingButDefaults(view, HOSTILE_NAMES, [sim.mac, next]);
        assert.deepEqual(
          view.facts?.vms.map((vm) => vm.file),
          sim.state.vms.map(vmFile),
        );
      });

      test('once the command answers, the next discovery reads it and clears the error', async () => {
        fleet.clearFaults(0);
        const run = await discover(hostId);
        assert.equal(run.incomplete, 0);
        const view = await hostView(hostId);
        assert.equal(view.lastError, null);
        assert.deepEqual(view.facts?.reads.autostartDefaults.state, 'ok');
        assert.deepEqual(view.facts?.autostart.defaults, { ...sim.state.autostartDefaults });
      });

      test('a VM list that cannot be read: that fact failed (VmListParseError), its last list kept and dated, the rest read', async () => {
        const before = await hostView(hostId);
        const vm = sim.state.vm(3);
        assert.ok(vm);
        // Its second line starts like the row of a VM 9: vim-cmd's list cannot be told apart.
        vm.name = 'evil\n9      more';
        const run = await discover(hostId);
        assert.equal(run.incomplete, 1, JSON.stringify(run));
        const view = await hostView(hostId);
        const facts = view.facts;
        assert.ok(facts);
        const status = facts.reads.vms;
        assert.ok(status.state === 'failed', JSON.stringify(status));
        assert.equal(status.error.code, 'VmListParseError');
        assert.match(status.error.message, /VM 3: no "\[datastore\] path\.vmx {2}guest {2}vmx-NN" part/);
        assert.equal(status.valueReadAt, before.facts?.reads.vms.at, 'the list kept is the one read before');
        assert.equal(knownVms(facts), undefined, 'VMs unknown, not "no VMs"');
        assert.deepEqual(facts.vms, before.facts?.vms);
        assert.equal(facts.reads.esxi.state, 'ok');
        assert.equal(facts.reads.autostartDefaults.state, 'ok');
        assert.notEqual(facts.discoveredAt, before.facts?.discoveredAt);
      });
    });

    describe(
      'real OpenSSH sshd with scripted esxcli and vim-cmd',
      { skip: canRunSshd ? false : 'needs root and sshd' },
      () => {
        let sshd: ScriptedSshd;
        let hostId: string;
        const vms = HOSTILE_NAMES.map((name, i) => ({ id: i + 1, name, folder: `vm${i + 1}` }));

        before(async () => {
          sshd = await startScriptedSshd({
            commands: scriptedEsxiCommands({ vms, unknownVimCommands: [GET_DEFAULTS], nutPassword: NUT_PASSWORD }),
          });
          hostId = randomUUID();
          await api.db.prisma.host.create({
            data: {
              id: hostId,
              name: 'held-out-esxi',
              address: sshd.address,
              sshPort: sshd.port,
              username: 'root',
              privateKeyEnc: sealSecret(sshd.clientKey, api.config.secretKey, `host:${hostId}:privateKey`),
              hostKeyFingerprint: sshd.fingerprint,
              trustState: 'TRUSTED',
            },
          });
        });
        after(() => sshd?.stop());

        test('get_defaults answers "Unknown command": version, NICs, MACs and VMs recorded, that read reported failed', async () => {
          const run = await discover(hostId);
          assertIncomplete(run, sshd.log());
          const view = await hostView(hostId);
          assertEverythingButDefaults(view, HOSTILE_NAMES, SCRIPTED_MACS);
          const facts = view.facts;
          assert.ok(facts);
          assert.deepEqual(facts.nutClient, {
            installed: true,
            version: '2.8.5-2.7.3',
            vendor: 'Margar',
            acceptanceLevel: 'CommunitySupported',
            installDate: '2026-05-21',
          });
          assert.deepEqual(facts.nutUserVars?.NutPassword, { type: 'secret', set: true });
          assert.deepEqual(facts.vms[0], {
            id: 1,
            name: 'web\nfront',
            file: '[datastore1] vm1/vm1.vmx',
            guestOs: 'debian11_64Guest',
            hwVersion: 'vmx-19',
            powerState: 'poweredOn',
            tools: 'running',
          });
        });
      },
    );
  },
);
