import { Injectable } from '@nestjs/common';

import { Prisma, PrismaService } from '@nutfleet/db';
import {
  describeRule,
  recoveryPoint,
  ruleProblems,
  THRESHOLD_METRIC_INFO,
  type ThresholdMetric,
} from '@nutfleet/notify';

import { type AuditContext, AuditService } from '../../audit/audit.service';
import { ApiError } from '../../http/api-error';
import { upsAddress } from '../ups-context';
import {
  type CreateNotificationThresholdDto,
  type NotificationThresholdDto,
  type UpdateNotificationThresholdDto,
} from './threshold.dto';

const UPS = { select: { name: true, nutServer: { select: { host: true, port: true } } } } as const;
const INCLUDE = {
  ups: UPS,
  states: { where: { active: true }, include: { ups: UPS }, orderBy: { since: 'asc' } },
} as const satisfies Prisma.NotificationThresholdInclude;

type Row = Prisma.NotificationThresholdGetPayload<{ include: typeof INCLUDE }>;

function view(row: Row): NotificationThresholdDto {
  return {
    id: row.id,
    upsId: row.upsId,
    ups: row.ups === null ? null : upsAddress(row.ups),
    metric: row.metric,
    value: row.value,
    hysteresis: row.hysteresis,
    recoversAt: recoveryPoint(row),
    unit: THRESHOLD_METRIC_INFO[row.metric].unit,
    description: describeRule(row),
    severity: row.severity,
    enabled: row.enabled,
    alerts: row.states.map((s) => ({
      upsId: s.upsId,
      ups: upsAddress(s.ups),
      value: s.value,
      since: s.since.toISOString(),
    })),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Threshold alert rules (admin API); their evaluation is ThresholdAlertEvaluator's. */
@Injectable()
export class NotificationThresholdService {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
  ) {}

  public async list(): Promise<NotificationThresholdDto[]> {
    const rows = await this.prisma.notificationThreshold.findMany({
      include: INCLUDE,
      orderBy: [{ metric: 'asc' }, { createdAt: 'asc' }],
    });
    return rows.map(view);
  }

  public async get(id: string): Promise<NotificationThresholdDto> {
    const row = await this.prisma.notificationThreshold.findUnique({ where: { id }, include: INCLUDE });
    if (!row) throw ApiError.notFound('notification threshold', id);
    return view(row);
  }

  public async create(dto: CreateNotificationThresholdDto, ctx: AuditContext): Promise<NotificationThresholdDto> {
    const hysteresis = dto.hysteresis ?? THRESHOLD_METRIC_INFO[dto.metric].defaultHysteresis;
    check(dto.metric, dto.value, hysteresis);
    return this.prisma.$transaction(async (tx) => {
      await this.checkUps(tx, dto.upsId ?? null);
      const row = await tx.notificationThreshold.create({
        data: {
          upsId: dto.upsId ?? null,
          metric: dto.metric,
          value: dto.value,
          hysteresis,
          severity: dto.severity ?? 'WARNING',
          enabled: dto.enabled ?? true,
        },
        include: INCLUDE,
      });
      await this.audit.record(tx, ctx, {
        action: 'notificationThreshold.create',
        resourceType: 'notificationThreshold',
        resourceId: row.id,
        after: view(row),
      });
      return view(row);
    });
  }

  public async update(
    id: string,
    dto: UpdateNotificationThresholdDto,
    ctx: AuditContext,
  ): Promise<NotificationThresholdDto> {
    return this.prisma.$transaction(async (tx) => {
      const before = await tx.notificationThreshold.findUnique({ where: { id }, include: INCLUDE });
      if (!before) throw ApiError.notFound('notification threshold', id);
      const value = dto.value ?? before.value;
      const hysteresis = dto.hysteresis ?? before.hysteresis;
      check(before.metric, value, hysteresis);
      if (dto.upsId !== undefined) await this.checkUps(tx, dto.upsId);
      const upsChanged = dto.upsId !== undefined && dto.upsId !== before.upsId;
      // Alerts of UPSes the rule no longer watches end without a recovery: nobody watches them. The
      // rows stay (inactive) so their episode numbers, which key the deliveries, never repeat.
      if (upsChanged)
        await tx.notificationThresholdState.updateMany({
          where: { thresholdId: id, active: true },
          data: { active: false },
        });
      const after = await tx.notificationThreshold.update({
        where: { id },
        data: {
          ...(dto.upsId === undefined ? {} : { upsId: dto.upsId }),
          value,
          hysteresis,
          ...(dto.severity === undefined ? {} : { severity: dto.severity }),
          ...(dto.enabled === undefined ? {} : { enabled: dto.enabled }),
        },
        include: INCLUDE,
      });
      await this.audit.record(tx, ctx, {
        action: 'notificationThreshold.update',
        resourceType: 'notificationThreshold',
        resourceId: id,
        before: view(before),
        after: view(after),
      });
      return view(after);
    });
  }

  public async remove(id: string, ctx: AuditContext): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const before = await tx.notificationThreshold.findUnique({ where: { id }, include: INCLUDE });
      if (!before) throw ApiError.notFound('notification threshold', id);
      await tx.notificationThreshold.delete({ where: { id } });
      await this.audit.record(tx, ctx, {
        action: 'notificationThreshold.delete',
        resourceType: 'notificationThreshold',
        resourceId: id,
        before: view(before),
      });
    });
  }

  private async checkUps(tx: Prisma.TransactionClient, upsId: string | null): Promise<void> {
    if (upsId === null) return;
    if ((await tx.ups.count({ where: { id: upsId } })) === 0)
      throw ApiError.unknownReference('upsId', `UPS ${upsId} does not exist`);
  }
}

function check(metric: ThresholdMetric, value: number, hysteresis: number): void {
  const problems = ruleProblems({ metric, value, hysteresis });
  if (problems.length > 0) throw ApiError.fields(422, problems);
}
