import { Injectable } from '@nestjs/common';

import { type Prisma, PrismaService } from '@nutfleet/db';

import { type Role } from '../auth/role';
import { auditSafe } from './audit-redaction';

/** Who acts and under which request; built from the request by @Audit(). */
export interface AuditContext {
  actor: string;
  /** The actor's role (null: no principal, e.g. a CLI): decides who may write secrets. */
  role?: Role | null;
  requestId: string | null;
  /** Tells the audit interceptor that this request's change has been recorded. */
  markRecorded?: () => void;
}

export interface AuditRecord {
  action: string;
  resourceType: string;
  resourceId?: string | null;
  before?: unknown;
  after?: unknown;
}

@Injectable()
export class AuditService {
  private readonly listeners: (() => void)[] = [];

  public constructor(private readonly prisma: PrismaService) {}

  /** Every audited change notifies these (e.g. caches of derived views). */
  public onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Writes the entry in the caller's transaction, so the change and its record commit together. */
  public async record(tx: Prisma.TransactionClient, ctx: AuditContext, record: AuditRecord): Promise<void> {
    await tx.auditEntry.create({ data: auditData(ctx, record) });
    ctx.markRecorded?.();
    for (const listener of this.listeners) listener();
  }

  /** Many entries at once (bulk import), in the caller's transaction. */
  public async recordMany(tx: Prisma.TransactionClient, ctx: AuditContext, records: AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    await tx.auditEntry.createMany({ data: records.map((r) => auditData(ctx, r) as Prisma.AuditEntryCreateManyInput) });
    ctx.markRecorded?.();
    for (const listener of this.listeners) listener();
  }

  /** For changes made outside a transaction of ours (the interceptor's fallback). */
  public async recordNow(ctx: AuditContext, record: AuditRecord): Promise<void> {
    await this.record(this.prisma, ctx, record);
  }
}

export function auditData(ctx: AuditContext, record: AuditRecord): Prisma.AuditEntryCreateInput {
  const json = (value: unknown): Prisma.InputJsonValue | undefined =>
    value === undefined || value === null ? undefined : (auditSafe(value) as Prisma.InputJsonValue);
  return {
    actor: ctx.actor,
    action: record.action,
    resourceType: record.resourceType,
    resourceId: record.resourceId ?? null,
    before: json(record.before),
    after: json(record.after),
    requestId: ctx.requestId,
  };
}
