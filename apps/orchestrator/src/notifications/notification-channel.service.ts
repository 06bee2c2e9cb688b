import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { openSecret, Prisma, PrismaService, sealSecret } from '@nutfleet/db';
import {
  type ChannelKind,
  type EmailChannelSettings,
  type NotificationChannelSecrets,
  notificationSecretContext,
  type WebhookChannelSettings,
} from '@nutfleet/notify';

import { type AuditContext, AuditService } from '../audit/audit.service';
import { ApiError, type FieldError } from '../http/api-error';
import { channelView, type ChannelRow, defaultSmtpPort } from './notification-channel.view';
import {
  type CreateNotificationChannelDto,
  type NotificationChannelDto,
  type UpdateNotificationChannelDto,
} from './notification.dto';
import { NotificationEnqueuer } from './notification-enqueuer.service';
import { testDraft } from './notification-events';

const INCLUDE = { routes: { orderBy: { createdAt: 'asc' } } } as const satisfies Prisma.NotificationChannelInclude;

/** Channels and routes (admin API). Secrets are sealed on write and never leave this service. */
@Injectable()
export class NotificationChannelService {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly enqueuer: NotificationEnqueuer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  public async list(): Promise<NotificationChannelDto[]> {
    const rows = await this.prisma.notificationChannel.findMany({ include: INCLUDE, orderBy: { name: 'asc' } });
    return rows.map((row) => this.view(row));
  }

  public async get(id: string): Promise<NotificationChannelDto> {
    const row = await this.prisma.notificationChannel.findUnique({ where: { id }, include: INCLUDE });
    if (!row) throw ApiError.notFound('notification channel', id);
    return this.view(row);
  }

  public async create(dto: CreateNotificationChannelDto, ctx: AuditContext): Promise<NotificationChannelDto> {
    // The body class inherits `name` as optional from the update body: required here.
    if (dto.name === undefined) throw ApiError.fields(422, [{ field: 'name', reason: 'is required' }]);
    const id = randomUUID();
    const { settings, secrets } = mergeSettings(dto.kind, null, {}, dto);
    const row = await this.write(ctx, async (tx) => {
      const created = await tx.notificationChannel.create({
        data: {
          id,
          name: dto.name,
          kind: dto.kind,
          enabled: dto.enabled ?? true,
          settings: settings as unknown as Prisma.InputJsonValue,
          secretEnc: this.seal(id, secrets),
          routes: {
            create: (dto.routes ?? []).map((r) => ({
              eventTypes: r.eventTypes ?? [],
              minSeverity: r.minSeverity ?? 'INFO',
            })),
          },
        },
        include: INCLUDE,
      });
      await this.audit.record(tx, ctx, {
        action: 'notificationChannel.create',
        resourceType: 'notificationChannel',
        resourceId: id,
        after: this.view(created),
      });
      return created;
    });
    return this.view(row);
  }

  public async update(
    id: string,
    dto: UpdateNotificationChannelDto,
    ctx: AuditContext,
  ): Promise<NotificationChannelDto> {
    const row = await this.write(ctx, async (tx) => {
      const before = await tx.notificationChannel.findUnique({ where: { id }, include: INCLUDE });
      if (!before) throw ApiError.notFound('notification channel', id);
      const { settings, secrets } = mergeSettings(before.kind, before.settings, this.secrets(before), dto);
      if (dto.routes !== undefined) await tx.notificationRoute.deleteMany({ where: { channelId: id } });
      const after = await tx.notificationChannel.update({
        where: { id },
        data: {
          ...(dto.name === undefined ? {} : { name: dto.name }),
          ...(dto.enabled === undefined ? {} : { enabled: dto.enabled }),
          settings: settings as unknown as Prisma.InputJsonValue,
          secretEnc: this.seal(id, secrets),
          ...(dto.routes === undefined
            ? {}
            : {
                routes: {
                  create: dto.routes.map((r) => ({
                    eventTypes: r.eventTypes ?? [],
                    minSeverity: r.minSeverity ?? 'INFO',
                  })),
                },
              }),
        },
        include: INCLUDE,
      });
      await this.audit.record(tx, ctx, {
        action: 'notificationChannel.update',
        resourceType: 'notificationChannel',
        resourceId: id,
        before: this.view(before),
        after: this.view(after),
      });
      return after;
    });
    return this.view(row);
  }

  public async remove(id: string, ctx: AuditContext): Promise<void> {
    await this.write(ctx, async (tx) => {
      const before = await tx.notificationChannel.findUnique({ where: { id }, include: INCLUDE });
      if (!before) throw ApiError.notFound('notification channel', id);
      await tx.notificationChannel.delete({ where: { id } });
      await this.audit.record(tx, ctx, {
        action: 'notificationChannel.delete',
        resourceType: 'notificationChannel',
        resourceId: id,
        before: this.view(before),
      });
    });
  }

  /** Queues a test message to this channel, whatever its routes say; returns the delivery id. */
  public async sendTest(id: string, ctx: AuditContext): Promise<string> {
    const channel = await this.prisma.notificationChannel.findUnique({ where: { id } });
    if (!channel) throw ApiError.notFound('notification channel', id);
    const draft = testDraft(channel.name, ctx.actor, new Date(), randomUUID());
    const deliveryId = await this.enqueuer.create(id, draft, true);
    if (deliveryId === null) throw new ApiError(500, 'the test delivery could not be created');
    await this.audit.recordNow(ctx, {
      action: 'notificationChannel.test',
      resourceType: 'notificationChannel',
      resourceId: id,
      after: { deliveryId },
    });
    return deliveryId;
  }

  private async write<T>(ctx: AuditContext, work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    try {
      return await this.prisma.$transaction(work);
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw ApiError.conflict('name', 'a notification channel with this name already exists');
      }
      throw error;
    }
  }

  private seal(id: string, secrets: NotificationChannelSecrets): string | null {
    return Object.keys(secrets).length === 0
      ? null
      : sealSecret(JSON.stringify(secrets), this.config.secretKey, notificationSecretContext(id));
  }

  private secrets(row: { id: string; secretEnc: string | null }): NotificationChannelSecrets {
    if (row.secretEnc === null) return {};
    const keys =
      this.config.oldSecretKey === undefined
        ? [this.config.secretKey]
        : [this.config.secretKey, this.config.oldSecretKey];
    return JSON.parse(openSecret(row.secretEnc, keys, notificationSecretContext(row.id))) as NotificationChannelSecrets;
  }

  private view(row: ChannelRow & { secretEnc: string | null }): NotificationChannelDto {
    return channelView(row, this.secrets(row));
  }
}

const EMAIL_FIELDS = [
  'smtpHost',
  'smtpPort',
  'smtpSecurity',
  'smtpUsername',
  'smtpPassword',
  'smtpFrom',
  'smtpTo',
  'smtpCaPem',
] as const;
const HTTP_FIELDS = ['webhookUrl', 'webhookSigningSecret', 'webhookToken'] as const;
/** Which kinds use each HTTP field (the URL: all of them). */
const HTTP_FIELD_KINDS: Record<(typeof HTTP_FIELDS)[number], readonly ChannelKind[]> = {
  webhookUrl: ['WEBHOOK', 'SLACK', 'NTFY', 'GOTIFY', 'TEAMS', 'DISCORD'],
  webhookSigningSecret: ['WEBHOOK'],
  webhookToken: ['NTFY', 'GOTIFY'],
};

/** A field of another kind is refused rather than stored unused (the sender would never read it). */
function foreignFields(kind: ChannelKind, dto: UpdateNotificationChannelDto): FieldError[] {
  const sent = (field: keyof UpdateNotificationChannelDto): boolean => dto[field] !== undefined;
  const own = (field: (typeof HTTP_FIELDS)[number]): boolean => HTTP_FIELD_KINDS[field].includes(kind);
  return [...(kind === 'EMAIL' ? [] : EMAIL_FIELDS.filter(sent)), ...HTTP_FIELDS.filter((f) => sent(f) && !own(f))].map(
    (field) => ({ field, reason: `is not used by a ${kind} channel` }),
  );
}

/**
 * Applies a create/update body to a channel's stored settings and secrets, and checks that the
 * kind's required fields are present (422 naming each missing field otherwise).
 */
export function mergeSettings(
  kind: ChannelKind,
  current: unknown,
  currentSecrets: NotificationChannelSecrets,
  dto: UpdateNotificationChannelDto,
): { settings: EmailChannelSettings | WebhookChannelSettings; secrets: NotificationChannelSecrets } {
  const secrets: NotificationChannelSecrets = { ...currentSecrets };
  const missing: FieldError[] = foreignFields(kind, dto);
  if (kind === 'EMAIL') {
    const was = (current ?? {}) as Partial<EmailChannelSettings>;
    const security = dto.smtpSecurity ?? was.security ?? 'starttls';
    // Switching security without a port moves a default port along (587 → 465 for implicit TLS).
    const keptPort =
      was.port !== undefined && !(was.security !== undefined && was.port === defaultSmtpPort(was.security))
        ? was.port
        : undefined;
    const settings: EmailChannelSettings = {
      host: dto.smtpHost ?? was.host ?? '',
      port: dto.smtpPort ?? keptPort ?? defaultSmtpPort(security),
      security,
      username: dto.smtpUsername === undefined ? (was.username ?? null) : dto.smtpUsername,
      from: dto.smtpFrom ?? was.from ?? '',
      to: dto.smtpTo ?? was.to ?? [],
      caPem: dto.smtpCaPem === undefined ? (was.caPem ?? null) : dto.smtpCaPem,
    };
    if (dto.smtpPassword === null || settings.username === null) delete secrets.smtpPassword;
    else if (dto.smtpPassword !== undefined) secrets.smtpPassword = dto.smtpPassword;
    if (settings.host === '') missing.push({ field: 'smtpHost', reason: 'is required for an EMAIL channel' });
    if (settings.from === '') missing.push({ field: 'smtpFrom', reason: 'is required for an EMAIL channel' });
    if (settings.to.length === 0) missing.push({ field: 'smtpTo', reason: 'needs at least one recipient' });
    if (settings.username !== null && secrets.smtpPassword === undefined)
      missing.push({ field: 'smtpPassword', reason: 'is required with smtpUsername' });
    if (missing.length > 0) throw ApiError.fields(422, missing);
    return { settings, secrets };
  }
  if (dto.webhookUrl !== undefined) secrets.webhookUrl = dto.webhookUrl;
  if (dto.webhookSigningSecret === null) delete secrets.webhookSigningSecret;
  else if (dto.webhookSigningSecret !== undefined) secrets.webhookSigningSecret = dto.webhookSigningSecret;
  if (dto.webhookToken === null) delete secrets.webhookToken;
  else if (dto.webhookToken !== undefined) secrets.webhookToken = dto.webhookToken;
  if (secrets.webhookUrl === undefined)
    missing.push({ field: 'webhookUrl', reason: `is required for a ${kind} channel` });
  else if (kind === 'NTFY' && new URL(secrets.webhookUrl).pathname.replace(/\//g, '') === '')
    missing.push({ field: 'webhookUrl', reason: 'must name the topic: https://ntfy.example/<topic>' });
  if (kind === 'GOTIFY' && secrets.webhookToken === undefined)
    missing.push({ field: 'webhookToken', reason: 'is required for a GOTIFY channel (the application token)' });
  if (missing.length > 0) throw ApiError.fields(422, missing);
  return { settings: { urlHost: new URL(secrets.webhookUrl ?? '').host }, secrets };
}
