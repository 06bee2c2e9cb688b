import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  autostartCheck,
  esxiAnswersCheck,
  fsdClearCheck,
  hostUpscCheck,
  nutLoginCheck,
  runtimeMarginCheck,
  sshAuthCheck,
  vibInSyncCheck,
  vmToolsCheck,
  wolMacCheck,
  wolProvenCheck,
} from './fleet-readiness.checks';

const at = Date.parse('2026-12-04T10:00:00Z');
const DAY = 86_400;

describe('fleet readiness checks', () => {
  it('SSH_AUTH passes on a session and names the cause of each refusal', () => {
    assert.deepEqual(sshAuthCheck({ kind: 'ok' }, at), {
      code: 'SSH_AUTH',
      ok: true,
      message: 'SSH session with the pinned key and stored credentials',
      checkedAt: at,
    });
    const refused = sshAuthCheck({ kind: 'auth-refused', detail: 'root@10.0.0.5:22' }, at);
    assert.equal(refused.ok, false);
    assert.match(refused.message, /credentials were refused: root@10\.0\.0\.5:22/);
    assert.match(sshAuthCheck({ kind: 'host-key-changed', detail: 'SHA256:x' }, at).message, /another key/);
    assert.match(sshAuthCheck({ kind: 'not-trusted', detail: 'PENDING' }, at).message, /not trusted/);
    assert.match(sshAuthCheck({ kind: 'unreachable', detail: 'ECONNREFUSED' }, at).message, /could not be reached/);
  });

  it('ESXI_ANSWERS carries the version or the error', () => {
    assert.equal(esxiAnswersCheck({ version: '8.0.3', build: '24022510' }, at).message, 'ESXi 8.0.3 build 24022510');
    const failed = esxiAnswersCheck({ error: 'exit 1' }, at);
    assert.equal(failed.ok, false);
    assert.match(failed.message, /exit 1/);
  });

  describe('VIB_IN_SYNC', () => {
    const desired = { NutUpsName: 'ups1@nut', NutPassword: 's3cret', NutFinalDelay: 5 };
    it('passes when installed, running and every desired setting matches (numbers as text too)', () => {
      const r = vibInSyncCheck(
        { installedVersion: '2.8.2', running: true, actual: { ...desired, NutFinalDelay: '5', Other: 'x' }, desired },
        at,
      );
      assert.equal(r.ok, true);
    });
    it('fails when the VIB is not installed', () => {
      const r = vibInSyncCheck({ installedVersion: null, running: null, actual: {}, desired }, at);
      assert.equal(r.ok, false);
      assert.match(r.message, /not installed/);
    });
    it('fails when upsmon is stopped or unreadable', () => {
      assert.match(
        vibInSyncCheck({ installedVersion: '2.8.2', running: false, actual: desired, desired }, at).message,
        /not running/,
      );
      assert.equal(
        vibInSyncCheck({ installedVersion: '2.8.2', running: null, actual: desired, desired }, at).ok,
        false,
      );
    });
    it('names drifted settings, never quoting a password', () => {
      const r = vibInSyncCheck(
        {
          installedVersion: '2.8.2',
          running: true,
          actual: { NutUpsName: 'old@nut', NutPassword: 'leaked?', NutFinalDelay: 5 },
          desired,
        },
        at,
      );
      assert.equal(r.ok, false);
      assert.match(r.message, /NutUpsName is "old@nut", wanted "ups1@nut"/);
      assert.match(r.message, /NutPassword differs/);
      assert.doesNotMatch(r.message, /s3cret|leaked/);
    });
    it('a desired setting missing on the host is drift', () => {
      const r = vibInSyncCheck(
        { installedVersion: '2.8.2', running: true, actual: {}, desired: { NutFinalDelay: 5 } },
        at,
      );
      assert.match(r.message, /NutFinalDelay is "", wanted "5"/);
    });
  });

  it('HOST_UPSC fails on any UPS the host client cannot read, and on none configured', () => {
    assert.equal(hostUpscCheck([{ ups: 'a@nut', status: 'OL' }], at).ok, true);
    const r = hostUpscCheck(
      [
        { ups: 'a@nut', status: 'OL' },
        { ups: 'b@nut', status: null, error: 'Connection failure' },
      ],
      at,
    );
    assert.equal(r.ok, false);
    assert.match(r.message, /b@nut \(Connection failure\)/);
    assert.doesNotMatch(r.message, /a@nut/);
    assert.equal(hostUpscCheck([], at).ok, false);
  });

  it('VM_TOOLS looks only at VMs that will need a guest shutdown', () => {
    const vms = [
      { name: 'db', needsGuestShutdown: true, toolsState: 'running' as const },
      { name: 'off-vm', needsGuestShutdown: false, toolsState: 'not-running' as const },
    ];
    assert.equal(vmToolsCheck(vms, at).ok, true);
    const r = vmToolsCheck([...vms, { name: 'web', needsGuestShutdown: true, toolsState: 'not-running' }], at);
    assert.equal(r.ok, false);
    assert.match(r.message, /web \(not-running\)/);
    assert.doesNotMatch(r.message, /off-vm|db/);
    assert.equal(vmToolsCheck([{ name: 'x', needsGuestShutdown: true, toolsState: 'unknown' }], at).ok, false);
    assert.match(vmToolsCheck([], at).message, /no VM needs/);
  });

  describe('AUTOSTART', () => {
    const base = { enabled: true, sequenceVmIds: [1, 2], existingVmIds: [1, 2, 3], planPowersOnVms: false };
    it('passes with an enabled autostart over existing VMs', () => assert.equal(autostartCheck(base, at).ok, true));
    it('fails when the sequence names a VM that is gone', () => {
      const r = autostartCheck({ ...base, existingVmIds: [1] }, at);
      assert.equal(r.ok, false);
      assert.match(r.message, /ids 2/);
    });
    it('fails when disabled and the restart plan relies on it', () => {
      assert.equal(autostartCheck({ ...base, enabled: false }, at).ok, false);
      assert.equal(autostartCheck({ ...base, enabled: false, planPowersOnVms: true }, at).ok, true);
      assert.equal(autostartCheck({ ...base, enabled: false, sequenceVmIds: [] }, at).ok, true);
    });
  });

  it('WOL_MAC needs at least one well-formed MAC', () => {
    assert.equal(wolMacCheck(['00:50:56:aa:bb:cc'], at).ok, true);
    assert.equal(wolMacCheck(['00-50-56-AA-BB-CC'], at).ok, true);
    assert.equal(wolMacCheck([], at).ok, false);
    assert.equal(wolMacCheck(['not-a-mac'], at).ok, false);
  });

  it('WOL_PROVEN: never, too old, or recent enough', () => {
    assert.match(wolProvenCheck(null, 90 * DAY, at).message, /never proven/);
    assert.equal(wolProvenCheck(at - 91 * DAY * 1000, 90 * DAY, at).ok, false);
    assert.equal(wolProvenCheck(at - 89 * DAY * 1000, 90 * DAY, at).ok, true);
  });

  it('RUNTIME_MARGIN compares the runtime with the prediction plus the margin, at the boundary too', () => {
    assert.equal(
      runtimeMarginCheck({ predictedShutdownSeconds: 300, runtimeSeconds: 360, marginRatio: 0.2 }, at).ok,
      true,
    );
    assert.equal(
      runtimeMarginCheck({ predictedShutdownSeconds: 300, runtimeSeconds: 359, marginRatio: 0.2 }, at).ok,
      false,
    );
    const r = runtimeMarginCheck({ predictedShutdownSeconds: 300, runtimeSeconds: 120, marginRatio: 0.2 }, at);
    assert.match(r.message, /300 s \+ 20 % margin = 360 s against 120 s/);
    assert.equal(
      runtimeMarginCheck({ predictedShutdownSeconds: 300, runtimeSeconds: null, marginRatio: 0 }, at).ok,
      false,
    );
  });

  it('NUT_LOGIN and FSD_CLEAR per NUT server', () => {
    const good = { server: 'nut1:3493', reachable: true, loginOk: true, fsdUpses: [] };
    assert.equal(nutLoginCheck([good], at).ok, true);
    assert.equal(nutLoginCheck([], at).ok, false);
    const refused = nutLoginCheck([good, { ...good, server: 'nut2:3493', loginOk: false, error: 'ACCESS-DENIED' }], at);
    assert.equal(refused.ok, false);
    assert.equal(refused.message, 'nut2:3493: login refused (ACCESS-DENIED)');
    assert.match(nutLoginCheck([{ ...good, reachable: false, loginOk: null }], at).message, /unreachable/);
    assert.equal(fsdClearCheck([good], at).ok, true);
    const fsd = fsdClearCheck([{ ...good, fsdUpses: ['ups1'] }], at);
    assert.equal(fsd.ok, false);
    assert.match(fsd.message, /ups1@nut1:3493/);
  });
});
