import { ApiProperty } from '@nestjs/swagger';

import { HOST_POWER_STATES, type HostPowerStateName } from '@nutfleet/plan';

/** A host's power state as nutfleet established it, and what it rests on. */
export class HostPowerDto {
  @ApiProperty({
    enum: HOST_POWER_STATES,
    description:
      'on: seen up (SSH/ESXi answered, a wake verified, it came back by itself); off: known off (a plan verified ' +
      'it down, a wake did not bring it back); unreachable: SSH could not be opened, state unknown; unknown: ' +
      'nothing observed since its last boot. Only off excuses a host from a shutdown plan.',
  })
  public state!: HostPowerStateName;

  @ApiProperty({ nullable: true, type: String, description: 'When the state was established (ISO 8601)' })
  public since!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'What the state rests on, e.g. "plan:<id>: powered off, verified down", "discovery: …", "operator:<token>: …"',
  })
  public source!: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'The plan that established it, when one did' })
  public planId!: string | null;

  @ApiProperty({ description: 'The restart that ends the outage will wake it (an automatic shutdown took it down)' })
  public wakeAfterOutage!: boolean;

  @ApiProperty({ description: 'An operator left it off: no restart wakes it until POST /hosts/{id}/allow-wake' })
  public leftOff!: boolean;
}
