import { Injectable } from '@nestjs/common';

import { PrismaService, type Ups } from '@nutfleet/db';
import { upsPowerCycleSettings } from '@nutfleet/plan';
import { PowerInputError, validatePowerCycleSettings } from '@nutfleet/power';

import { type AuditContext, AuditService } from '../audit/audit.service';
import { ApiError } from '../http/api-error';
import { InventoryResource } from '../inventory/common/inventory-resource';
import { type UpsPowerCycleDto, type UpsPowerCycleInputDto } from './power-cycle.dto';

type UpsWithServer = Ups & {
  nutServer: { name: string; commandUsername: string | null; commandPasswordEnc: string | null };
};
const INCLUDE = {
  nutServer: { select: { name: true, commandUsername: true, commandPasswordEnc: true } },
} as const;

function view(row: UpsWithServer): UpsPowerCycleDto {
  return {
    upsId: row.id,
    address: `${row.name}@${row.nutServer.name}`,
    action: upsPowerCycleSettings(row).action,
    offDelaySeconds: row.powerCycleOffDelaySeconds,
    onDelaySeconds: row.powerCycleOnDelaySeconds,
    chargeRestartPercent: row.powerCycleChargeRestartPercent,
    feedsUnmanagedLoads: row.feedsUnmanagedLoads,
    allowWithUnmanagedLoads: row.powerCycleAllowUnmanaged,
    nutPrimaryHostSyncSeconds: row.nutPrimaryHostSyncSeconds,
    commandAccountReady: row.nutServer.commandUsername !== null && row.nutServer.commandPasswordEnc !== null,
  };
}

/** The per-UPS "after the fleet is down" action: read by anyone, changed by admins only (the controller says so). */
@Injectable()
export class UpsPowerCycleService {
  private readonly upses: InventoryResource;

  public constructor(
    private readonly prisma: PrismaService,
    audit: AuditService,
  ) {
    this.upses = new InventoryResource(audit, 'upsPowerCycle');
  }

  public async get(id: string): Promise<UpsPowerCycleDto> {
    return view(this.upses.found(await this.prisma.ups.findUnique({ where: { id }, include: INCLUDE }), id));
  }

  /** Replaces the whole setting; the pure rules (e.g. on delay longer than off delay) give 400 naming the field. */
  public async set(id: string, body: UpsPowerCycleInputDto, ctx: AuditContext): Promise<UpsPowerCycleDto> {
    const columns = {
      powerCycleAction: body.action,
      powerCycleOffDelaySeconds: body.offDelaySeconds ?? null,
      powerCycleOnDelaySeconds: body.onDelaySeconds ?? null,
      powerCycleChargeRestartPercent: body.chargeRestartPercent ?? null,
      powerCycleAllowUnmanaged: body.allowWithUnmanagedLoads ?? false,
    };
    try {
      validatePowerCycleSettings(upsPowerCycleSettings(columns));
    } catch (error) {
      if (error instanceof PowerInputError) throw ApiError.fields(400, [{ field: error.field, reason: error.reason }]);
      throw error;
    }
    return this.prisma.$transaction(async (tx) => {
      const before = this.upses.found(await tx.ups.findUnique({ where: { id }, include: INCLUDE }), id);
      const row = await tx.ups.update({
        where: { id },
        data: {
          ...columns,
          feedsUnmanagedLoads: body.feedsUnmanagedLoads ?? false,
          nutPrimaryHostSyncSeconds: body.nutPrimaryHostSyncSeconds ?? null,
        },
        include: INCLUDE,
      });
      const after = view(row);
      await this.upses.updated(tx, ctx, id, view(before), after);
      return after;
    });
  }
}
