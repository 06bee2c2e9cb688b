import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Audit } from '../../audit/audit-context.decorator';
import { type AuditContext } from '../../audit/audit.service';
import { RequireRole } from '../../auth/require-role.decorator';
import { AdoptionProposalDto, AdoptionResultDto, ApplyAdoptionDto } from './adoption.dto';
import { AdoptionService } from './adoption.service';

@ApiTags('adoption')
@Controller('adoption')
export class AdoptionController {
  public constructor(private readonly adoption: AdoptionService) {}

  @Get('proposal')
  @RequireRole('operator')
  @ApiOperation({
    summary: 'What hosts running a hand-configured NutClient VIB imply: NUT servers, UPSes and power feeds',
    description:
      'Read from the UserVars discovery recorded (NutUpsName "ups@server[:port] …", NutUser). Rows the inventory ' +
      'already has are marked existing; only missing feeds are listed. Hosts whose NutUpsName cannot be read are ' +
      'named in problems.',
  })
  @ApiOkResponse({ type: AdoptionProposalDto })
  public proposal(): Promise<AdoptionProposalDto> {
    return this.adoption.proposal() as unknown as Promise<AdoptionProposalDto>;
  }

  @Post('apply')
  @HttpCode(200)
  @RequireRole('operator')
  @ApiOperation({
    summary: 'Create what the proposal lists (made again now, not taken from the request)',
    description:
      'Servers, then UPSes, then feeds, each through the inventory API (checks and audit). Passwords are admin only. ' +
      'Applying again creates only what is still missing.',
  })
  @ApiBody({ type: ApplyAdoptionDto, required: false })
  @ApiOkResponse({ type: AdoptionResultDto })
  public apply(@Body() body: ApplyAdoptionDto, @Audit() audit: AuditContext): Promise<AdoptionResultDto> {
    return this.adoption.apply(body ?? {}, audit);
  }
}
