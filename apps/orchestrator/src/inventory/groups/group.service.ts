import { Injectable } from '@nestjs/common';

import { type HostGroup, type Prisma, PrismaService } from '@nutfleet/db';

import { type AuditContext, AuditService } from '../../audit/audit.service';
import { ApiError } from '../../http/api-error';
import { DEFAULT_PAGE_SIZE, decodeCursor, type Page, toPage } from '../../http/pagination';
import { InventoryResource } from '../common/inventory-resource';
import { type CreateGroupDto, type GroupDto, type GroupQueryDto, type UpdateGroupDto } from './group.dto';

type GroupRow = HostGroup & { _count: { hosts: number } };
const INCLUDE = { _count: { select: { hosts: true } } } as const;

function groupView(row: GroupRow): GroupDto {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    policyId: row.policyId,
    hostCount: row._count.hosts,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

@Injectable()
export class GroupService {
  private readonly groups: InventoryResource;

  public constructor(
    private readonly prisma: PrismaService,
    audit: AuditService,
  ) {
    this.groups = new InventoryResource(audit, 'group');
  }

  public async list(query: GroupQueryDto): Promise<Page<GroupDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const where: Prisma.HostGroupWhereInput = {};
    if (query.q) where.name = { contains: query.q, mode: 'insensitive' };
    if (query.cursor) where.AND = [{ name: { gt: decodeCursor(query.cursor, ['name']).name } }];
    const rows = await this.prisma.hostGroup.findMany({
      where,
      include: INCLUDE,
      orderBy: { name: 'asc' },
      take: limit + 1,
    });
    return toPage(rows, limit, groupView, (r) => ({ name: r.name }));
  }

  public async get(id: string): Promise<GroupDto> {
    const row = await this.prisma.hostGroup.findUnique({ where: { id }, include: INCLUDE });
    return groupView(this.groups.found(row, id));
  }

  public async create(body: CreateGroupDto, ctx: AuditContext): Promise<GroupDto> {
    return this.prisma.$transaction(async (tx) => {
      await this.check(tx, body, null);
      const row = await tx.hostGroup.create({
        data: { name: body.name, description: body.description ?? null, policyId: body.policyId ?? null },
        include: INCLUDE,
      });
      const after = groupView(row);
      await this.groups.created(tx, ctx, row.id, after);
      return after;
    });
  }

  public async update(id: string, body: UpdateGroupDto, ctx: AuditContext): Promise<GroupDto> {
    return this.prisma.$transaction(async (tx) => {
      const before = this.groups.found(await tx.hostGroup.findUnique({ where: { id }, include: INCLUDE }), id);
      await this.check(tx, body, id);
      const data: Prisma.HostGroupUncheckedUpdateInput = {};
      if (body.name !== undefined) data.name = body.name;
      if (body.description !== undefined) data.description = body.description;
      if (body.policyId !== undefined) data.policyId = body.policyId;
      const row = await tx.hostGroup.update({ where: { id }, data, include: INCLUDE });
      const after = groupView(row);
      await this.groups.updated(tx, ctx, id, groupView(before), after);
      return after;
    });
  }

  /** Hosts of a deleted group stay, without a group. */
  public async remove(id: string, ctx: AuditContext): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const before = this.groups.found(await tx.hostGroup.findUnique({ where: { id }, include: INCLUDE }), id);
      await tx.hostGroup.delete({ where: { id } });
      await this.groups.deleted(tx, ctx, id, groupView(before));
    });
  }

  private async check(tx: Prisma.TransactionClient, body: UpdateGroupDto, selfId: string | null): Promise<void> {
    if (body.name !== undefined) {
      const clash = await tx.hostGroup.findFirst({
        where: { name: body.name, ...(selfId ? { id: { not: selfId } } : {}) },
        select: { id: true },
      });
      if (clash) throw ApiError.conflict('name', `a group named "${body.name}" already exists`);
    }
    if (body.policyId && !(await tx.policy.findUnique({ where: { id: body.policyId }, select: { id: true } })))
      throw ApiError.unknownReference('policyId', `no policy ${body.policyId}`);
  }
}
