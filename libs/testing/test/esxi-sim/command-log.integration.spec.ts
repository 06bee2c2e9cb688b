import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEsxiFleet, type EsxiFleet } from '../../src/esxi-sim';
import { closeConnections, runOn, shellQuote } from './ssh-test.client';

describe('esxi-sim command log', () => {
  let fleet: EsxiFleet;
  before(async () => {
    fleet = await startEsxiFleet({
      hosts: [
        { installedVibs: [{ name: 'upsmon', version: '2.8.5-2.7.3', vendor: 'Margar', acceptanceLevel: 'community' }] },
      ],
    });
    // The VIB's live-install hook is not run for pre-installed VIBs; create the options.
    fleet.host(0).state.settings.create({
      path: '/UserVars/NutPassword',
      type: 'string',
      defaultInt: 0,
      defaultString: 'upspassword',
      min: 0,
      max: 0,
      description: 'NUT password',
    });
  });
  after(async () => {
    await closeConnections();
    await fleet.stop();
  });

  const hostile = [
    `a'b"c`,
    'p$(reboot)x',
    'q`id`q',
    'x; rm -rf /',
    'a | b && c',
    'line1\nline2',
    'é ü 中文 😀',
    '$HOME ${PATH}',
    '\\back\\slash',
    ' lead and trail ',
  ];

  for (const value of hostile) {
    it(`delivers ${JSON.stringify(value)} as one literal argument`, async () => {
      const host = fleet.host(0);
      const argv = ['esxcli', 'system', 'settings', 'advanced', 'set', '-o', '/UserVars/NutPassword', '-s', value];
      const line = shellQuote(argv);
      const r = await runOn(host, line);
      assert.equal(r.code, 0, r.stderr);
      const entry = host.commandLog[host.commandLog.length - 1];
      assert.ok(entry);
      assert.equal(entry.line, line);
      assert.deepEqual(entry.argv, argv);
      assert.deepEqual(entry.expansions, []);
      assert.equal(entry.exitCode, 0);
      assert.equal(host.state.settings.get('/UserVars/NutPassword'), value);
    });
  }

  it('shows when a line was not quoted (a shell would have expanded it)', async () => {
    const host = fleet.host(0);
    await runOn(host, 'echo $(reboot) `id`');
    const entry = host.commandLog[host.commandLog.length - 1];
    assert.deepEqual(entry?.expansions, ['$(reboot)', '`id`']);
    assert.equal(host.power, 'on', 'nothing was executed');
  });
});
