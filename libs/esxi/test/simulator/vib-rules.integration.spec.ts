import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AcceptanceLevelError, esxcli, MissingPayloadChecksumError, SecureBootError } from '../../src';
import { type ClientAndFleet, startClientAndFleet } from './support/simulated-fleet';
import { VibFiles } from './support/vib-files';

// Host 0: ESXi 8 with Secure Boot; host 1: ESXi 8; host 2: ESXi 7.0; host 3: ESXi 6.7.
describe('ESXi VIB rules seen through the client', { timeout: 60_000 }, () => {
  let sim: ClientAndFleet;
  const vibs = new VibFiles();

  before(async () => {
    sim = await startClientAndFleet({
      hosts: [
        { version: '8.0', secureBoot: true },
        { version: '8.0', acceptanceLevel: 'CommunitySupported' },
        { version: '7.0', acceptanceLevel: 'CommunitySupported' },
        { version: '6.7', acceptanceLevel: 'CommunitySupported' },
      ],
    });
  });
  after(async () => {
    await sim.stop();
    vibs.remove();
  });

  it(
    'Secure Boot forbids lowering the acceptance level: SecureBootError, level unchanged',
    { timeout: 10_000 },
    async () => {
      const host = sim.host(0);
      await assert.rejects(esxcli.acceptanceSet(host, 'CommunitySupported'), (err) => {
        assert.ok(err instanceof SecureBootError, String(err));
        assert.equal(err.errorType, 'AcceptanceConfigError');
        assert.match(err.message, /disable Secure Boot/);
        return true;
      });
      assert.equal(await esxcli.acceptanceGet(host), 'PartnerSupported');
      const { path } = await vibs.uploadVib(host);
      await assert.rejects(esxcli.vibInstall(host, { source: { vib: path }, noSigCheck: true }), AcceptanceLevelError);
    },
  );

  it(
    'ESXi 8 refuses a payload without sha-256 gunzip checksum; 7.0 and 6.7 install it',
    { timeout: 15_000 },
    async () => {
      const old = { version: '2.8.0-2.3.1', withoutGunzipChecksum: true };
      const on8 = await vibs.uploadVib(sim.host(1), old);
      await assert.rejects(esxcli.vibInstall(sim.host(1), { source: { vib: on8.path } }), (err) => {
        assert.ok(err instanceof MissingPayloadChecksumError, String(err));
        assert.match(err.message, /NutClient 2\.3\.2 or later/);
        return true;
      });
      assert.deepEqual(await esxcli.vibList(sim.host(1)), []);
      for (const i of [2, 3]) {
        const { fixture, path } = await vibs.uploadVib(sim.host(i), old);
        const result = await esxcli.vibInstall(sim.host(i), { source: { vib: path } });
        assert.deepEqual(result.vibsInstalled, [fixture.vibId]);
      }
    },
  );

  it('raising the level above an installed community VIB is refused', { timeout: 10_000 }, async () => {
    await assert.rejects(esxcli.acceptanceSet(sim.host(2), 'PartnerSupported'), AcceptanceLevelError);
    assert.equal(await esxcli.acceptanceGet(sim.host(2)), 'CommunitySupported');
  });

  it('an offline bundle installs with -d and -n picks the VIB', { timeout: 10_000 }, async () => {
    const host = sim.host(1);
    const { fixture } = await vibs.uploadVib(host);
    const depot = await vibs.uploadBundle(host, fixture);
    const result = await esxcli.vibInstall(host, { source: { depot, names: ['upsmon'] } });
    assert.deepEqual(result.vibsInstalled, [fixture.vibId]);
    assert.equal((await esxcli.vibGet(host, fixture.vibId)).name, 'upsmon');
  });
});
