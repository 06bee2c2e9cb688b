import { Injectable } from '@nestjs/common';

import { type Prisma, PrismaService, type Ups } from '@nutfleet/db';

import { type AuditContext, AuditService } from '../../audit/audit.service';
import { ApiError } from '../../http/api-error';
import { DEFAULT_PAGE_SIZE, decodeCursor, type Page, toPage } from '../../http/pagination';
import { upsLiveFields } from '../../power-monitor';
import { InventoryResource } from '../common/inventory-resource';
import { type CreateUpsDto, type UpdateUpsDto, type UpsDto, type UpsQueryDto } from './ups.dto';

type UpsRow = Ups & { nutServer: { name: string }; _count: { feeds: number } };
const INCLUDE = { nutServer: { select: { name: true } }, _count: { select: { feeds: true } } } as const;

export function upsView(row: UpsRow): UpsDto {
  return {
    id: row.id,
    name: row.name,
    address: `${row.name}@${row.nutServer.name}`,
    nutServerId: row.nutServerId,
    description: row.description,
    status: row.status,
    ...upsLiveFields(row),
    commState: row.commState,
    commError: row.commError,
    lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
    feedCount: row._count.feeds,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

@Injectable()
export class UpsService {
  private readonly upses: InventoryResource;

  public constructor(
    private readonly prisma: PrismaService,
    audit: AuditService,
  ) {
    this.upses = new InventoryResource(audit, 'ups');
  }

  public async list(query: UpsQueryDto): Promise<Page<UpsDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const where: Prisma.UpsWhereInput = {};
    if (query.nutServerId) where.nutServerId = query.nutServerId;
    if (query.q) where.name = { contains: query.q, mode: 'insensitive' };
    if (query.cursor) {
      const { id } = decodeCursor(query.cursor, ['id']);
      where.id = { gt: id };
    }
    const rows = await this.prisma.ups.findMany({ where, include: INCLUDE, orderBy: { id: 'asc' }, take: limit + 1 });
    return toPage(rows, limit, upsView, (r) => ({ id: r.id }));
  }

  public async get(id: string): Promise<UpsDto> {
    return upsView(this.upses.found(await this.prisma.ups.findUnique({ where: { id }, include: INCLUDE }), id));
  }

  public async create(body: CreateUpsDto, ctx: AuditContext): Promise<UpsDto> {
    return this.prisma.$transaction(async (tx) => {
      const server = await tx.nutServer.findUnique({ where: { id: body.nutServerId }, select: { name: true } });
      if (!server) throw ApiError.unknownReference('nutServerId', `no NUT server ${body.nutServerId}`);
      await this.checkUnique(tx, body.nutServerId, body.name, server.name, null);
      const row = await tx.ups.create({
        data: { name: body.name, nutServerId: body.nutServerId, description: body.description ?? null },
        include: INCLUDE,
      });
      const after = upsView(row);
      await this.upses.created(tx, ctx, row.id, after);
      return after;
    });
  }

  public async update(id: string, body: UpdateUpsDto, ctx: AuditContext): Promise<UpsDto> {
    return this.prisma.$transaction(async (tx) => {
      const before = this.upses.found(await tx.ups.findUnique({ where: { id }, include: INCLUDE }), id);
      if (body.name !== undefined) await this.checkUnique(tx, before.nutServerId, body.name, before.nutServer.name, id);
      const data: Prisma.UpsUpdateInput = {};
      if (body.name !== undefined) data.name = body.name;
      if (body.description !== undefined) data.description = body.description;
      const row = await tx.ups.update({ where: { id }, data, include: INCLUDE });
      const after = upsView(row);
      await this.upses.updated(tx, ctx, id, upsView(before), after);
      return after;
    });
  }

  public async remove(id: string, ctx: AuditContext): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const before = this.upses.found(await tx.ups.findUnique({ where: { id }, include: INCLUDE }), id);
      if (before._count.feeds > 0)
        throw new ApiError(
          409,
          `ups ${before.name}@${before.nutServer.name} feeds ${before._count.feeds} hosts: remove those power feeds first`,
        );
      await tx.ups.delete({ where: { id } });
      await this.upses.deleted(tx, ctx, id, upsView(before));
    });
  }

  private async checkUnique(
    tx: Prisma.TransactionClient,
    serverId: string,
    name: string,
    serverName: string,
    selfId: string | null,
  ): Promise<void> {
    const clash = await tx.ups.findFirst({
      where: { nutServerId: serverId, name, ...(selfId ? { id: { not: selfId } } : {}) },
      select: { id: true },
    });
    if (clash) throw ApiError.conflict('name', `ups ${name}@${serverName} already exists`);
  }
}
