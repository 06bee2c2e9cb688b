import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EsxcliError, esxcli, MaintenanceModeRequiredError, VibNotFoundError } from '../../src';
import { type ClientAndFleet, buildVibFixture, lastLogged, startClientAndFleet } from './support/simulated-fleet';
import { VibFiles } from './support/vib-files';

// Each would do something in a shell if it were not quoted: run a command, expand a variable,
// split a word, end the command, comment out the rest, or glob.
const HOSTILE = [
  `it's "quoted"`,
  '$(poweroff)',
  '`reboot`',
  'ups; poweroff',
  'ups | cat /etc/shadow',
  'ups && rm -rf /',
  'line1\nline2',
  'ünïcødé ✓ 日本語 🔋',
  '$HOME ${IFS} $1 $$',
  '\\\\ \\n \\',
  '* ? [a-z] ~root',
  '#not a comment',
  ' leading and trailing ',
  '--reason=x',
  '-n',
  '',
  `'; poweroff; echo '`,
  '"$(poweroff)"',
];

describe('hostile values reach ESXi as single literal arguments', { timeout: 60_000 }, () => {
  let sim: ClientAndFleet;
  const files = new VibFiles();

  before(async () => {
    sim = await startClientAndFleet({ hosts: 1, defaults: { acceptanceLevel: 'CommunitySupported' } });
    const fixture = buildVibFixture();
    const local = join(files.dir, 'upsmon.vib');
    writeFileSync(local, fixture.bytes);
    await sim.host(0).upload(local, '/tmp/upsmon.vib');
    await esxcli.vibInstall(sim.host(0), { source: { vib: '/tmp/upsmon.vib' } });
  });
  after(async () => {
    await sim.stop();
    files.remove();
  });

  /** The last command the host received was exactly `argv`, one simple command, nothing expanded. */
  function assertLiteral(argv: readonly string[]): void {
    const entry = lastLogged(sim.fleet.host(0));
    assert.deepEqual(entry.argvs, [argv], `sent: ${entry.line}`);
    assert.deepEqual(entry.expansions, []);
  }

  it('advancedSetString stores each value verbatim', { timeout: 15_000 }, async () => {
    const host = sim.host(0);
    for (const value of HOSTILE) {
      await esxcli.advancedSetString(host, '/UserVars/NutUpsName', value);
      assertLiteral(['esxcli', 'system', 'settings', 'advanced', 'set', '-o', '/UserVars/NutUpsName', '-s', value]);
      assert.equal(sim.fleet.host(0).state.settings.get('/UserVars/NutUpsName'), value);
      // Read back through the parser too, except where a newline makes the text output ambiguous.
      if (!value.includes('\n'))
        assert.equal((await esxcli.advancedGet(host, '/UserVars/NutUpsName')).stringValue, value.trim());
    }
  });

  it('shutdown reasons, VIB names and VIB paths', { timeout: 15_000 }, async () => {
    const host = sim.host(0);
    for (const value of HOSTILE) {
      if (value.trim() !== '') {
        await assert.rejects(esxcli.shutdownPoweroff(host, value), MaintenanceModeRequiredError);
        assertLiteral(['esxcli', 'system', 'shutdown', 'poweroff', '--reason', value]);
      }
      await assert.rejects(esxcli.vibGet(host, value), EsxcliError);
      assertLiteral(['esxcli', 'software', 'vib', 'get', '-n', value]);
      await assert.rejects(esxcli.vibRemove(host, value), EsxcliError);
      assertLiteral(['esxcli', 'software', 'vib', 'remove', '-n', value]);
      const path = `/tmp/${value}.vib`;
      await assert.rejects(esxcli.vibUpdate(host, { source: { vib: path } }), EsxcliError);
      assertLiteral(['esxcli', 'software', 'vib', 'update', '-v', path]);
    }
    await assert.rejects(esxcli.vibGet(host, '$(poweroff)'), VibNotFoundError);
    assert.equal(sim.fleet.host(0).power, 'on');
    assert.equal(sim.fleet.host(0).state.vibs.has('upsmon'), true);
  });

  it('an upload to a hostile path is checked and installed from that very path', { timeout: 15_000 }, async () => {
    const host = sim.host(0);
    const fixture = buildVibFixture({ version: '2.8.5-2.7.4' });
    const local = join(files.dir, 'newer.vib');
    writeFileSync(local, fixture.bytes);
    const remote = `/tmp/it's $(x) \`y\`; z | ü\n.vib`;
    const uploaded = await host.upload(local, remote);
    assert.equal(uploaded.sha256, fixture.sha256);
    assertLiteral(['sha256sum', remote]);
    const result = await esxcli.vibUpdate(host, { source: { vib: remote } });
    assertLiteral(['esxcli', 'software', 'vib', 'update', '-v', remote]);
    assert.deepEqual(result.vibsInstalled, [fixture.vibId]);
    // Nothing any value asked for happened, across the whole session.
    const simHost = sim.fleet.host(0);
    assert.deepEqual(
      simHost.commandLog.filter((e) => e.expansions.length > 0 || e.argvs.length !== 1),
      [],
    );
    assert.equal(simHost.power, 'on');
  });
});
