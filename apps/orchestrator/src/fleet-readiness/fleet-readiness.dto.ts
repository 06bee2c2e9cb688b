import { ApiProperty } from '@nestjs/swagger';

import { READINESS_CHECK_CODES } from '@nutfleet/power';

export class ReadinessCheckDto {
  @ApiProperty({ enum: READINESS_CHECK_CODES, description: 'Stable check code' }) public code!: string;
  @ApiProperty() public ok!: boolean;
  @ApiProperty({ description: 'What was seen (stale results say when they last ran)' }) public message!: string;
  @ApiProperty({ format: 'date-time' }) public checkedAt!: string;
}

export class HostReadinessDto {
  @ApiProperty() public hostId!: string;
  @ApiProperty() public hostName!: string;
  @ApiProperty({ nullable: true, type: String }) public groupId!: string | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: '0-100, the share of passing checks; null until its first checks ran',
  })
  public score!: number | null;
  @ApiProperty({ type: [ReadinessCheckDto], description: 'Failing checks first' }) public checks!: ReadinessCheckDto[];
}

export class GroupReadinessDto {
  @ApiProperty({ nullable: true, type: String, description: 'null: hosts without a group' }) public groupId!:
    string | null;
  @ApiProperty({ nullable: true, type: String }) public group!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Mean of its hosts’ scores' }) public score!: number | null;
  @ApiProperty() public hosts!: number;
  @ApiProperty({ description: 'Hosts with at least one failing check' }) public failingHosts!: number;
}

export class FleetReadinessDto {
  @ApiProperty({ nullable: true, type: Number, description: 'Mean of the hosts’ scores; null before any check ran' })
  public score!: number | null;
  @ApiProperty({ description: 'A host or fleet score below this notifies (readiness.dropped)' })
  public threshold!: number;
  @ApiProperty({ type: [HostReadinessDto], description: 'Lowest score first' }) public hosts!: HostReadinessDto[];
  @ApiProperty({ type: [GroupReadinessDto], description: 'Lowest score first' }) public groups!: GroupReadinessDto[];
  @ApiProperty({ format: 'date-time' }) public generatedAt!: string;
}
