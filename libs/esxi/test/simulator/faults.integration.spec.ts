import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  AuthenticationError,
  CommandTimeoutError,
  ConnectionLostError,
  esxcli,
  EsxcliUnknownCommandError,
  HostKeyMismatchError,
  NoSpaceLeftError,
  vim,
  VimCmdUnknownCommandError,
  VimFaultError,
} from '../../src';
import { type ClientAndFleet, startClientAndFleet } from './support/simulated-fleet';
import { VibFiles } from './support/vib-files';

// One host per fault, so that no fault leaks into another case.
describe('injected faults end in a typed error or the right result, never a hang', { timeout: 60_000 }, () => {
  let sim: ClientAndFleet;
  const files = new VibFiles();

  before(async () => {
    sim = await startClientAndFleet({ hosts: 8, seed: 'faults' }, { commandTimeoutMs: 1_000 });
  });
  after(async () => {
    await sim.stop();
    files.remove();
  });

  it('auth failure: AuthenticationError naming the host', { timeout: 10_000 }, async () => {
    sim.fleet.injectFault(0, { kind: 'auth-failure' });
    await assert.rejects(esxcli.systemVersionGet(sim.host(0)), (err) => {
      assert.ok(err instanceof AuthenticationError, String(err));
      assert.equal(err.host, sim.host(0).label);
      assert.equal(err.retryable, false);
      return true;
    });
    sim.fleet.clearFaults(0);
    assert.equal((await esxcli.systemVersionGet(sim.host(0))).version, '8.0.3');
  });

  it(
    'changed host key: HostKeyMismatchError naming both fingerprints, and no command sent',
    { timeout: 10_000 },
    async () => {
      const simHost = sim.fleet.host(1);
      const host = sim.host(1);
      const pinned = simHost.fingerprint;
      sim.fleet.injectFault(1, { kind: 'host-key-changed' });
      const presented = simHost.fingerprint;
      assert.notEqual(presented, pinned);
      await assert.rejects(esxcli.systemVersionGet(host), (err) => {
        assert.ok(err instanceof HostKeyMismatchError, String(err));
        assert.equal(err.expectedFingerprint, pinned);
        assert.equal(err.presentedFingerprint, presented);
        assert.ok(err.message.includes(pinned) && err.message.includes(presented));
        assert.equal(err.retryable, false);
        return true;
      });
      assert.equal(simHost.commandLog.length, 0);
    },
  );

  it('slow commands: answered within the timeout, abandoned beyond it', { timeout: 10_000 }, async () => {
    const host = sim.host(2);
    sim.fleet.injectFault(2, { kind: 'slow-commands', delayMs: 300, times: 1 });
    const started = Date.now();
    assert.equal((await esxcli.systemVersionGet(host)).version, '8.0.3');
    assert.ok(Date.now() - started >= 300);
    sim.fleet.injectFault(2, { kind: 'slow-commands', delayMs: 3_000, times: 1 });
    await assert.rejects(esxcli.systemVersionGet(host), CommandTimeoutError);
  });

  it(
    'hanging command: CommandTimeoutError, and the connection still serves the next one',
    { timeout: 10_000 },
    async () => {
      const host = sim.host(3);
      sim.fleet.injectFault(3, { kind: 'hanging-commands', match: 'maintenanceMode', times: 1 });
      await assert.rejects(esxcli.maintenanceModeGet(host, { timeoutMs: 500 }), (err) => {
        assert.ok(err instanceof CommandTimeoutError, String(err));
        assert.equal(err.timeoutMs, 500);
        assert.equal(err.command, "'esxcli' 'system' 'maintenanceMode' 'get'");
        return true;
      });
      assert.equal(host.connected, true);
      assert.equal(await esxcli.maintenanceModeGet(host), false);
    },
  );

  it(
    'a secret value (NutPassword) is masked in the command of a hung or refused set, in every field',
    { timeout: 10_000 },
    async () => {
      const host = sim.host(3);
      const secret = "canary-'pa55word' 9d1f";
      sim.fleet.injectFault(3, { kind: 'hanging-commands', match: 'NutPassword', times: 1 });
      const leaks = (err: unknown): string[] =>
        Object.entries({ message: String(err), stack: (err as Error).stack, ...(err as object) })
          .filter(([, v]) => JSON.stringify(v ?? '').includes('pa55word'))
          .map(([k]) => k);
      await assert.rejects(
        esxcli.advancedSetString(host, '/UserVars/NutPassword', secret, { secret: true, timeoutMs: 500 }),
        (err) => {
          assert.ok(err instanceof CommandTimeoutError, String(err));
          assert.equal(
            err.command,
            "'esxcli' 'system' 'settings' 'advanced' 'set' '-o' '/UserVars/NutPassword' '-s' '***'",
          );
          assert.deepEqual(leaks(err), []);
          return true;
        },
      );
      // Refused by the host (no such option without the VIB): the error, its fields and command are masked too.
      await assert.rejects(esxcli.advancedSetString(host, '/UserVars/NutPassword', secret, { secret: true }), (err) => {
        assert.ok(err instanceof Error && /esxcli/.test(err.message), String(err));
        assert.deepEqual(leaks(err), []);
        return true;
      });
    },
  );

  it(
    'connection dropped mid-command: ConnectionLostError (may have run), then a fresh connection',
    { timeout: 10_000 },
    async () => {
      const host = sim.host(4);
      await esxcli.systemVersionGet(host);
      sim.fleet.injectFault(4, { kind: 'drop-connection', match: 'acceptance', partialOutput: 'Partner', times: 1 });
      await assert.rejects(esxcli.acceptanceGet(host), (err) => {
        assert.ok(err instanceof ConnectionLostError, String(err));
        assert.equal(err.commandMayHaveRun, true);
        assert.equal(err.host, host.label);
        return true;
      });
      assert.equal(await esxcli.acceptanceGet(host), 'PartnerSupported');
      assert.deepEqual(
        [...new Set(sim.fleet.host(4).commandLog.map((e) => e.connectionId))].length,
        2,
        'the second call used a new connection',
      );
    },
  );

  it('no space left during upload: NoSpaceLeftError naming host and path', { timeout: 10_000 }, async () => {
    const host = sim.host(5);
    const local = join(files.dir, 'big.vib');
    writeFileSync(local, Buffer.alloc(256 * 1024, 7));
    sim.fleet.injectFault(5, { kind: 'no-space-left', afterBytes: 64 * 1024 });
    await assert.rejects(host.upload(local, '/tmp/big.vib'), (err) => {
      assert.ok(err instanceof NoSpaceLeftError, String(err));
      assert.equal(err.remotePath, '/tmp/big.vib');
      assert.equal(err.host, host.label);
      return true;
    });
    // The partial file is gone: a full /tmp (a RAM disk on ESXi) would hurt the host itself.
    assert.equal(sim.fleet.host(5).files.file('/tmp/big.vib'), undefined);
    sim.fleet.clearFaults(5);
    assert.equal((await host.upload(local, '/tmp/big.vib')).bytes, 256 * 1024);
  });

  it(
    'a VM that never stops: guest shutdown accepted but VM stays on; power.off refused; MM entry times out',
    { timeout: 15_000 },
    async () => {
      const host = sim.host(6);
      sim.fleet.injectFault(6, { kind: 'vm-never-stops', vmId: 1, ignoresPowerOff: true });
      await vim.powerShutdown(host, 1);
      await new Promise((r) => setTimeout(r, 600));
      assert.equal(await vim.powerGetState(host, 1), 'poweredOn');
      await assert.rejects(vim.powerOff(host, 1), (err) => {
        assert.ok(err instanceof VimFaultError, String(err));
        assert.equal(err.fault, 'vim.fault.TaskInProgress');
        return true;
      });
      await vim.powerOff(host, 2);
      await vim.powerOff(host, 3).catch(() => undefined);
      await assert.rejects(esxcli.maintenanceModeSet(host, true, { timeoutSeconds: 5 }), /operation timed out/);
      assert.equal(await esxcli.maintenanceModeGet(host), false);
    },
  );

  it(
    'a command this build lacks: a typed "unknown command" error, other commands unaffected',
    { timeout: 10_000 },
    async () => {
      const host = sim.host(7);
      sim.fleet.injectFault(7, { kind: 'unknown-command', match: 'autostartmanager/get_defaults' });
      await assert.rejects(vim.autostartDefaults(host), (err) => {
        assert.ok(err instanceof VimCmdUnknownCommandError, String(err));
        assert.equal(err.vimCommand, 'hostsvc/autostartmanager/get_defaults');
        assert.equal(err.retryable, false);
        return true;
      });
      assert.equal((await vim.autostartSequence(host)).length, 2, 'the next autostart command still answers');
      sim.fleet.injectFault(7, { kind: 'unknown-command', match: /acceptance'? '?get/ });
      await assert.rejects(esxcli.acceptanceGet(host), EsxcliUnknownCommandError);
      assert.equal((await esxcli.systemVersionGet(host)).version, '8.0.3');
      sim.fleet.clearFaults(7);
      assert.equal((await vim.autostartDefaults(host)).enabled, true);
    },
  );
});
