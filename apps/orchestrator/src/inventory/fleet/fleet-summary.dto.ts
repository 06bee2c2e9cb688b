import { ApiProperty } from '@nestjs/swagger';

import { PlanWarningDto } from '../../plans/plan.dto';

export class GroupCountDto {
  @ApiProperty({ nullable: true, type: String }) public groupId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'null: hosts without a group' }) public group!:
    string | null;
  @ApiProperty() public hosts!: number;
}

export class UpsCountDto {
  @ApiProperty() public upsId!: string;
  @ApiProperty({ example: 'ups1@nut-paris' }) public ups!: string;
  @ApiProperty({ nullable: true, type: String }) public status!: string | null;
  @ApiProperty() public commState!: string;
  @ApiProperty() public hosts!: number;
}

export class HostErrorDto {
  @ApiProperty() public id!: string;
  @ApiProperty() public name!: string;
  @ApiProperty() public lastError!: string;
}

export class FleetSummaryDto {
  @ApiProperty() public totalHosts!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { UNTRUSTED: 3, TRUSTED: 120, MISMATCH: 0 },
  })
  public byTrustState!: Record<string, number>;
  @ApiProperty({ type: [GroupCountDto] }) public byGroup!: GroupCountDto[];
  @ApiProperty({ type: [UpsCountDto] }) public byUps!: UpsCountDto[];
  @ApiProperty() public hostsWithErrors!: number;
  @ApiProperty({ description: 'Hosts with no power feed (never protected)' }) public hostsWithoutFeeds!: number;
  @ApiProperty({ type: [HostErrorDto], description: 'Up to 20 hosts in error, by name' })
  public errors!: HostErrorDto[];
  @ApiProperty({ description: 'Hosts nutfleet could not protect now (at least one warning)' })
  public unprotected!: number;
  @ApiProperty({ description: 'Protection warnings in all (the list stops at 1,000)' })
  public warningCount!: number;
  @ApiProperty({
    type: [PlanWarningDto],
    description: 'Why each unprotected host is, one warning per problem with what to do, hosts by name',
  })
  public warnings!: PlanWarningDto[];
  @ApiProperty() public generatedAt!: string;
}
