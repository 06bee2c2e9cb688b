import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  AcceptanceLevelError,
  esxcli,
  type EsxiHost,
  EsxiHostPool,
  hostServices,
  InvalidArgumentError,
  MissingPayloadChecksumError,
  SecureBootError,
  vim,
  VimFaultError,
} from '../src';
import { MiniSshServer } from './support/mini-ssh-server';

// Fake esxcli / vim-cmd / init script: print each argument NUL-terminated on stdout when asked
// to echo, otherwise answer like ESXi for the cases below.
const FAKE = `#!/bin/sh
case "$*" in
  "software acceptance set --level=CommunitySupported") echo "[AcceptanceConfigError]"; echo " Secure Boot enabled: Cannot change acceptance level to community."; exit 1 ;;
  "software vib install -v /tmp/old.vib --no-sig-check") echo "[InstallationError]"; echo " Payload(s) upsmon of VIB Margar_bootbank_upsmon_2.3.1 does not have sha-256 gunzip checksum."; exit 1 ;;
  "software vib install -v /tmp/upsmon.vib") echo "[AcceptanceConfigError]"; echo " VIB Margar_bootbank_upsmon_2.8.5-2.7.3's acceptance level is community, which is not compliant with the ImageProfile acceptance level partner"; exit 1 ;;
  "software vib install -v /tmp/upsmon.vib --no-sig-check") printf 'Installation Result\\n   Message: Operation finished successfully.\\n   Reboot Required: false\\n   VIBs Installed: Margar_bootbank_upsmon_2.8.5-2.7.3\\n   VIBs Removed:\\n   VIBs Skipped:\\n' ;;
  "vmsvc/power.shutdown 4") printf '(vim.fault.ToolsUnavailable) {\\n   msg = "Cannot complete operation because VMware Tools is not running in this virtual machine."\\n}\\n' ;;
  "vmsvc/power.getstate 4") printf 'Retrieved runtime info\\nPowered on\\n' ;;
  "--formatter=csv network nic list") printf 'Name,MACAddress,\\nvmnic0,00:25:90:1E:42:50,\\n' ;;
  status) echo "NUT client is not running"; exit 3 ;;
  *) printf '%s\\0' "$@" ;;
esac
`;

describe('typed wrappers over SSH', () => {
  let dir = '';
  let server: MiniSshServer;
  let pool: EsxiHostPool;
  let host: EsxiHost;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nutfleet-wrappers-'));
    for (const name of ['esxcli', 'vim-cmd', 'upsmon']) {
      writeFileSync(join(dir, name), FAKE);
      chmodSync(join(dir, name), 0o755);
    }
    server = await new MiniSshServer({
      password: 'secret',
      exec: (command, channel) => {
        // The host's shell, with the fakes first on PATH and /etc/init.d/upsmon mapped to a fake.
        const line = command.replace(`'/etc/init.d/upsmon'`, `'${join(dir, 'upsmon')}'`);
        const child = spawn('/bin/sh', ['-c', line], { env: { PATH: `${dir}:/usr/bin:/bin` } });
        // stdin from the channel, as sshd gives it (a command loop reads its commands there).
        channel.pipe(child.stdin);
        child.stdin.on('error', () => undefined);
        child.stdout.on('data', (c: Buffer) => channel.write(c));
        child.stderr.on('data', (c: Buffer) => channel.stderr.write(c));
        child.on('close', (code) => {
          channel.exit(code ?? 255);
          channel.end();
        });
      },
    }).start();
    // Exec channels: this host rewrites each exec request's line (the command loop's lines come
    // on stdin; the simulator's and the real OpenSSH tests cover them).
    pool = new EsxiHostPool({ connectTimeoutMs: 3_000, commandTimeoutMs: 5_000, commandLoop: false });
    host = pool.get({
      ...server.address,
      username: 'root',
      auth: { kind: 'password', password: 'secret' },
      fingerprint: server.fingerprint,
    });
  });

  after(async () => {
    pool.closeAll();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers hostile values to esxcli as single literal arguments', async () => {
    const hostile = `it's "x" $(id) \`id\`; a | b && c\nline2 héllo ✓`;
    await esxcli.advancedSetString(host, '/UserVars/NutUpsName', hostile);
    const sent = server.commands.at(-1) ?? '';
    const echoed = await host.exec([
      'esxcli',
      'system',
      'settings',
      'advanced',
      'set',
      '-o',
      '/UserVars/NutUpsName',
      '-s',
      hostile,
    ]);
    assert.deepEqual(echoed.stdout.split('\0').slice(0, -1), [
      'system',
      'settings',
      'advanced',
      'set',
      '-o',
      '/UserVars/NutUpsName',
      '-s',
      hostile,
    ]);
    assert.equal(sent, echoed.command);
  });

  it('sends the documented argv for int, default and maintenance/shutdown commands', async () => {
    await esxcli.advancedSetInt(host, '/UserVars/NutFinalDelay', 30);
    await esxcli.advancedSetDefault(host, '/UserVars/NutFinalDelay');
    await esxcli.maintenanceModeSet(host, true, { timeoutSeconds: 0 });
    await esxcli.shutdownPoweroff(host, 'UPS on battery', { delaySeconds: 10 });
    assert.deepEqual(server.commands.slice(-4), [
      `'esxcli' 'system' 'settings' 'advanced' 'set' '-o' '/UserVars/NutFinalDelay' '-i' '30'`,
      `'esxcli' 'system' 'settings' 'advanced' 'set' '-o' '/UserVars/NutFinalDelay' '-d'`,
      `'esxcli' 'system' 'maintenanceMode' 'set' '--enable' 'true' '--timeout' '0'`,
      `'esxcli' 'system' 'shutdown' 'poweroff' '--reason' 'UPS on battery' '--delay' '10'`,
    ]);
  });

  it('maps esxcli refusals to typed errors naming host and command', async () => {
    await assert.rejects(
      esxcli.acceptanceSet(host, 'CommunitySupported'),
      (err: unknown) =>
        err instanceof SecureBootError && err.host === host.label && /acceptance/.test(err.command ?? ''),
    );
    await assert.rejects(esxcli.vibInstall(host, { source: { vib: '/tmp/upsmon.vib' } }), AcceptanceLevelError);
    await assert.rejects(
      esxcli.vibInstall(host, { source: { vib: '/tmp/old.vib' }, noSigCheck: true }),
      MissingPayloadChecksumError,
    );
    const ok = await esxcli.vibInstall(host, { source: { vib: '/tmp/upsmon.vib' }, noSigCheck: true });
    assert.deepEqual(ok.vibsInstalled, ['Margar_bootbank_upsmon_2.8.5-2.7.3']);
    await assert.rejects(esxcli.vibInstall(host, { source: { vib: 'relative.vib' } }), InvalidArgumentError);
  });

  it('asks for CSV for tables', async () => {
    assert.deepEqual(
      (await esxcli.nicList(host)).map((n) => n.macAddress),
      ['00:25:90:1e:42:50'],
    );
  });

  it('detects vim-cmd faults even with exit code 0, and reads power state', async () => {
    await assert.rejects(
      vim.powerShutdown(host, 4),
      (err: unknown) => err instanceof VimFaultError && err.fault === 'vim.fault.ToolsUnavailable',
    );
    assert.equal(await vim.powerGetState(host, 4), 'poweredOn');
    await assert.rejects(vim.powerOff(host, -1), InvalidArgumentError);
  });

  it('reads the NutClient service state from its exit code', async () => {
    assert.deepEqual(await hostServices.upsmonStatus(host), { running: false, message: 'NUT client is not running' });
  });
});
