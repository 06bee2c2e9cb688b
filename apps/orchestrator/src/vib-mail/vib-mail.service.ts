import { Injectable } from '@nestjs/common';

import { type Prisma, PrismaService, type VibMailSetting } from '@nutfleet/db';
import { type MailSettings } from '@nutfleet/vib';

import { type AuditContext, AuditService } from '../audit/audit.service';
import { ApiError } from '../http/api-error';
import { type VibMailSettingsDto, type VibMailSettingsInputDto, type VibMailSettingsListDto } from './vib-mail.dto';

const FLEET = 'fleet';

type SettingRow = VibMailSetting & { group: { name: string } | null };

/** A host's mail settings as the desired configuration uses them. */
export interface HostMailSettings {
  /** Absent: NutSendMail 0, address and relay left as they are. */
  readonly mail?: MailSettings;
  /** Why there is no mail, for the reason shown with NutSendMail. */
  readonly offWhy?: string;
}

function view(row: SettingRow | null, scope: 'fleet' | 'group'): VibMailSettingsDto {
  return {
    scope,
    groupId: row?.groupId ?? null,
    group: row?.group?.name ?? null,
    mode: row?.mode ?? 'OFF',
    mailTo: row?.mailTo ?? null,
    smtpRelay: row?.smtpRelay ?? null,
    updatedBy: row?.updatedBy ?? null,
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
}

/**
 * The NutClient VIB's own mail settings: a fleet default and per-group overrides (an override
 * replaces the default whole). Admins change them; every host's desired NutSendMail, NutMailTo and
 * NutSmtpRelay follow (`forHosts`).
 */
@Injectable()
export class VibMailSettingsService {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
  ) {}

  public async list(): Promise<VibMailSettingsListDto> {
    const rows = await this.prisma.vibMailSetting.findMany({ include: { group: { select: { name: true } } } });
    return {
      fleet: view(rows.find((r) => r.scope === FLEET) ?? null, 'fleet'),
      groups: rows
        .filter((r) => r.groupId !== null)
        .sort((a, b) => (a.group?.name ?? '').localeCompare(b.group?.name ?? ''))
        .map((r) => view(r, 'group')),
    };
  }

  public setFleet(body: VibMailSettingsInputDto, ctx: AuditContext): Promise<VibMailSettingsDto> {
    return this.put(FLEET, null, body, ctx);
  }

  public async setGroup(
    groupId: string,
    body: VibMailSettingsInputDto,
    ctx: AuditContext,
  ): Promise<VibMailSettingsDto> {
    return this.put(groupId, groupId, body, ctx);
  }

  /** The group follows the fleet default again. */
  public async clearGroup(groupId: string, ctx: AuditContext): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const before = await this.row(tx, groupId);
      if (!before) throw ApiError.notFound('mail override of group', groupId);
      await tx.vibMailSetting.delete({ where: { scope: groupId } });
      await this.audit.record(tx, ctx, {
        action: 'vib-mail.group.clear',
        resourceType: 'group',
        resourceId: groupId,
        before: view(before, 'group'),
      });
    });
  }

  /** Each host's settings: its group's override, else the fleet default, else none. */
  public async forHosts(
    hosts: ReadonlyArray<{ readonly id: string; readonly groupId: string | null }>,
  ): Promise<Map<string, HostMailSettings>> {
    const groupIds = [...new Set(hosts.map((h) => h.groupId).filter((g): g is string => g !== null))];
    const rows = await this.prisma.vibMailSetting.findMany({
      where: { scope: { in: [FLEET, ...groupIds] } },
      include: { group: { select: { name: true } } },
    });
    const fleet = rows.find((r) => r.scope === FLEET);
    const byGroup = new Map(rows.filter((r) => r.groupId !== null).map((r) => [r.groupId, r]));
    return new Map(
      hosts.map((h) => {
        const group = h.groupId === null ? undefined : byGroup.get(h.groupId);
        if (group) return [h.id, settingsOf(group, `the override of group "${group.group?.name ?? h.groupId}"`)];
        if (fleet) return [h.id, settingsOf(fleet, 'the fleet default')];
        return [
          h.id,
          { offWhy: 'no fleet default is set (PUT /vib-mail-settings) and the host’s group overrides none' },
        ];
      }),
    );
  }

  private async put(
    scope: string,
    groupId: string | null,
    body: VibMailSettingsInputDto,
    ctx: AuditContext,
  ): Promise<VibMailSettingsDto> {
    return this.prisma.$transaction(async (tx) => {
      if (groupId !== null && !(await tx.hostGroup.findUnique({ where: { id: groupId }, select: { id: true } })))
        throw ApiError.notFound('group', groupId);
      const before = await this.row(tx, scope);
      const data = {
        mode: body.mode,
        mailTo: body.mailTo ?? null,
        smtpRelay: body.smtpRelay ?? null,
        updatedBy: ctx.actor,
      };
      const row = await tx.vibMailSetting.upsert({
        where: { scope },
        create: { scope, groupId, ...data },
        update: data,
        include: { group: { select: { name: true } } },
      });
      const kind = groupId === null ? 'fleet' : 'group';
      const after = view(row, kind);
      await this.audit.record(tx, ctx, {
        action: `vib-mail.${kind}.set`,
        resourceType: kind === 'fleet' ? 'settings' : 'group',
        resourceId: groupId,
        before: before ? view(before, kind) : null,
        after,
      });
      return after;
    });
  }

  private row(tx: Prisma.TransactionClient, scope: string): Promise<SettingRow | null> {
    return tx.vibMailSetting.findUnique({ where: { scope }, include: { group: { select: { name: true } } } });
  }
}

function settingsOf(row: SettingRow, source: string): HostMailSettings {
  if (row.mode === 'OFF' || row.mailTo === null) return { offWhy: `${source} turns it off` };
  return {
    mail: {
      to: row.mailTo,
      ...(row.smtpRelay !== null ? { smtpRelay: row.smtpRelay } : {}),
      verbose: row.mode === 'VERBOSE',
      source,
    },
  };
}
