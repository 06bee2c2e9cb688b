import { ApiProperty } from '@nestjs/swagger';

export class UpsChartPointDto {
  @ApiProperty({ description: 'Epoch milliseconds: the sample, or the mean time of a bucket' }) public at!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'battery.charge, %' }) public charge!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'battery.runtime, seconds' })
  public runtimeSeconds!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'ups.load, %' }) public load!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'input.voltage, V' }) public inputVoltage!: number | null;
  @ApiProperty({ description: 'Samples behind this point (1: as recorded; more: their mean)' })
  public samples!: number;
}

export class UpsChartOutageDto {
  @ApiProperty() public id!: string;
  @ApiProperty() public openedAt!: string;
  @ApiProperty({ nullable: true, type: String }) public closedAt!: string | null;
  @ApiProperty({ enum: ['OPEN', 'SHEDDING', 'POWER_BACK', 'RESTARTING', 'CLOSED'] }) public state!: string;
}

export class UpsHistoryDto {
  @ApiProperty() public upsId!: string;
  @ApiProperty() public name!: string;
  @ApiProperty() public from!: string;
  @ApiProperty() public to!: string;
  @ApiProperty({ description: 'Samples recorded in the window (points may be fewer: bucket means)' })
  public sampleCount!: number;
  @ApiProperty({ type: [UpsChartPointDto] }) public points!: UpsChartPointDto[];
  @ApiProperty({ type: [UpsChartOutageDto], description: 'Outages of this UPS overlapping the window' })
  public outages!: UpsChartOutageDto[];
}
