import { Injectable } from '@nestjs/common';

import { type Policy, type Prisma, PrismaService } from '@nutfleet/db';

import { type AuditContext, AuditService } from '../../audit/audit.service';
import { ApiError } from '../../http/api-error';
import { DEFAULT_PAGE_SIZE, decodeCursor, type Page, toPage } from '../../http/pagination';
import { InventoryResource } from '../common/inventory-resource';
import { engineFieldErrors } from './policy-engine.check';
import { type CreatePolicyDto, type PolicyDto, type PolicyQueryDto, type UpdatePolicyDto } from './policy.dto';

/**
 * Serialises the changes that involve the default flag (moving it, deleting a policy): two
 * concurrent moves, or a move onto a policy being deleted, could otherwise leave zero or two
 * defaults, since each transaction's statements would not see the other's uncommitted flag.
 */
const DEFAULT_POLICY_LOCK = 7_114_201;

function policyView(row: Policy): PolicyDto {
  const { createdAt, updatedAt, ...rest } = row;
  return { ...rest, createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString() };
}

@Injectable()
export class PolicyService {
  private readonly policies: InventoryResource;

  public constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
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
      const row = checkedByEngine(await tx.policy.create({ data: body }));
      const after = policyView(row);
      await this.policies.created(tx, ctx, row.id, after);
      return after;
    });
  }

  /** The default policy is changed like any other: what is stored is what hosts without a policy follow. */
  public async update(id: string, body: UpdatePolicyDto, ctx: AuditContext): Promise<PolicyDto> {
    return this.prisma.$transaction(async (tx) => {
      const before = this.policies.found(await tx.policy.findUnique({ where: { id } }), id);
      if (body.name !== undefined) await this.checkName(tx, body.name, id);
      // The changed row as stored (sent fields over the current ones): refused as a whole, rolled back.
      const row = checkedByEngine(await tx.policy.update({ where: { id }, data: body }));
      const after = policyView(row);
      await this.policies.updated(tx, ctx, id, policyView(before), after);
      return after;
    });
  }

  /**
   * Hosts and groups that used it are left without a policy of their own and follow the default
   * policy; the audit entry says how many. The default policy itself cannot be deleted.
   */
  public async remove(id: string, ctx: AuditContext): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await lockDefaultPolicy(tx);
      const before = this.policies.found(await tx.policy.findUnique({ where: { id } }), id);
      if (before.isDefault)
        throw ApiError.conflict(
          'isDefault',
          `policy "${before.name}" is the default policy, which hosts without a policy follow, and cannot be ` +
            'deleted: make another policy the default first (POST /policies/{id}/make-default)',
        );
      const [hosts, groups, fallback] = await Promise.all([
        tx.host.count({ where: { policyId: id } }),
        tx.hostGroup.count({ where: { policyId: id } }),
        tx.policy.findFirst({ where: { isDefault: true }, select: { id: true, name: true } }),
      ]);
      await tx.policy.delete({ where: { id } });
      await this.policies.deleted(tx, ctx, id, {
        ...policyView(before),
        releasedTo: { defaultPolicy: fallback, hosts, groups },
      });
    });
  }

  /**
   * Makes this policy the default, in one transaction with taking the flag off the previous one,
   * so there is never zero or two defaults. Making the default the default changes nothing.
   */
  public async makeDefault(id: string, ctx: AuditContext): Promise<PolicyDto> {
    return this.prisma.$transaction(async (tx) => {
      await lockDefaultPolicy(tx);
      const target = this.policies.found(await tx.policy.findUnique({ where: { id } }), id);
      if (target.isDefault) return policyView(target);
      const previous = await tx.policy.findFirst({ where: { isDefault: true }, select: { id: true, name: true } });
      await tx.policy.updateMany({ where: { isDefault: true }, data: { isDefault: false } });
      const row = await tx.policy.update({ where: { id }, data: { isDefault: true } });
      await this.audit.record(tx, ctx, {
        action: 'policy.makeDefault',
        resourceType: 'policy',
        resourceId: id,
        before: { defaultPolicy: previous },
        after: { defaultPolicy: { id: row.id, name: row.name } },
      });
      return policyView(row);
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

/** The row, if the decision engine accepts it; else a 400 naming the API field (the transaction rolls back). */
function checkedByEngine(row: Policy): Policy {
  const errors = engineFieldErrors(row);
  if (errors.length > 0) throw ApiError.fields(400, errors);
  return row;
}

async function lockDefaultPolicy(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${DEFAULT_POLICY_LOCK}::bigint)`;
}
