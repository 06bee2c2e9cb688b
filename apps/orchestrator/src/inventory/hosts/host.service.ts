import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, AppConfig, TargetNetworks } from '@nutfleet/config';
import { type Prisma, PrismaService } from '@nutfleet/db';

import { type AuditContext, AuditService } from '../../audit/audit.service';
import { ApiError, type FieldError } from '../../http/api-error';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor } from '../../http/pagination';
import { InventoryReadCache } from '../common/inventory-read-cache';
import { InventoryResource } from '../common/inventory-resource';
import { assertAllowedTarget } from '../common/target-check';
import { upsDirectory } from '../common/ups-address';
import { type HostListFilter } from './host-list.filter';
import { type CreateHostDto, type HostDto, type HostQueryDto, type UpdateHostDto } from './host.dto';
import { HostReader } from './host.reader';
import { assertMayWriteHostSecrets, bindHostSecrets } from './host-secret-binding';
import { hostColumns, replaceFeeds } from './host-write';

const EMPTY_PAGE = Buffer.from('{"items":[],"nextCursor":null}');

@Injectable()
export class HostService {
  private readonly hosts: InventoryResource;

  public constructor(
    private readonly prisma: PrismaService,
    audit: AuditService,
    private readonly reader: HostReader,
    private readonly cache: InventoryReadCache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly targets: TargetNetworks,
  ) {
    this.hosts = new InventoryResource(audit, 'host');
  }

  /** One page as JSON bytes (served from the inventory read cache). */
  public async list(query: HostQueryDto): Promise<Buffer> {
    const filter: HostListFilter = {};
    if (query.group !== undefined) filter.group = query.group;
    if (query.groupId !== undefined) filter.groupId = query.groupId;
    if (query.tag !== undefined) filter.tag = query.tag;
    if (query.stage !== undefined) filter.stage = query.stage;
    if (query.wave !== undefined) filter.wave = query.wave;
    if (query.trustState !== undefined) filter.trustState = query.trustState;
    if (query.power !== undefined) filter.power = query.power;
    if (query.hasError !== undefined) filter.hasError = query.hasError;
    if (query.q !== undefined) filter.q = query.q;
    if (query.upsId !== undefined) filter.upsId = query.upsId;
    if (query.ups !== undefined) {
      const id = (await upsDirectory(this.prisma)).get(query.ups);
      if (id === undefined) return EMPTY_PAGE; // no such UPS: no host is fed by it
      if (filter.upsId !== undefined && filter.upsId !== id) return EMPTY_PAGE;
      filter.upsId = id;
    }
    if (query.cursor) filter.afterName = decodeCursor(query.cursor, ['name']).name;
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const key = `hosts:${limit}:${JSON.stringify(filter)}`;
    return this.cache.get(key, async () =>
      Buffer.from((await this.reader.page(filter, limit, (name) => encodeCursor({ name }))).json),
    );
  }

  public get(id: string): Promise<HostDto> {
    return this.reader.view(id);
  }

  public async create(body: CreateHostDto, ctx: AuditContext): Promise<HostDto> {
    assertMayWriteHostSecrets(ctx.role, body);
    await assertAllowedTarget(this.targets, 'address', body.address);
    const id = randomUUID();
    return this.prisma.$transaction(async (tx) => {
      await this.checkReferences(tx, body, null);
      await tx.host.create({
        data: { id, ...hostColumns(id, body, this.config.secretKey) } as Prisma.HostUncheckedCreateInput,
      });
      await replaceFeeds(tx, id, body);
      const after = await this.reader.view(id, tx);
      await this.hosts.created(tx, ctx, id, withoutFacts(after));
      return after;
    });
  }

  public async update(id: string, body: UpdateHostDto, ctx: AuditContext): Promise<HostDto> {
    assertMayWriteHostSecrets(ctx.role, body);
    await assertAllowedTarget(this.targets, 'address', body.address);
    return this.prisma.$transaction(async (tx) => {
      // Locked: a concurrent change cannot slip a credential in between this read and the write.
      await tx.$queryRaw`SELECT 1 FROM "Host" WHERE id = ${id}::uuid FOR UPDATE`;
      const before = await this.reader.view(id, tx);
      await this.checkReferences(tx, body, id);
      // A credential follows its target: moving the host drops those the change does not re-enter.
      const binding = bindHostSecrets(before, body);
      await tx.host.update({ where: { id }, data: hostColumns(id, binding.input, this.config.secretKey) });
      await replaceFeeds(tx, id, body);
      const after = await this.reader.view(id, tx);
      await this.hosts.updated(tx, ctx, id, withoutFacts(before), { ...withoutFacts(after), ...binding.audit });
      return after;
    });
  }

  public async remove(id: string, ctx: AuditContext): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const before = await this.reader.view(id, tx);
      await tx.host.delete({ where: { id } });
      await this.hosts.deleted(tx, ctx, id, withoutFacts(before));
    });
  }

  /** Unique name, existing group/policy/UPSes: each problem named by its field. */
  private async checkReferences(
    tx: Prisma.TransactionClient,
    body: UpdateHostDto,
    selfId: string | null,
  ): Promise<void> {
    if (body.name !== undefined) {
      const clash = await tx.host.findFirst({
        where: { name: body.name, ...(selfId ? { id: { not: selfId } } : {}) },
        select: { id: true },
      });
      if (clash) throw ApiError.conflict('name', `a host named "${body.name}" already exists`);
    }
    const missing: FieldError[] = [];
    if (body.groupId && !(await tx.hostGroup.findUnique({ where: { id: body.groupId }, select: { id: true } })))
      missing.push({ field: 'groupId', reason: `no group ${body.groupId}` });
    if (body.policyId && !(await tx.policy.findUnique({ where: { id: body.policyId }, select: { id: true } })))
      missing.push({ field: 'policyId', reason: `no policy ${body.policyId}` });
    if (body.feeds && body.feeds.length > 0) {
      const ids = body.feeds.map((f) => f.upsId);
      const found = new Set(
        (await tx.ups.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((u) => u.id),
      );
      const seen = new Set<string>();
      body.feeds.forEach((feed, i) => {
        if (!found.has(feed.upsId)) missing.push({ field: `feeds[${i}].upsId`, reason: `no UPS ${feed.upsId}` });
        if (seen.has(feed.upsId)) missing.push({ field: `feeds[${i}].upsId`, reason: 'the same UPS is listed twice' });
        seen.add(feed.upsId);
      });
    }
    if (missing.length > 0) throw ApiError.fields(422, missing);
  }
}

function withoutFacts(view: HostDto): HostDto {
  const { facts: _facts, ...rest } = view;
  return rest;
}
