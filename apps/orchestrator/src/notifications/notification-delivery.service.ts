import { Injectable } from '@nestjs/common';

import { type Prisma, PrismaService } from '@nutfleet/db';
import { type NotificationMessage } from '@nutfleet/notify';

import { ApiError } from '../http/api-error';
import { decodeCursor, encodeCursor } from '../http/pagination';
import { type NotificationDeliveryDto, type NotificationDeliveryQueryDto } from './notification.dto';

const SELECT = {
  id: true,
  channelId: true,
  eventType: true,
  severity: true,
  message: true,
  test: true,
  state: true,
  attempts: true,
  lastError: true,
  createdAt: true,
  sentAt: true,
  channel: { select: { name: true } },
} as const satisfies Prisma.NotificationDeliverySelect;

type Row = Prisma.NotificationDeliveryGetPayload<{ select: typeof SELECT }>;

function view(row: Row): NotificationDeliveryDto {
  return {
    id: row.id,
    channelId: row.channelId,
    channelName: row.channel.name,
    eventType: row.eventType,
    severity: row.severity,
    title: (row.message as unknown as NotificationMessage).title,
    test: row.test,
    state: row.state,
    attempts: row.attempts,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
  };
}

/** Delivery status for the API: what was sent, what is being retried, what failed and why. */
@Injectable()
export class NotificationDeliveryService {
  public constructor(private readonly prisma: PrismaService) {}

  public async get(id: string): Promise<NotificationDeliveryDto> {
    const row = await this.prisma.notificationDelivery.findUnique({ where: { id }, select: SELECT });
    if (!row) throw ApiError.notFound('notification delivery', id);
    return view(row);
  }

  /** Newest first, keyset-paginated on (createdAt, id). */
  public async list(
    query: NotificationDeliveryQueryDto,
  ): Promise<{ items: NotificationDeliveryDto[]; nextCursor: string | null }> {
    const limit = query.limit ?? 50;
    const after = query.cursor === undefined ? null : decodeCursor(query.cursor, ['createdAt', 'id']);
    const rows = await this.prisma.notificationDelivery.findMany({
      where: {
        ...(query.channelId === undefined ? {} : { channelId: query.channelId }),
        ...(query.state === undefined ? {} : { state: query.state }),
        ...(after === null
          ? {}
          : {
              OR: [
                { createdAt: { lt: new Date(after.createdAt) } },
                { createdAt: new Date(after.createdAt), id: { lt: after.id } },
              ],
            }),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
      select: SELECT,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(view),
      nextCursor:
        rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null,
    };
  }
}
