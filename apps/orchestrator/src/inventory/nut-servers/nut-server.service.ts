import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, AppConfig, TargetNetworks } from '@nutfleet/config';
import { type Prisma, PrismaService, sealSecret } from '@nutfleet/db';

import { type AuditContext, AuditService } from '../../audit/audit.service';
import { ApiError } from '../../http/api-error';
import { DEFAULT_PAGE_SIZE, decodeCursor, type Page, toPage } from '../../http/pagination';
import { InventoryResource } from '../common/inventory-resource';
import { normalizeCertificateFingerprint } from '../common/network-rules';
import {
  assertAdminWrites,
  movedTargetFields,
  secretAuditFields,
  secretsToDrop,
  writtenFields,
} from '../common/secret-binding';
import { assertAllowedTarget } from '../common/target-check';
import {
  type CreateNutServerDto,
  type NutServerDto,
  type NutServerQueryDto,
  type UpdateNutServerDto,
} from './nut-server.dto';
import { nutServerView } from './nut-server.view';

export function nutServerPasswordContext(id: string): string {
  return `nutServer:${id}:password`;
}

/** The INSTCMD/SET account's password (UPS power cycles): sealed to its own context. */
export function nutServerCommandPasswordContext(id: string): string {
  return `nutServer:${id}:commandPassword`;
}

/** The write-only secrets of a NUT server, each bound to the target like the other. */
const NUT_SERVER_SECRETS = ['password', 'commandPassword'] as const;

/** Where the passwords are sent, and how: changing any of these drops them unless re-entered. */
export const NUT_SERVER_TARGET_FIELDS = ['host', 'port', 'tlsMode', 'tlsCaPem', 'tlsFingerprint'] as const;

function sameNutTargetValue(field: string, a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a === b;
  if (field === 'tlsFingerprint')
    return normalizeCertificateFingerprint(String(a)) === normalizeCertificateFingerprint(String(b));
  if (field === 'host') return String(a).toLowerCase() === String(b).toLowerCase();
  return a === b;
}

@Injectable()
export class NutServerService {
  private readonly servers: InventoryResource;

  public constructor(
    private readonly prisma: PrismaService,
    audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly targets: TargetNetworks,
  ) {
    this.servers = new InventoryResource(audit, 'nutServer');
  }

  public async list(query: NutServerQueryDto): Promise<Page<NutServerDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const where: Prisma.NutServerWhereInput = {};
    if (query.q)
      where.OR = [
        { name: { contains: query.q, mode: 'insensitive' } },
        { host: { contains: query.q, mode: 'insensitive' } },
      ];
    if (query.cursor) where.name = { gt: decodeCursor(query.cursor, ['name']).name };
    const rows = await this.prisma.nutServer.findMany({ where, orderBy: { name: 'asc' }, take: limit + 1 });
    return toPage(rows, limit, nutServerView, (r) => ({ name: r.name }));
  }

  public async get(id: string): Promise<NutServerDto> {
    return nutServerView(this.servers.found(await this.prisma.nutServer.findUnique({ where: { id } }), id));
  }

  public async create(body: CreateNutServerDto, ctx: AuditContext): Promise<NutServerDto> {
    assertAdminWrites(ctx.role ?? null, writtenFields({ ...body }, NUT_SERVER_SECRETS));
    await assertAllowedTarget(this.targets, 'host', body.host);
    const id = randomUUID();
    return this.prisma.$transaction(async (tx) => {
      await this.checkUnique(tx, body, null);
      const row = await tx.nutServer.create({
        data: { id, ...this.data(id, body) } as Prisma.NutServerUncheckedCreateInput,
      });
      const after = nutServerView(row);
      await this.servers.created(tx, ctx, id, after);
      return after;
    });
  }

  public async update(id: string, body: UpdateNutServerDto, ctx: AuditContext): Promise<NutServerDto> {
    assertAdminWrites(ctx.role ?? null, writtenFields({ ...body }, NUT_SERVER_SECRETS));
    await assertAllowedTarget(this.targets, 'host', body.host);
    return this.prisma.$transaction(async (tx) => {
      // Locked: a concurrent change cannot slip a password in between this read and the write.
      await tx.$queryRaw`SELECT 1 FROM "NutServer" WHERE id = ${id}::uuid FOR UPDATE`;
      const before = this.servers.found(await tx.nutServer.findUnique({ where: { id } }), id);
      // The passwords follow their server: moving it (or changing how it is reached) drops each
      // one this change does not re-enter.
      const moved = movedTargetFields({ ...before }, { ...body }, NUT_SERVER_TARGET_FIELDS, sameNutTargetValue);
      const dropped = secretsToDrop(
        { password: before.passwordEnc !== null, commandPassword: before.commandPasswordEnc !== null },
        { password: body.password, commandPassword: body.commandPassword },
        moved,
      );
      const change: UpdateNutServerDto = { ...body };
      for (const secret of dropped) change[secret] = null;
      await this.checkUnique(
        tx,
        { name: body.name ?? before.name, host: body.host ?? before.host, port: body.port ?? before.port },
        id,
      );
      const row = await tx.nutServer.update({ where: { id }, data: this.data(id, change) });
      const after = nutServerView(row);
      await this.servers.updated(tx, ctx, id, nutServerView(before), {
        ...after,
        ...secretAuditFields(
          { ...body },
          { password: 'credentialChange_pw', commandPassword: 'credentialChange_cmdpw' },
          dropped,
          moved,
        ),
      });
      return after;
    });
  }

  public async remove(id: string, ctx: AuditContext): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const before = this.servers.found(await tx.nutServer.findUnique({ where: { id } }), id);
      const feeds = await tx.powerFeed.count({ where: { ups: { nutServerId: id } } });
      if (feeds > 0) {
        throw new ApiError(
          409,
          `nutServer ${before.name} has UPSes feeding ${feeds} host supplies: remove those power feeds first`,
        );
      }
      await tx.nutServer.delete({ where: { id } });
      await this.servers.deleted(tx, ctx, id, nutServerView(before));
    });
  }

  private data(id: string, body: UpdateNutServerDto): Prisma.NutServerUpdateInput {
    const data: Prisma.NutServerUpdateInput = {};
    if (body.name !== undefined) data.name = body.name;
    if (body.host !== undefined) data.host = body.host;
    if (body.port !== undefined) data.port = body.port;
    if (body.tlsMode !== undefined) data.tlsMode = body.tlsMode;
    if (body.tlsCaPem !== undefined) data.tlsCaPem = body.tlsCaPem;
    if (body.tlsFingerprint !== undefined)
      data.tlsFingerprint = body.tlsFingerprint === null ? null : normalizeCertificateFingerprint(body.tlsFingerprint);
    if (body.username !== undefined) data.username = body.username;
    if (body.password !== undefined)
      data.passwordEnc =
        body.password === null ? null : sealSecret(body.password, this.config.secretKey, nutServerPasswordContext(id));
    if (body.commandUsername !== undefined) data.commandUsername = body.commandUsername;
    if (body.commandPassword !== undefined)
      data.commandPasswordEnc =
        body.commandPassword === null
          ? null
          : sealSecret(body.commandPassword, this.config.secretKey, nutServerCommandPasswordContext(id));
    return data;
  }

  private async checkUnique(
    tx: Prisma.TransactionClient,
    body: { name?: string; host?: string; port?: number },
    selfId: string | null,
  ): Promise<void> {
    const not = selfId ? { id: { not: selfId } } : {};
    if (
      body.name !== undefined &&
      (await tx.nutServer.findFirst({ where: { name: body.name, ...not }, select: { id: true } }))
    )
      throw ApiError.conflict('name', `a NUT server named "${body.name}" already exists`);
    const port = body.port ?? 3493;
    if (
      body.host !== undefined &&
      (await tx.nutServer.findFirst({ where: { host: body.host, port, ...not }, select: { id: true } }))
    )
      throw ApiError.conflict('host', `a NUT server at ${body.host}:${port} already exists`);
  }
}
