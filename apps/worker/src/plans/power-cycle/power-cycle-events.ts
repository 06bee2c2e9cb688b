import { type Prisma, type PrismaService } from '@nutfleet/db';
import { type UpsPowerCycleStepDetail } from '@nutfleet/plan';

/** One entry of the plan's timeline about this UPS's power cycle (PowerEvent type PLAN). */
export async function recordPowerCycleEvent(
  prisma: PrismaService,
  planId: string,
  detail: UpsPowerCycleStepDetail,
  data: Readonly<Record<string, Prisma.InputJsonValue>>,
): Promise<void> {
  await prisma.powerEvent.create({
    data: {
      type: 'PLAN',
      planId,
      upsId: detail.upsId,
      data: { ...data, ups: detail.upsAddress, action: detail.action },
    },
  });
}
