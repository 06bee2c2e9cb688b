import { Controller, Delete, Get, Headers, HttpCode, HttpStatus, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { type Request } from 'express';

import { Audit, type AuditContext, RequireRole } from '../auth';
import { uuidPipe } from '../http/uuid.pipe';
import { ArtifactDto } from './artifact.dto';
import { ArtifactService } from './artifact.service';

/**
 * VIBs and offline bundles. Uploading and deleting are admin-only: an artifact is code that runs
 * as root on every host a rollout reaches, as sensitive as the hosts' credentials. Operators
 * deploy uploaded artifacts (POST /rollouts); viewers read them.
 */
@ApiTags('artifacts')
@Controller('artifacts')
export class ArtifactsController {
  public constructor(private readonly artifacts: ArtifactService) {}

  @Post()
  @RequireRole('admin')
  @ApiOperation({
    summary: 'Upload a NutClient .vib or offline bundle .zip (raw body, streamed to disk, parsed, stored by sha256)',
    description:
      'Send the file as the request body (Content-Type application/octet-stream) with its name in ?fileName= or X-File-Name. ' +
      'Parsed as it is read: descriptor, payload checksums (a VIB ESXi would reject is refused here). Size limit: ARTIFACT_MAX_BYTES.',
  })
  @ApiConsumes('application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiQuery({
    name: 'fileName',
    required: false,
    description: 'e.g. upsmon-2.8.5-2.7.3.x86_64.vib (or the X-File-Name header)',
  })
  @ApiHeader({ name: 'X-File-Name', required: false })
  @ApiCreatedResponse({ type: ArtifactDto })
  @ApiConflictResponse({ description: 'The same file (sha256) is already stored: the message names the artifact' })
  @ApiUnprocessableEntityResponse({
    description: 'Not a VIB or offline bundle, or a malformed one: the parser says why and where',
  })
  @ApiPayloadTooLargeResponse({ description: 'Larger than ARTIFACT_MAX_BYTES' })
  public upload(
    @Req() request: Request,
    @Audit() audit: AuditContext,
    @Query('fileName') fileName?: string,
    @Headers('x-file-name') headerName?: string,
    @Headers('content-length') contentLength?: string,
  ): Promise<ArtifactDto> {
    const length = contentLength !== undefined && /^\d+$/.test(contentLength) ? Number(contentLength) : undefined;
    return this.artifacts.upload(request, fileName ?? headerName, length, audit);
  }

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Uploaded artifacts, newest first' })
  @ApiOkResponse({ type: ArtifactDto, isArray: true })
  public list(): Promise<ArtifactDto[]> {
    return this.artifacts.list();
  }

  @Get(':id')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'One artifact with its parsed descriptor' })
  @ApiOkResponse({ type: ArtifactDto })
  @ApiNotFoundResponse({ description: 'No such artifact' })
  public get(@Param('id', uuidPipe('id')) id: string): Promise<ArtifactDto> {
    return this.artifacts.get(id);
  }

  @Delete(':id')
  @RequireRole('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete an artifact and its file; refused while an unfinished rollout uses it' })
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: 'An unfinished rollout uses it' })
  public async delete(@Param('id', uuidPipe('id')) id: string, @Audit() audit: AuditContext): Promise<void> {
    await this.artifacts.delete(id, audit);
  }
}
