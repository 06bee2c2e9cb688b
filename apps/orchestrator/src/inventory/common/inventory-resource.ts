import { type Prisma } from '@nutfleet/db';

import { type AuditContext, type AuditService } from '../../audit/audit.service';
import { ApiError } from '../../http/api-error';

/**
 * What every inventory service says the same way about its kind of resource: the 404 naming it,
 * and the audit entries of its changes (`<resource>.create|update|delete`, resourceType
 * `<resource>`), written in the change's transaction.
 */
export class InventoryResource {
  public constructor(
    private readonly audit: AuditService,
    private readonly resourceType: string,
  ) {}

  public created(tx: Prisma.TransactionClient, ctx: AuditContext, id: string, after: unknown): Promise<void> {
    return this.record(tx, ctx, 'create', id, { after });
  }

  public updated(
    tx: Prisma.TransactionClient,
    ctx: AuditContext,
    id: string,
    before: unknown,
    after: unknown,
  ): Promise<void> {
    return this.record(tx, ctx, 'update', id, { before, after });
  }

  public deleted(tx: Prisma.TransactionClient, ctx: AuditContext, id: string, before: unknown): Promise<void> {
    return this.record(tx, ctx, 'delete', id, { before });
  }

  /** The row read by id, or the 404 naming the resource. */
  public found<Row>(row: Row | null, id: string): Row {
    if (row === null) throw ApiError.notFound(this.resourceType, id);
    return row;
  }

  private record(
    tx: Prisma.TransactionClient,
    ctx: AuditContext,
    verb: 'create' | 'update' | 'delete',
    id: string,
    change: { before?: unknown; after?: unknown },
  ): Promise<void> {
    return this.audit.record(tx, ctx, {
      action: `${this.resourceType}.${verb}`,
      resourceType: this.resourceType,
      resourceId: id,
      ...change,
    });
  }
}
