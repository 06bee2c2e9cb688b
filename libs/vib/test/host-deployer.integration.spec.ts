import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuthenticationError, EsxiHostPool, HostKeyMismatchError } from '@nutfleet/esxi';
import { startEsxiFleet, type EsxiFleet, type HostProfile } from '@nutfleet/testing';
import {
  AcceptanceLevelBlocksInstallError,
  DeployError,
  DeployStepFailedError,
  DeployVerificationError,
  HostDeployer,
  PayloadChecksumRequiredError,
  SecureBootBlocksInstallError,
} from '../src';
import {
  commandLines,
  connect,
  desiredUserVars,
  FixtureFiles,
  READ_ONLY_COMMAND,
  vibTransactions,
} from './support/deploy-fixtures';

const PROFILES: Record<string, HostProfile> = {
  fresh: { acceptanceLevel: 'CommunitySupported' },
  same: { acceptanceLevel: 'CommunitySupported' },
  configure: { acceptanceLevel: 'CommunitySupported' },
  upgrade: { acceptanceLevel: 'CommunitySupported', version: '7.0' },
  remove: { acceptanceLevel: 'CommunitySupported' },
  partner: { acceptanceLevel: 'PartnerSupported' },
  raise: { acceptanceLevel: 'PartnerSupported' },
  secureboot: { acceptanceLevel: 'PartnerSupported', secureBoot: true },
  esxi8: { acceptanceLevel: 'CommunitySupported', version: '8.0' },
  esxi7: { acceptanceLevel: 'CommunitySupported', version: '7.0' },
  auth: {},
  key: {},
  nospace: { acceptanceLevel: 'CommunitySupported' },
  hostile: { acceptanceLevel: 'CommunitySupported' },
  literal: { acceptanceLevel: 'CommunitySupported' },
  bundle: { acceptanceLevel: 'CommunitySupported' },
  unreachable: { acceptanceLevel: 'CommunitySupported' },
};
const NAMES = Object.keys(PROFILES);

describe('HostDeployer against the ESXi simulator', () => {
  let fleet: EsxiFleet;
  const pool = new EsxiHostPool({ connectTimeoutMs: 5_000, commandTimeoutMs: 10_000 });
  const files = new FixtureFiles();
  const host = (name: string) => fleet.host(NAMES.indexOf(name));

  before(async () => {
    fleet = await startEsxiFleet({ hosts: NAMES.map((n) => ({ ...PROFILES[n], hostname: n })), seed: 'vib-deploy' });
  });
  after(async () => {
    pool.closeAll();
    await fleet.stop();
    files.cleanup();
  });

  it('fresh install: uploads, installs, configures, starts, verifies with upsc, removes the upload', async () => {
    const h = host('fresh');
    const artifact = await files.vib();
    const report = await new HostDeployer(connect(pool, h), {
      action: 'install',
      artifact,
      userVars: desiredUserVars(),
    }).run();
    assert.deepEqual(
      report.steps.map((s) => `${s.step}:${s.outcome}`),
      [
        'preflight:done',
        'upload:done',
        'install:done',
        'configure:done',
        'restart-service:done',
        'verify:done',
        'cleanup:done',
      ],
    );
    assert.equal(h.state.vibs.get('upsmon')?.descriptor.version, '2.8.5-2.7.3');
    assert.equal(h.state.upsmon.running, true);
    assert.deepEqual(h.state.upsmon.current?.config, {
      NutUpsName: 'ups1@nut1.lan ups2@nut2.lan:3494',
      NutUser: 'monuser',
      NutPassword: 'secret',
      NutMailTo: 'root@domain',
      NutSmtpRelay: 'none',
      NutFinalDelay: 460,
      NutSendMail: 0,
      NutMinSupplies: 1,
      NutOnBatteryDelay: 300,
    });
    assert.deepEqual(
      h.files.fileNames().filter((f) => f.startsWith('/tmp/')),
      [],
    );
    assert.equal(vibTransactions(h).length, 1);
    assert.match(
      vibTransactions(h)[0] ?? '',
      /^esxcli software vib install -v \/tmp\/nutfleet-[0-9a-f]{16}-upsmon-2\.8\.5-2\.7\.3\.x86_64\.vib --no-sig-check$/,
    );
    const upsc = commandLines(h).filter((l) => l.startsWith('/opt/nut/bin/upsc'));
    assert.deepEqual(upsc, [
      '/opt/nut/bin/upsc ups1@nut1.lan ups.status',
      '/opt/nut/bin/upsc ups2@nut2.lan:3494 ups.status',
    ]);
    // The password ('secret') appears nowhere; the read-back only says that it is set.
    assert.deepEqual(report.observed.userVars['NutPassword'], { type: 'secret', set: true });
    assert.doesNotMatch(JSON.stringify(report).replaceAll('"type":"secret"', ''), /secret/);
    assert.equal(report.observed.vib?.version, '2.8.5-2.7.3');
  });

  it('same version: nothing is sent but checks (command log)', async () => {
    const h = host('same');
    const artifact = await files.vib();
    const userVars = desiredUserVars();
    await new HostDeployer(connect(pool, h), { action: 'install', artifact, userVars }).run();
    const mark = h.commandLog.length;
    const report = await new HostDeployer(connect(pool, h), { action: 'install', artifact, userVars }).run();
    const sent = commandLines(h, mark);
    assert.ok(sent.length > 0);
    for (const line of sent) assert.match(line, READ_ONLY_COMMAND, `unexpected command on a no-op run: ${line}`);
    assert.deepEqual(
      report.steps.map((s) => `${s.step}:${s.outcome}`),
      [
        'preflight:done',
        'upload:skipped',
        'install:skipped',
        'configure:skipped',
        'restart-service:skipped',
        'verify:done',
        'cleanup:skipped',
      ],
    );
    assert.equal(h.state.upsmon.starts.length, 1);
  });

  it('configuration-only change: sets just the option that differs and restarts the service', async () => {
    const h = host('configure');
    await new HostDeployer(connect(pool, h), {
      action: 'install',
      artifact: await files.vib(),
      userVars: desiredUserVars(),
    }).run();
    const mark = h.commandLog.length;
    const changed = desiredUserVars('2.8.5-2.7.3', { onBatterySeconds: 600 });
    const report = await new HostDeployer(connect(pool, h), { action: 'configure', userVars: changed }).run();
    const writes = commandLines(h, mark).filter((l) => !READ_ONLY_COMMAND.test(l));
    assert.deepEqual(writes, [
      'esxcli system settings advanced set -o /UserVars/NutOnBatteryDelay -i 600',
      '/etc/init.d/upsmon restart',
    ]);
    assert.equal(h.state.upsmon.current?.config['NutOnBatteryDelay'], 600);
    assert.deepEqual(
      report.steps.map((s) => s.step),
      ['preflight', 'configure', 'restart-service', 'verify'],
    );
    // The UserVars are read with one listing of the /UserVars tree (configure, then verify), not
    // one command per option: on a rollout of hundreds of hosts each answers 8 commands fewer.
    const listings = commandLines(h, mark).filter((l) => /settings advanced list/.test(l));
    assert.equal(listings.length, 2, listings.join('\n'));
    for (const listing of listings) assert.match(listing, /advanced list .*-t \/UserVars\b/);
  });

  it('upgrade: an older installed version is updated (esxcli software vib update), values survive', async () => {
    const h = host('upgrade');
    const old = await files.vib({ version: '2.8.2-2.6.2' });
    await new HostDeployer(connect(pool, h), {
      action: 'install',
      artifact: old,
      userVars: desiredUserVars('2.8.2-2.6.2'),
    }).run();
    const report = await new HostDeployer(connect(pool, h), {
      action: 'install',
      artifact: await files.vib(),
      userVars: desiredUserVars(),
    }).run();
    const install = report.steps.find((s) => s.step === 'install');
    assert.equal(install?.output['verb'], 'update');
    assert.equal(install?.output['previousVersion'], '2.8.2-2.6.2');
    assert.match(vibTransactions(h)[1] ?? '', /^esxcli software vib update -v /);
    assert.equal(h.state.vibs.get('upsmon')?.descriptor.version, '2.8.5-2.7.3');
    assert.equal(vibTransactions(h).length, 2);
  });

  it('removal: stops the service and removes the VIB; removing again sends only checks', async () => {
    const h = host('remove');
    await new HostDeployer(connect(pool, h), {
      action: 'install',
      artifact: await files.vib(),
      userVars: desiredUserVars(),
    }).run();
    const report = await new HostDeployer(connect(pool, h), { action: 'uninstall' }).run();
    assert.deepEqual(
      report.steps.map((s) => `${s.step}:${s.outcome}`),
      ['preflight:done', 'stop-service:done', 'remove:done', 'verify:done'],
    );
    assert.equal(h.state.vibs.has('upsmon'), false);
    assert.ok(commandLines(h).includes('esxcli software vib remove -n upsmon'));
    const mark = h.commandLog.length;
    const again = await new HostDeployer(connect(pool, h), { action: 'uninstall' }).run();
    assert.deepEqual(
      again.steps.map((s) => s.outcome),
      ['done', 'skipped', 'skipped', 'done'],
    );
    for (const line of commandLines(h, mark)) assert.match(line, READ_ONLY_COMMAND);
  });

  it('acceptance level: refused when the rollout does not allow the change, nothing changed', async () => {
    const h = host('partner');
    await assert.rejects(
      new HostDeployer(connect(pool, h), {
        action: 'install',
        artifact: await files.vib(),
        userVars: desiredUserVars(),
      }).run(),
      (err: unknown) => {
        assert.ok(err instanceof AcceptanceLevelBlocksInstallError);
        assert.match(
          err.message,
          /127\.0\.0\.1:\d+: preflight failed: host acceptance level is PartnerSupported, the VIB needs CommunitySupported/,
        );
        assert.match(err.remedy, /allow the acceptance level change/);
        return true;
      },
    );
    assert.equal(h.state.acceptanceLevel, 'PartnerSupported');
    assert.deepEqual(vibTransactions(h), []);
    assert.ok(!commandLines(h).some((l) => l.includes('acceptance set') || l.startsWith('sha256sum')));
  });

  it('acceptance level: lowered to CommunitySupported when allowed, then installed', async () => {
    const h = host('raise');
    const report = await new HostDeployer(connect(pool, h), {
      action: 'install',
      artifact: await files.vib(),
      userVars: desiredUserVars(),
      allowAcceptanceChange: true,
    }).run();
    assert.equal(h.state.acceptanceLevel, 'CommunitySupported');
    assert.equal(report.steps[0]?.output['acceptanceChangedTo'], 'CommunitySupported');
    assert.ok(commandLines(h).includes('esxcli software acceptance set --level=CommunitySupported'));
    assert.match(report.warnings.join(), /acceptance level lowered from PartnerSupported to CommunitySupported/);
  });

  it('Secure Boot: a clear failure with the remedy, even when the level change is allowed', async () => {
    const h = host('secureboot');
    await assert.rejects(
      new HostDeployer(connect(pool, h), {
        action: 'install',
        artifact: await files.vib(),
        allowAcceptanceChange: true,
      }).run(),
      (err: unknown) =>
        err instanceof SecureBootBlocksInstallError && /disable Secure Boot in the host firmware/.test(err.message),
    );
    assert.ok(!commandLines(h).some((l) => l.includes('acceptance set')));
    assert.deepEqual(vibTransactions(h), []);
  });

  it('ESXi 8 refuses a VIB without the sha-256 gunzip checksum (caught before upload); ESXi 7 takes it', async () => {
    const artifact = await files.vib({ withoutGunzipChecksum: true, version: '2.8.0-2.3.1' });
    const h8 = host('esxi8');
    await assert.rejects(
      new HostDeployer(connect(pool, h8), { action: 'install', artifact }).run(),
      (err: unknown) => err instanceof PayloadChecksumRequiredError && /2\.3\.2 or later/.test(err.remedy),
    );
    assert.ok(!commandLines(h8).some((l) => l.startsWith('sha256sum')));
    const h7 = host('esxi7');
    await new HostDeployer(connect(pool, h7), {
      action: 'install',
      artifact,
      userVars: desiredUserVars('2.8.0-2.3.1'),
    }).run();
    assert.equal(h7.state.vibs.get('upsmon')?.descriptor.version, '2.8.0-2.3.1');
  });

  it('wrong credentials: typed failure at preflight naming the host and what to do', async () => {
    const h = host('auth');
    await assert.rejects(
      new HostDeployer(connect(pool, h, { password: 'wrong' }), {
        action: 'install',
        artifact: await files.vib(),
      }).run(),
      (err: unknown) => {
        assert.ok(err instanceof DeployStepFailedError);
        assert.equal(err.step, 'preflight');
        assert.ok(err.cause instanceof AuthenticationError);
        assert.match(err.remedy, /SSH credentials/);
        return true;
      },
    );
    assert.equal(h.commandLog.length, 0);
  });

  it('host key mismatch: refused before any command, never retryable', async () => {
    const h = host('key');
    const pinned = connect(pool, h); // pins the key presented before the change
    h.injectFault({ kind: 'host-key-changed' });
    try {
      await assert.rejects(
        new HostDeployer(pinned, { action: 'install', artifact: await files.vib() }).run(),
        (err: unknown) => {
          assert.ok(err instanceof DeployStepFailedError, `${String(err)} ${String((err as Error).stack)}`);
          assert.ok(err.cause instanceof HostKeyMismatchError);
          assert.equal(err.retryable, false);
          assert.match(err.remedy, /re-pin the fingerprint/);
          return true;
        },
      );
      assert.equal(h.commandLog.length, 0);
    } finally {
      h.clearFaults();
    }
  });

  it('offline bundle: installed with esxcli software vib install -d <zip> -n upsmon', async () => {
    const h = host('bundle');
    await new HostDeployer(connect(pool, h), {
      action: 'install',
      artifact: await files.bundle(),
      userVars: desiredUserVars(),
    }).run();
    assert.match(
      vibTransactions(h)[0] ?? '',
      /^esxcli software vib install -d \/tmp\/nutfleet-[0-9a-f]{16}-offline_bundle\.zip -n upsmon$/,
    );
    assert.equal(h.state.vibs.get('upsmon')?.descriptor.version, '2.8.5-2.7.3');
  });

  it('verification fails when the host cannot query a UPS with upsc', async () => {
    const h = host('unreachable');
    h.state.unreachableUpses.add('ups2@nut2.lan:3494');
    await assert.rejects(
      new HostDeployer(connect(pool, h), {
        action: 'install',
        artifact: await files.vib(),
        userVars: desiredUserVars(),
      }).run(),
      (err: unknown) =>
        err instanceof DeployVerificationError &&
        /cannot query ups2@nut2\.lan:3494: Error: Connection failure/.test(err.message),
    );
  });

  it('hostile UserVars values are refused before anything is sent, naming the field', async () => {
    const h = host('hostile');
    const artifact = await files.vib();
    const values = ['pa"ss', "pa'ss", 'a$(reboot)', 'a`reboot`', 'a;reboot', 'pa ss', 'a\nreboot'];
    for (const value of values) {
      for (const field of ['NutPassword', 'NutUser', 'NutMailTo', 'NutUpsName'] as const) {
        const userVars = { ...desiredUserVars(), [field]: value };
        await assert.rejects(
          new HostDeployer(connect(pool, h), { action: 'install', artifact, userVars }).run(),
          (err: unknown) => {
            assert.ok(err instanceof DeployError, String(err));
            assert.match(err.message, new RegExp(`${field}`));
            return true;
          },
        );
        await assert.rejects(new HostDeployer(connect(pool, h), { action: 'configure', userVars }).run(), DeployError);
      }
    }
    assert.equal(h.commandLog.length, 0, 'no command may reach the host');
  });

  it('values with characters the VIB accepts reach the host as one literal argument, no expansion', async () => {
    const h = host('literal');
    const password = 'p@ss!%^~=:,?*-_.+word';
    const userVars = { ...desiredUserVars(), NutPassword: password, NutUser: 'mon.user@site-1' };
    await new HostDeployer(connect(pool, h), { action: 'install', artifact: await files.vib(), userVars }).run();
    const set = h.commandLog.find((e) => e.argv.includes('/UserVars/NutPassword') && e.argv.includes('set'));
    assert.ok(set);
    assert.deepEqual(set.argv.slice(-2), ['-s', password]);
    assert.deepEqual(set.expansions, []);
    assert.ok(h.commandLog.every((e) => e.expansions.length === 0 && e.argvs.length === 1));
    assert.equal(h.state.upsmon.current?.config['NutPassword'], password);
  });
});
