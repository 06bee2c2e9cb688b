import { ApiProperty } from '@nestjs/swagger';

export class HostPlanStepDto {
  @ApiProperty({ description: 'What the step did, in words ("stop VM db-01", "power off host", "wake")' })
  public what!: string;
  @ApiProperty({ enum: ['PENDING', 'QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED'] })
  public state!: string;
  @ApiProperty({ nullable: true, type: String }) public startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) public finishedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) public error!: string | null;
}

export class HostPlanDto {
  @ApiProperty() public planId!: string;
  @ApiProperty({ enum: ['SHUTDOWN', 'RESTART', 'ROLLOUT'] }) public kind!: string;
  @ApiProperty({ enum: ['ARMED', 'DRY_RUN'] }) public mode!: string;
  @ApiProperty({ enum: ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] }) public planState!: string;
  @ApiProperty({ nullable: true, type: String }) public reason!: string | null;
  @ApiProperty() public createdAt!: string;
  @ApiProperty({
    enum: ['PENDING', 'QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED'],
    description: "This host's outcome in the plan: its worst step",
  })
  public result!: string;
  @ApiProperty({ type: [HostPlanStepDto] }) public steps!: HostPlanStepDto[];
}

export class HostChangeDto {
  @ApiProperty() public at!: string;
  @ApiProperty({ description: 'Who: the token that made the change, or "nutfleet" for what it saw itself' })
  public who!: string;
  @ApiProperty({ example: 'POST /hosts/:id/trust/accept' }) public what!: string;
}

export class HostHistoryDto {
  @ApiProperty({ type: [HostPlanDto], description: 'Plans that had steps on this host, newest first' })
  public plans!: HostPlanDto[];
  @ApiProperty({
    type: [HostChangeDto],
    description:
      "Changes made to this host through the API (created, edited, trusted, discovered...) and the host's own events (key trusted, key mismatch...), newest first",
  })
  public events!: HostChangeDto[];
}
