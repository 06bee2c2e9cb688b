/** Swagger shapes of the power-monitor routes (the services return plain objects of these shapes). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Live fields the power monitor keeps current; also part of the inventory's UPS responses. */
export class UpsLiveFieldsDto {
  @ApiProperty({ type: [String], example: ['OB', 'DISCHRG'], description: 'ups.status flags' }) public flags!: string[];
  @ApiProperty() public onBattery!: boolean;
  @ApiProperty() public lowBattery!: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'battery.charge, %' }) public batteryCharge!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'battery.runtime, s' })
  public batteryRuntimeSeconds!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'ups.load, %' }) public upsLoad!: number | null;
}

export class UpsLiveDto {
  @ApiProperty({ format: 'uuid' }) public id!: string;
  @ApiProperty() public name!: string;
  @ApiProperty({ type: String, nullable: true }) public description!: string | null;
  @ApiProperty({ format: 'uuid' }) public nutServerId!: string;
  @ApiProperty({ example: 'ups1@10.0.0.5:3493' }) public address!: string;
  @ApiProperty({ type: String, nullable: true, example: 'OB DISCHRG', description: 'ups.status as last read' })
  public status!: string | null;
  @ApiProperty({ type: [String], example: ['OB', 'DISCHRG'] }) public flags!: string[];
  @ApiProperty() public onBattery!: boolean;
  @ApiProperty() public lowBattery!: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'battery.charge, %' }) public batteryCharge!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'battery.runtime, s' }) public batteryRuntimeSeconds!:
    number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'ups.load, %' }) public upsLoad!: number | null;
  @ApiProperty({ enum: ['UNKNOWN', 'OK', 'LOST'] }) public commState!: string;
  @ApiProperty({ type: String, nullable: true, example: 'UNKNOWN-UPS', description: 'Why the UPS cannot be read' })
  public commError!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) public lastSeenAt!: string | null;
  @ApiProperty({ format: 'date-time' }) public updatedAt!: string;
}

export class PowerEventDto {
  @ApiProperty({ description: '64-bit id, usable as `since` and as SSE Last-Event-ID', example: '42' })
  public id!: string;
  @ApiProperty({ enum: ['STATUS_CHANGE', 'COMM_LOST', 'COMM_RESTORED', 'STALE_DATA', 'DECISION', 'PLAN'] })
  public type!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) public upsId!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) public planId!: string | null;
  @ApiProperty({ type: String, nullable: true }) public status!: string | null;
  @ApiProperty({ type: String, nullable: true }) public previousStatus!: string | null;
  @ApiProperty({ type: Object, nullable: true }) public data!: unknown;
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date-time',
    description: 'Server-side time, when the UPS reports one',
  })
  public observedAt!: string | null;
  @ApiProperty({ format: 'date-time', description: 'When nutfleet received it' }) public receivedAt!: string;
}

export class PowerEventPageDto {
  @ApiProperty({ type: [PowerEventDto] }) public items!: PowerEventDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `since` for the next page; null when caught up' })
  public nextSince!: string | null;
}

export class NutUpsInfoDto {
  @ApiProperty() public name!: string;
  @ApiProperty() public description!: string;
}

export class NutConnectionErrorDto {
  @ApiProperty({
    example: 'ACCESS-DENIED',
    description:
      'NUT ERR code given by the server, TLS (handshake, certificate, or password withheld without TLS), ' +
      'NO-NUT-SERVER (the one answer for refused, silent, filtered or non-NUT ports), NOT-ALLOWED (outside ' +
      'ALLOWED_TARGET_NETWORKS) or SECRET (the stored password cannot be opened)',
  })
  public code!: string;
  @ApiProperty({ example: 'NutAccessDeniedError' }) public type!: string;
  @ApiProperty() public message!: string;
}

export class NutConnectionTestDto {
  @ApiProperty() public ok!: boolean;
  @ApiProperty({ example: '10.0.0.5:3493' }) public server!: string;
  @ApiProperty({ description: 'A NUT server answered (even with an error)' }) public nutServer!: boolean;
  @ApiPropertyOptional() public tls?: boolean;
  @ApiPropertyOptional() public serverVersion?: string;
  @ApiPropertyOptional() public protocolVersion?: string;
  @ApiPropertyOptional({ type: [NutUpsInfoDto] }) public upses?: NutUpsInfoDto[];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'UPS the credentials were proven on (LOGIN)' })
  public loggedInTo?: string | null;
  @ApiPropertyOptional({ type: [String], description: 'UPSes configured for this server that it does not serve' })
  public missingUpses?: string[];
  @ApiPropertyOptional({ type: NutConnectionErrorDto }) public error?: NutConnectionErrorDto;
}

export class NutServerRuntimeDto {
  @ApiProperty({ format: 'uuid' }) public id!: string;
  @ApiProperty() public server!: string;
  @ApiProperty() public connected!: boolean;
  @ApiProperty({ type: String, nullable: true }) public lastError!: string | null;
  @ApiProperty({ type: String, nullable: true }) public credentialError!: string | null;
  @ApiProperty() public upses!: number;
}

export class PowerMonitorStatusDto {
  @ApiProperty({ description: 'POWER_MONITOR_ENABLED on this replica' }) public enabled!: boolean;
  @ApiProperty({ description: 'This replica holds the lease and polls' }) public leader!: boolean;
  @ApiProperty() public holder!: string;
  @ApiProperty({ type: String, nullable: true }) public fencingToken!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) public validUntil!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Holder of the current fencing token (PostgreSQL)' })
  public currentLeader!: string | null;
  @ApiProperty({ type: [NutServerRuntimeDto], description: 'Connections (leader only; empty elsewhere)' })
  public servers!: NutServerRuntimeDto[];
}
