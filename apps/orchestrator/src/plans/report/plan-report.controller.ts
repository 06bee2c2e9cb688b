import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';

import { renderPlanReportHtml } from '@nutfleet/plan';

import { RequireRole } from '../../auth';
import { ApiError } from '../../http/api-error';
import { uuidPipe } from '../../http/uuid.pipe';
import { PlanReportDto } from './plan-report.dto';
import { PlanReportReader } from './plan-report.reader';

const uuid = uuidPipe('id');
/** The page is data, never code: nothing may load or run in it, whatever a host name holds. */
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

@ApiTags('plans')
@Controller('plans')
export class PlanReportController {
  public constructor(private readonly reports: PlanReportReader) {}

  @Get(':id/report')
  @RequireRole('viewer')
  @ApiOperation({
    summary:
      "A plan's report: timeline, per host predicted vs actual durations, battery used, failures and what to fix",
    description:
      'For shutdown, restart (and power-cycle) plans, armed or dry-run, ended or still running (`ended` false: ' +
      'figures up to `generatedAt`). Each predicted step duration names its source when the plan recorded it.',
  })
  @ApiOkResponse({ type: PlanReportDto })
  @ApiNotFoundResponse({ description: 'No such plan' })
  public async report(@Param('id', uuid) id: string): Promise<PlanReportDto> {
    const report = await this.reports.read(id);
    if (report === null) throw ApiError.notFound('plan', id);
    return report;
  }

  @Get(':id/report.html')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'The same report as one self-contained printable HTML page' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The report page', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiNotFoundResponse({ description: 'No such plan' })
  public async html(@Param('id', uuid) id: string, @Res() res: Response): Promise<void> {
    const report = await this.reports.read(id);
    if (report === null) throw ApiError.notFound('plan', id);
    res
      .status(200)
      .type('html')
      .setHeader('content-security-policy', REPORT_CSP)
      .setHeader('x-content-type-options', 'nosniff')
      .setHeader('cache-control', 'no-store')
      .send(renderPlanReportHtml(report));
  }
}
