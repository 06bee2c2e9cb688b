import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { type Response } from 'express';

import { Audit } from '../../audit/audit-context.decorator';
import { type AuditContext } from '../../audit/audit.service';
import { RequireRole } from '../../auth/require-role.decorator';
import { HostExportService } from './host-export.service';
import { HOST_COLUMNS, SECRET_COLUMNS } from './host-import.row';
import { type ImportReport, HostImportService } from './host-import.service';
import {
  ExportQueryDto,
  ImportHostExampleDto,
  ImportQueryDto,
  ImportRejectedDto,
  ImportReportDto,
} from './host-transfer.dto';

const CSV_HELP =
  `CSV columns (header line required, any order; name and address required): ${[...HOST_COLUMNS, ...SECRET_COLUMNS].join(', ')}. ` +
  'macAddresses, tags and feeds hold ";"-separated lists; a feed is ups@server[:powerValue] (server = NUT server name). ' +
  'Rows are matched to hosts by name: existing hosts are updated (credentials only when given), others created; unknown groups are created. ' +
  "password, privateKey and hostKeyFingerprint need the admin role; a row that changes an existing host's address, sshPort or " +
  'hostKeyFingerprint clears the credentials it does not carry itself.';

@ApiTags('hosts')
@Controller('hosts')
@ApiExtraModels(ImportHostExampleDto)
export class HostTransferController {
  public constructor(
    private readonly importer: HostImportService,
    private readonly exporter: HostExportService,
  ) {}

  @Post('import')
  @HttpCode(200)
  @RequireRole('operator')
  @ApiOperation({
    summary: 'Bulk import hosts (JSON array or CSV), all-or-nothing with a per-row error report',
    description: CSV_HELP,
  })
  @ApiBody({
    schema: {
      oneOf: [
        { type: 'array', items: { $ref: getSchemaPath(ImportHostExampleDto) } },
        { type: 'string', description: 'text/csv' },
      ],
    },
  })
  @ApiQuery({ name: 'dryRun', required: false, type: Boolean })
  @ApiOkResponse({ type: ImportReportDto })
  @ApiUnprocessableEntityResponse({
    type: ImportRejectedDto,
    description: 'Nothing was written; errors lists row, field and reason',
  })
  public import(
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @Query() query: ImportQueryDto,
    @Audit() audit: AuditContext,
  ): Promise<ImportReport> {
    return this.importer.import(body, contentType ?? '', query.dryRun === true, audit);
  }

  @Get('export')
  @ApiOperation({ summary: 'Export every host in the import format (never any credential)' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: [ImportHostExampleDto] })
  public async export(@Query() query: ExportQueryDto, @Res() res: Response): Promise<void> {
    if (query.format === 'csv') {
      res.status(200).type('text/csv').setHeader('Content-Disposition', 'attachment; filename="hosts.csv"');
      res.send(await this.exporter.csv());
      return;
    }
    res.status(200).json(await this.exporter.json());
  }
}
