import { Injectable } from '@nestjs/common';

import { type PowerFeed, type Prisma, PrismaService } from '@nutfleet/db';

import { type AuditContext, AuditService } from '../../audit/audit.service';
import { ApiError, type FieldError } from '../../http/api-error';
import { DEFAULT_PAGE_SIZE, decodeCursor, type Page, toPage } from '../../http/pagination';
import { InventoryResource } from '../common/inventory-resource';
import {
  type CreatePowerFeedDto,
  type PowerFeedDto,
  type PowerFeedQueryDto,
  type UpdatePowerFeedDto,
} from './power-feed.dto';

type FeedRow = PowerFeed & { host: { name: string }; ups: { name: string; nutServer: { name: string } } };
const INCLUDE = {
  host: { select: { name: true } },
  ups: { select: { name: true, nutServer: { select: { name: true } } } },
} as const;

function feedView(row: FeedRow): PowerFeedDto {
  return {
    id: row.id,
    hostId: row.hostId,
    host: row.host.name,
    upsId: row.upsId,
    ups: `${row.ups.name}@${row.ups.nutServer.name}`,
    powerValue: row.powerValue,
    createdAt: row.createdAt.toISOString(),
  };
}

@Injectable()
export class PowerFeedService {
  private readonly feeds: InventoryResource;

  public constructor(
    private readonly prisma: PrismaService,
    audit: AuditService,
  ) {
    this.feeds = new InventoryResource(audit, 'powerFeed');
  }

  public async list(query: PowerFeedQueryDto): Promise<Page<PowerFeedDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const where: Prisma.PowerFeedWhereInput = {};
    if (query.hostId) where.hostId = query.hostId;
    if (query.upsId) where.upsId = query.upsId;
    if (query.cursor) where.id = { gt: decodeCursor(query.cursor, ['id']).id };
    const rows = await this.prisma.powerFeed.findMany({
      where,
      include: INCLUDE,
      orderBy: { id: 'asc' },
      take: limit + 1,
    });
    return toPage(rows, limit, feedView, (r) => ({ id: r.id }));
  }

  public async get(id: string): Promise<PowerFeedDto> {
    const row = await this.prisma.powerFeed.findUnique({ where: { id }, include: INCLUDE });
    return feedView(this.feeds.found(row, id));
  }

  public async create(body: CreatePowerFeedDto, ctx: AuditContext): Promise<PowerFeedDto> {
    return this.prisma.$transaction(async (tx) => {
      const missing: FieldError[] = [];
      if (!(await tx.host.findUnique({ where: { id: body.hostId }, select: { id: true } })))
        missing.push({ field: 'hostId', reason: `no host ${body.hostId}` });
      if (!(await tx.ups.findUnique({ where: { id: body.upsId }, select: { id: true } })))
        missing.push({ field: 'upsId', reason: `no UPS ${body.upsId}` });
      if (missing.length > 0) throw ApiError.fields(422, missing);
      if (await tx.powerFeed.findUnique({ where: { hostId_upsId: { hostId: body.hostId, upsId: body.upsId } } }))
        throw ApiError.conflict('upsId', 'this UPS already feeds this host');
      const row = await tx.powerFeed.create({
        data: { hostId: body.hostId, upsId: body.upsId, powerValue: body.powerValue ?? 1 },
        include: INCLUDE,
      });
      const after = feedView(row);
      await this.feeds.created(tx, ctx, row.id, after);
      return after;
    });
  }

  public async update(id: string, body: UpdatePowerFeedDto, ctx: AuditContext): Promise<PowerFeedDto> {
    return this.prisma.$transaction(async (tx) => {
      const before = this.feeds.found(await tx.powerFeed.findUnique({ where: { id }, include: INCLUDE }), id);
      const row = await tx.powerFeed.update({ where: { id }, data: { powerValue: body.powerValue }, include: INCLUDE });
      const after = feedView(row);
      await this.feeds.updated(tx, ctx, id, feedView(before), after);
      return after;
    });
  }

  public async remove(id: string, ctx: AuditContext): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const before = this.feeds.found(await tx.powerFeed.findUnique({ where: { id }, include: INCLUDE }), id);
      await tx.powerFeed.delete({ where: { id } });
      await this.feeds.deleted(tx, ctx, id, feedView(before));
    });
  }
}
