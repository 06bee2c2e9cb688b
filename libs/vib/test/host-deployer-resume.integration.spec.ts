import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EsxiHostPool, NoSpaceLeftError } from '@nutfleet/esxi';
import { startEsxiFleet, type EsxiFleet } from '@nutfleet/testing';
import {
  DEPLOY_STEPS,
  type DeployAction,
  DeployStepFailedError,
  type DeployStepName,
  type DeployStepResult,
  HostDeployer,
  MemoryDeployJournal,
} from '../src';
import { commandLines, connect, desiredUserVars, FixtureFiles, vibTransactions } from './support/deploy-fixtures';

class SimulatedCrash extends Error {}

/** A journal whose process "dies" right after the step's effect, before the record is durable. */
class CrashingJournal extends MemoryDeployJournal {
  constructor(private crashAt: DeployStepName | undefined) {
    super();
  }
  override record(step: DeployStepName, result: DeployStepResult): void {
    if (step === this.crashAt) {
      this.crashAt = undefined;
      throw new SimulatedCrash(`crash after ${step}`);
    }
    super.record(step, result);
  }
}

const INSTALL_STEPS = DEPLOY_STEPS.install;
const UNINSTALL_STEPS = DEPLOY_STEPS.uninstall;

describe('HostDeployer resume', () => {
  let fleet: EsxiFleet;
  const pool = new EsxiHostPool({ connectTimeoutMs: 5_000, commandTimeoutMs: 10_000 });
  const files = new FixtureFiles();

  before(async () => {
    fleet = await startEsxiFleet({
      hosts: INSTALL_STEPS.length + UNINSTALL_STEPS.length + 1,
      defaults: { acceptanceLevel: 'PartnerSupported' },
      seed: 'vib-resume',
    });
  });
  after(async () => {
    pool.closeAll();
    await fleet.stop();
    files.cleanup();
  });

  it('upload interrupted by a full disk: typed error, then the resumed run uploads again and finishes', async () => {
    const h = fleet.host(INSTALL_STEPS.length + UNINSTALL_STEPS.length);
    const artifact = await files.vib();
    const journal = new MemoryDeployJournal();
    const options = {
      action: 'install' as DeployAction,
      artifact,
      userVars: desiredUserVars(),
      allowAcceptanceChange: true,
      journal,
    };
    h.injectFault({ kind: 'no-space-left', afterBytes: 100 });
    await assert.rejects(new HostDeployer(connect(pool, h), options).run(), (err: unknown) => {
      assert.ok(err instanceof DeployStepFailedError, String(err));
      assert.equal(err.step, 'upload');
      assert.ok(err.cause instanceof NoSpaceLeftError);
      assert.match(err.remedy, /free space/);
      return true;
    });
    assert.deepEqual([...journal.results.keys()], ['preflight']);
    assert.deepEqual(vibTransactions(h), []);
    h.clearFaults();
    const report = await new HostDeployer(connect(pool, h), options).run();
    assert.equal(report.steps.find((s) => s.step === 'upload')?.outcome, 'done');
    assert.equal(vibTransactions(h).length, 1);
    assert.equal(h.state.vibs.get('upsmon')?.descriptor.version, artifact.descriptor.version);
  });

  for (const [i, step] of INSTALL_STEPS.entries()) {
    it(`install: crash right after "${step}" (before its record), resume: no double install, same end state`, async () => {
      const h = fleet.host(i);
      const artifact = await files.vib();
      const journal = new CrashingJournal(step);
      const options = {
        action: 'install' as DeployAction,
        artifact,
        userVars: desiredUserVars(),
        allowAcceptanceChange: true,
        journal,
      };
      await assert.rejects(new HostDeployer(connect(pool, h), options).run(), SimulatedCrash);
      const report = await new HostDeployer(connect(pool, h), options).run();

      assert.equal(vibTransactions(h).length, 1, `installed once: ${vibTransactions(h).join(' | ')}`);
      assert.equal(commandLines(h).filter((l) => l.includes('acceptance set')).length, 1);
      assert.equal(h.state.vibs.get('upsmon')?.descriptor.version, '2.8.5-2.7.3');
      assert.equal(h.state.upsmon.running, true);
      assert.equal(h.state.upsmon.current?.config['NutFinalDelay'], 460);
      assert.deepEqual(
        h.files.fileNames().filter((f) => f.startsWith('/tmp/')),
        [],
        'upload removed',
      );
      // Steps recorded before the crash are not run again (verify, which only reads, always runs).
      const before = INSTALL_STEPS.slice(1, INSTALL_STEPS.indexOf(step)).filter((s) => s !== 'verify');
      for (const s of before)
        assert.equal(report.steps.find((r) => r.step === s)?.summary, 'completed in an earlier run', s);
      assert.deepEqual([...journal.results.keys()].sort(), [...INSTALL_STEPS].sort());
    });
  }

  for (const [i, step] of UNINSTALL_STEPS.entries()) {
    it(`uninstall: crash right after "${step}", resume: removed once`, async () => {
      const h = fleet.host(INSTALL_STEPS.length + i);
      await new HostDeployer(connect(pool, h), {
        action: 'install',
        artifact: await files.vib(),
        userVars: desiredUserVars(),
        allowAcceptanceChange: true,
      }).run();
      const journal = new CrashingJournal(step);
      await assert.rejects(new HostDeployer(connect(pool, h), { action: 'uninstall', journal }).run(), SimulatedCrash);
      await new HostDeployer(connect(pool, h), { action: 'uninstall', journal }).run();
      assert.equal(commandLines(h).filter((l) => l.startsWith('esxcli software vib remove')).length, 1);
      assert.equal(h.state.vibs.has('upsmon'), false);
    });
  }
});
