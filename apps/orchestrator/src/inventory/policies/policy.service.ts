import { Injectable } from '@nestjs/common';

import { type Policy, type Prisma, PrismaService } from '@nutfleet/db';

import { type AuditContext, AuditService } from '../../audit/audit.service';
import { ApiError } from '../../http/api-error';
import { DEFAULT_PAGE_SIZE, decodeCursor, type Page, toPage } from '../../http/pagination';
import { InventoryResource } from '../common/inventory-resource';
import { type CreatePolicyDto, type PolicyDto, type PolicyQueryDto, type UpdatePolicyDto } from './policy.dto';

function policyView(row: Policy): PolicyDto {
  const { createdAt, updatedAt, ...rest } = row;
  return { ...rest, createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString() };
}

@Injectable()
export class PolicyService {
  private readonly policies: InventoryResource;

  public constructor(
    private readonly prisma: PrismaService,
    audit: AuditService,
  ) {
    this.policies = new InventoryResource(audit, 'policy');
  }

  public async list(query: PolicyQueryDto): Promise<Page<PolicyDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const where: Prisma.PolicyWhereInput = query.cursor
      ? { name: { gt: decodeCursor(query.cursor, ['name']).name } }
      : {};
    const rows = await this.prisma.policy.findMany({ where, orderBy: { name: 'asc' }, take: limit + 1 });
    return toPage(rows, limit, policyView, (r) => ({ name: r.name }));
  }

  public async get(id: string): Promise<PolicyDto> {
    return policyView(this.policies.found(await this.prisma.policy.findUnique({ where: { id } }), id));
  }

  public async create(body: CreatePolicyDto, ctx: AuditContext): Promise<PolicyDto> {
    return this.prisma.$transaction(async (tx) => {
      await this.checkName(tx, body.name, null);
      const row = await tx.policy.create({ data: body });
      const after = policyView(row);
      await this.policies.created(tx, ctx, row.id, after);
      return after;
    });
  }

  public async update(id: string, body: UpdatePolicyDto, ctx: AuditContext): Promise<PolicyDto> {
    return this.prisma.$transaction(async (tx) => {
      const before = this.policies.found(await tx.policy.findUnique({ where: { id } }), id);
      if (body.name !== undefined) await this.checkName(tx, body.name, id);
      const row = await tx.policy.update({ where: { id }, data: body });
      const after = policyView(row);
      await this.policies.updated(tx, ctx, id, policyView(before), after);
      return after;
    });
  }

  /** Hosts and groups that used it fall back to no policy of their own. */
  public async remove(id: string, ctx: AuditContext): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const before = this.policies.found(await tx.policy.findUnique({ where: { id } }), id);
      await tx.policy.delete({ where: { id } });
      await this.policies.deleted(tx, ctx, id, policyView(before));
    });
  }

  private async checkName(tx: Prisma.TransactionClient, name: string, selfId: string | null): Promise<void> {
    const clash = await tx.policy.findFirst({
      where: { name, ...(selfId ? { id: { not: selfId } } : {}) },
      select: { id: true },
    });
    if (clash) throw ApiError.conflict('name', `a policy named "${name}" already exists`);
  }
}
