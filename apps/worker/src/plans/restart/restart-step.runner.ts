import { Injectable } from '@nestjs/common';

import { PrismaService } from '@nutfleet/db';

import { type ClaimedStep } from '../claimed-step';

import { type StepOutcome } from '../step-outcome';
import { PowerOnVmsStepHandler } from './power-on-vms.step-handler';
import { RestartDryRunStepHandler } from './restart-dry-run.step-handler';
import { type RestartStepDetail } from './restart-step.detail';
import { VerifyEsxiStepHandler } from './verify-esxi.step-handler';
import { WaitSshStepHandler } from './wait-ssh.step-handler';
import { WakeStepHandler } from './wake.step-handler';

/**
 * Runs one restart step. Unlike a shutdown (where a stuck VM must not keep its host running), a
 * restart step is pointless once an earlier step of its host failed: it is SKIPPED, naming why,
 * and the host's failure is what the timeline reports.
 */
@Injectable()
export class RestartStepRunner {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly wake: WakeStepHandler,
    private readonly waitSsh: WaitSshStepHandler,
    private readonly verify: VerifyEsxiStepHandler,
    private readonly powerOn: PowerOnVmsStepHandler,
    private readonly dryRun: RestartDryRunStepHandler,
  ) {}

  public async run(step: ClaimedStep, detail: RestartStepDetail): Promise<StepOutcome> {
    if (detail.kind !== 'wake' && step.dependsOn.length > 0) {
      const deps = await this.prisma.planStep.findMany({
        where: { planId: step.planId, key: { in: step.dependsOn } },
        select: { key: true, state: true },
      });
      const broken = deps.filter((d) => d.state !== 'SUCCEEDED');
      if (broken.length > 0) {
        return {
          state: 'SKIPPED',
          output: `skipped: ${broken.map((d) => `${d.key} ${d.state}`).join(', ')}; ${detail.hostName} did not come back`,
        };
      }
    }
    if (step.plan.mode === 'DRY_RUN') return this.dryRun.run(step, detail);
    switch (detail.kind) {
      case 'wake':
        return this.wake.run(step, detail);
      case 'wait-ssh':
        return this.waitSsh.run(step, detail);
      case 'verify-esxi':
        return this.verify.run(step, detail);
      case 'power-on-vms':
        return this.powerOn.run(step, detail);
    }
  }
}
