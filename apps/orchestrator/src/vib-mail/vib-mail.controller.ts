import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Audit } from '../audit/audit-context.decorator';
import { type AuditContext } from '../audit/audit.service';
import { RequireRole } from '../auth/require-role.decorator';
import { ApiErrorDto } from '../http/api-error.dto';
import { uuidPipe } from '../http/uuid.pipe';
import { VibMailSettingsDto, VibMailSettingsInputDto, VibMailSettingsListDto } from './vib-mail.dto';
import { VibMailSettingsService } from './vib-mail.service';

const EFFECT =
  'Hosts follow through their desired UserVars (GET /hosts/:id/desired-config): a change shows as drift until a configure rollout applies it.';

/** The NutClient VIB's own mail: fleet default and per-group overrides. */
@ApiTags('settings')
@Controller()
export class VibMailSettingsController {
  public constructor(private readonly service: VibMailSettingsService) {}

  @Get('vib-mail-settings')
  @RequireRole('viewer')
  @ApiOperation({
    summary:
      "What hosts' own NutClient mails (NutSendMail, NutMailTo, NutSmtpRelay): the fleet default and group overrides",
  })
  @ApiOkResponse({ type: VibMailSettingsListDto })
  public list(): Promise<VibMailSettingsListDto> {
    return this.service.list();
  }

  @Put('vib-mail-settings')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Set the fleet default', description: EFFECT })
  @ApiOkResponse({ type: VibMailSettingsDto })
  public setFleet(@Body() body: VibMailSettingsInputDto, @Audit() audit: AuditContext): Promise<VibMailSettingsDto> {
    return this.service.setFleet(body, audit);
  }

  @Put('groups/:id/vib-mail')
  @RequireRole('admin')
  @ApiOperation({ summary: "Override the fleet default for a group's hosts (replaces it whole)", description: EFFECT })
  @ApiOkResponse({ type: VibMailSettingsDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  public setGroup(
    @Param('id', uuidPipe('id')) id: string,
    @Body() body: VibMailSettingsInputDto,
    @Audit() audit: AuditContext,
  ): Promise<VibMailSettingsDto> {
    return this.service.setGroup(id, body, audit);
  }

  @Delete('groups/:id/vib-mail')
  @HttpCode(204)
  @RequireRole('admin')
  @ApiOperation({ summary: "Remove a group's override: its hosts follow the fleet default again", description: EFFECT })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ApiErrorDto })
  public clearGroup(@Param('id', uuidPipe('id')) id: string, @Audit() audit: AuditContext): Promise<void> {
    return this.service.clearGroup(id, audit);
  }
}
