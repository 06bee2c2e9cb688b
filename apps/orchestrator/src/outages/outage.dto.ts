import { ApiProperty } from '@nestjs/swagger';

import { type OutageRow } from '@nutfleet/plan';

const STATES = ['OPEN', 'SHEDDING', 'POWER_BACK', 'RESTARTING', 'CLOSED'];

export class OutageDto {
  @ApiProperty() public id!: string;
  @ApiProperty({
    enum: STATES,
    description:
      'OPEN (a UPS left line power), SHEDDING (plans take hosts down), POWER_BACK (mains back, the shutdown finishing), RESTARTING (its restart runs; it decides nothing any more), CLOSED',
  })
  public state!: string;
  @ApiProperty({ description: 'When the first of its UPSes left line power' }) public openedAt!: string;
  @ApiProperty({ nullable: true, type: String, description: 'On-battery timers start no earlier than this' })
  public timersFrom!: string | null;
  @ApiProperty({ type: [String], description: 'UPSes that left line power during it' }) public upsIds!: string[];
  @ApiProperty({ nullable: true, type: String }) public powerBackAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The restart plan that ends it' })
  public restartPlanId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'An operator cancelled its automatic shutdown' })
  public disarmedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) public disarmedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) public closedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'power-back, restarted, superseded' })
  public closeReason!: string | null;
}

export class CurrentOutageDto {
  @ApiProperty({ nullable: true, type: OutageDto, description: 'The outage under way, if any' })
  public outage!: OutageDto | null;
  @ApiProperty({
    type: [String],
    description: 'Shutdown and restart plans running now (an outage is also under way while one runs)',
  })
  public runningPlanIds!: string[];
}

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

export function toOutageDto(row: OutageRow): OutageDto {
  return {
    id: row.id,
    state: row.state,
    openedAt: row.openedAt.toISOString(),
    timersFrom: iso(row.timersFrom),
    upsIds: row.upsIds,
    powerBackAt: iso(row.powerBackAt),
    restartPlanId: row.restartPlanId,
    disarmedAt: iso(row.disarmedAt),
    disarmedBy: row.disarmedBy,
    closedAt: iso(row.closedAt),
    closeReason: row.closeReason,
  };
}
