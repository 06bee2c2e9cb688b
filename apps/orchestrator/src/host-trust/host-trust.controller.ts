import {
  Body,
  Controller,
  DefaultValuePipe,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseIntPipe,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';

import { Audit, type AuditContext, RequireRole } from '../auth';
import { uuidPipe } from '../http/uuid.pipe';
import { AcceptHostKeyDto, HostEventDto, HostKeyFetchedDto, HostTrustDto } from './host-trust.dto';
import { HostTrustService } from './host-trust.service';

const uuid = uuidPipe('id');

@ApiTags('hosts')
@Controller('hosts/:id')
export class HostTrustController {
  public constructor(private readonly trust: HostTrustService) {}

  @Post('trust')
  @RequireRole('operator')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Fetch the host key the host presents (key exchange only: no credential sent, no command run)',
    description:
      'Returns the presented fingerprint WITHOUT trusting it. Compare it with the key shown on the host console, ' +
      'then pin it with POST /hosts/{id}/trust/accept.',
  })
  @ApiOkResponse({ type: HostKeyFetchedDto })
  @ApiNotFoundResponse({ description: 'No such host' })
  @ApiBadGatewayResponse({
    description:
      'No SSH server answered (refused, silent, filtered or another service: one message, after a fixed delay)',
  })
  @ApiUnprocessableEntityResponse({ description: 'The address is outside ALLOWED_TARGET_NETWORKS' })
  public fetch(@Param('id', uuid) id: string): Promise<HostKeyFetchedDto> {
    return this.trust.fetch(id);
  }

  @Post('trust/accept')
  @RequireRole('operator')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Pin a host key fingerprint and trust the host (also releases a host blocked by a key mismatch)',
    description:
      'Trusts only if the fingerprint is the key the host presents now (or, when it cannot be reached, the one ' +
      'fetched by POST /hosts/{id}/trust within the last hour).',
  })
  @ApiOkResponse({ type: HostTrustDto })
  @ApiBadRequestResponse({ description: 'The fingerprint is not an OpenSSH SHA256 fingerprint' })
  @ApiConflictResponse({ description: 'The fingerprint is not the key the host presents; nothing was trusted' })
  @ApiNotFoundResponse({ description: 'No such host' })
  @ApiBadGatewayResponse({ description: 'The host could not be reached and no recent fetch exists' })
  public accept(
    @Param('id', uuid) id: string,
    @Body() dto: AcceptHostKeyDto,
    @Audit() audit: AuditContext,
  ): Promise<HostTrustDto> {
    return this.trust.accept(id, dto.fingerprint, audit);
  }

  @Get('events')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Trust events of the host (key accepted, key mismatch), newest first' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } })
  @ApiOkResponse({ type: HostEventDto, isArray: true })
  @ApiNotFoundResponse({ description: 'No such host' })
  public events(
    @Param('id', uuid) id: string,
    @Query('limit', new DefaultValuePipe(50), ParseIntPipe) limit: number,
  ): Promise<HostEventDto[]> {
    return this.trust.events(id, Math.min(Math.max(limit, 1), 500));
  }
}
