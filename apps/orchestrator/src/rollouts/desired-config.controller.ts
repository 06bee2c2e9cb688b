import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';

import { PrismaService } from '@nutfleet/db';

import { RequireRole } from '../auth';
import { ApiError } from '../http/api-error';
import { uuidPipe } from '../http/uuid.pipe';
import { DesiredConfigService, NEWEST_VIB_VERSION, redactUserVars } from './desired-config.service';
import { DriftService } from './drift.service';
import { DesiredConfigDto, DriftReportDto } from './rollout.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Desired NutClient configuration per host, and drift against it. The NUT password is never returned. */
@ApiTags('hosts')
@Controller('hosts')
export class DesiredConfigController {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly desired: DesiredConfigService,
    private readonly drifts: DriftService,
  ) {}

  @Get('drift')
  @RequireRole('viewer')
  @ApiOperation({
    summary: 'Hosts whose installed NutClient version or UserVars.Nut* differ from the desired ones (last discovery)',
    description:
      "The desired version is the given artifact's, else the newest uploaded artifact's. NutPassword drifts only when unset " +
      '(discovery never reads its value). A rollout with target {"drifted": true} fixes exactly the hosts listed here.',
  })
  @ApiQuery({ name: 'artifactId', required: false })
  @ApiOkResponse({ type: DriftReportDto })
  public async drift(@Query('artifactId') artifactId?: string): Promise<DriftReportDto> {
    if (artifactId !== undefined && !UUID.test(artifactId))
      throw ApiError.fields(400, [{ field: 'artifactId', reason: 'must be a UUID' }]);
    const artifact =
      artifactId !== undefined
        ? await this.prisma.artifact.findUnique({ where: { id: artifactId } })
        : await this.drifts.latestArtifact();
    if (artifactId !== undefined && !artifact) throw ApiError.notFound('artifact', artifactId);
    const hostIds = (await this.prisma.host.findMany({ select: { id: true } })).map((h) => h.id);
    const drift = await this.drifts.drift(hostIds, artifact);
    return {
      artifactId: artifact?.id ?? null,
      checkedHosts: hostIds.length,
      drifted: drift
        .filter((d) => d.drifted)
        .map((d) => ({
          ...d,
          reasons: [...d.reasons],
          problems: [...d.problems],
          userVarChanges: d.userVarChanges.map((c) => ({ ...c, from: c.from ?? null })),
        })),
    };
  }

  @Get(':id/desired-config')
  @RequireRole('viewer')
  @ApiOperation({
    summary:
      "The host's desired UserVars.Nut* from the inventory (feeds, NUT credentials, minSupplies, policy timing), or the problems",
  })
  @ApiQuery({
    name: 'artifactId',
    required: false,
    description: "Apply the options and ranges of this artifact's version",
  })
  @ApiOkResponse({ type: DesiredConfigDto })
  @ApiNotFoundResponse({ description: 'No such host' })
  public async desiredConfig(
    @Param('id', uuidPipe('id')) id: string,
    @Query('artifactId') artifactId?: string,
  ): Promise<DesiredConfigDto> {
    const artifact =
      artifactId !== undefined && UUID.test(artifactId)
        ? await this.prisma.artifact.findUnique({ where: { id: artifactId } })
        : null;
    const [config] = await this.desired.forHosts(
      [id],
      (installed) => artifact?.version ?? installed ?? NEWEST_VIB_VERSION,
    );
    if (!config) throw ApiError.notFound('host', id);
    if (!config.ok)
      return {
        hostId: config.hostId,
        hostName: config.hostName,
        ok: false,
        vibVersion: config.vibVersion,
        problems: [...config.problems],
      };
    return {
      hostId: config.hostId,
      hostName: config.hostName,
      ok: true,
      vibVersion: config.vibVersion,
      userVars: redactUserVars(config.userVars),
      reasons: { ...config.reasons },
      plannedShutdownDeadlineSeconds: config.plannedShutdownDeadlineSeconds,
      deadline: {
        seconds: config.deadline.deadlineSeconds,
        stage: config.deadline.stage,
        ownSeconds: config.deadline.ownSeconds,
        upses: await this.upsNames(config.deadline.upsIds),
        earlierStages: config.deadline.earlierStages.map((s) => ({
          stage: s.stage,
          seconds: s.seconds,
          boundedBy: s.boundedBy.name,
        })),
        explanation: config.deadline.explanation,
      },
      timing: config.timing,
      warnings: [...config.warnings],
    };
  }

  private async upsNames(ids: readonly string[]): Promise<string[]> {
    const rows = await this.prisma.ups.findMany({
      where: { id: { in: [...ids] } },
      select: { id: true, name: true, nutServer: { select: { name: true } } },
    });
    const names = new Map(rows.map((u) => [u.id, `${u.name}@${u.nutServer.name}`]));
    return ids.map((id) => names.get(id) ?? id);
  }
}
