import { Injectable } from '@nestjs/common';

import { PrismaService } from '@nutfleet/db';
import { readUpsPowerCycleDetail } from '@nutfleet/plan';

import { type ClaimedStep } from '../claimed-step';
import { type StepHandler } from '../step-handler';
import { type StepOutcome } from '../step-outcome';
import { recordPowerCycleEvent } from './power-cycle-events';

/** Dry run: the power cycle is never sent; the step says what would be, when, and which hosts it would boot. */
@Injectable()
export class UpsPowerCycleDryRunStepHandler implements StepHandler {
  public readonly actions = ['ups-power-cycle'] as const;
  public readonly mode = 'DRY_RUN';

  public constructor(private readonly prisma: PrismaService) {}

  public async run(step: ClaimedStep): Promise<StepOutcome> {
    const detail = readUpsPowerCycleDetail(step.detail);
    const output =
      `dry-run: would send ${detail.action} to ${detail.upsAddress} once ${detail.hostNames.join(', ')} are down` +
      ` (predicted ${detail.predictedSendSeconds} s after start)${detail.timing === undefined ? '' : `: ${detail.timing}`}; not sent`;
    await recordPowerCycleEvent(this.prisma, step.plan.id, detail, { event: 'ups-power-cycle-dry-run', output });
    return { state: 'SKIPPED', output };
  }
}
