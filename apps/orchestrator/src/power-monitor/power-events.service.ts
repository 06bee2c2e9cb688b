/** Reads the PowerEvent timeline: pages by id (the cursor) and the tail for the live stream. */
import { Injectable } from '@nestjs/common';

import { type Prisma, PrismaService } from '@nutfleet/db';

import { type EventsCursor } from './events-cursor';
import { powerEventView, type PowerEventView } from './power-event.view';

export interface PowerEventPage {
  items: PowerEventView[];
  /** Pass as `since` to get the next page; null when this page was not full. */
  nextSince: string | null;
}

@Injectable()
export class PowerEventsService {
  public constructor(private readonly prisma: PrismaService) {}

  public async page(cursor: EventsCursor, limit: number, upsId?: string): Promise<PowerEventPage> {
    const where: Prisma.PowerEventWhereInput = {
      ...(upsId === undefined ? {} : { upsId }),
      ...(cursor.kind === 'id' ? { id: { gt: cursor.id } } : {}),
      ...(cursor.kind === 'time' ? { receivedAt: { gt: cursor.at } } : {}),
    };
    const rows = await this.prisma.powerEvent.findMany({ where, orderBy: { id: 'asc' }, take: limit });
    const items = rows.map(powerEventView);
    const last = items[items.length - 1];
    return { items, nextSince: items.length === limit && last !== undefined ? last.id : null };
  }

  /** Events with id > `afterId`, oldest first. */
  public async after(afterId: bigint, limit: number): Promise<PowerEventView[]> {
    const rows = await this.prisma.powerEvent.findMany({
      where: { id: { gt: afterId } },
      orderBy: { id: 'asc' },
      take: limit,
    });
    return rows.map(powerEventView);
  }

  /** Id of the newest event, 0 when there is none. */
  public async latestId(): Promise<bigint> {
    const row = await this.prisma.powerEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
    return row?.id ?? 0n;
  }
}
