import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { type AuditEntry, type Prisma, PrismaService } from '@nutfleet/db';

import { RequireRole } from '../auth/require-role.decorator';
import { ApiError } from '../http/api-error';
import { DEFAULT_PAGE_SIZE, decodeCursor, toPage } from '../http/pagination';
import { AuditEntryDto, AuditPageDto, AuditQueryDto } from './audit.dto';

function view(row: AuditEntry): AuditEntryDto {
  return {
    id: row.id.toString(),
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    resourceType: row.resourceType,
    resourceId: row.resourceId,
    before: row.before,
    after: row.after,
    requestId: row.requestId,
  };
}

@ApiTags('audit')
@RequireRole('admin')
@Controller('audit')
export class AuditController {
  public constructor(private readonly prisma: PrismaService) {}

  @Get()
  @ApiOperation({ summary: 'Audit log, newest first (admin only). Paginated by opaque cursor.' })
  @ApiOkResponse({ type: AuditPageDto })
  public async list(@Query() query: AuditQueryDto): Promise<AuditPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const where: Prisma.AuditEntryWhereInput = {};
    if (query.since) where.at = { gte: query.since };
    if (query.resourceType) where.resourceType = query.resourceType;
    if (query.actor) where.actor = query.actor;
    if (query.cursor) {
      const { id } = decodeCursor(query.cursor, ['id']);
      if (!/^\d{1,19}$/.test(id))
        throw ApiError.fields(400, [{ field: 'cursor', reason: 'is not a cursor returned by this API' }]);
      where.id = { lt: BigInt(id) };
    }
    const rows = await this.prisma.auditEntry.findMany({ where, orderBy: { id: 'desc' }, take: limit + 1 });
    return toPage(rows, limit, view, (row) => ({ id: row.id.toString() }));
  }
}
