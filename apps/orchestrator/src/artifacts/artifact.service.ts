import { type Readable } from 'node:stream';

import { Inject, Injectable, Logger } from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { type Artifact, Prisma, PrismaService } from '@nutfleet/db';
import { ArtifactError, parseArtifactFile, type ParsedArtifact, type VibDescriptor } from '@nutfleet/vib';

import { type AuditContext, AuditService } from '../auth';
import { ApiError } from '../http/api-error';
import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { ArtifactStorage, type IncomingFile, UploadTooLargeError } from './artifact-storage';
import { type ArtifactDto } from './artifact.dto';

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}$/;

/** Upload (stream → parse → store by sha256), list, read and delete VIBs and offline bundles. */
@Injectable()
export class ArtifactService {
  private readonly logger = new Logger(ArtifactService.name);
  private readonly storage: ArtifactStorage;

  public constructor(
    private readonly prisma: PrismaService,
    private readonly store: OrchestratorPlanStore,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.storage = new ArtifactStorage(config.artifacts.storageDir, config.artifacts.maxBytes);
  }

  public async upload(
    body: Readable,
    fileName: string | undefined,
    declaredLength: number | undefined,
    ctx: AuditContext,
  ): Promise<ArtifactDto> {
    if (fileName === undefined || !FILE_NAME.test(fileName))
      throw ApiError.fields(400, [
        {
          field: 'fileName',
          reason: 'required (query ?fileName= or X-File-Name): letters, digits, ".", "_", "+", "-", up to 200',
        },
      ]);
    if (declaredLength !== undefined && declaredLength > this.config.artifacts.maxBytes)
      throw new ApiError(
        413,
        `the upload (${declaredLength} bytes) is larger than the limit of ${this.config.artifacts.maxBytes} bytes`,
      );
    let file: IncomingFile;
    try {
      file = await this.storage.receive(body, fileName);
    } catch (error) {
      if (error instanceof UploadTooLargeError) throw new ApiError(413, error.message);
      throw error;
    }
    try {
      let parsed: ParsedArtifact;
      try {
        parsed = await parseArtifactFile(file.path);
      } catch (error) {
        if (error instanceof ArtifactError)
          throw new ApiError(422, `${fileName} is not a usable VIB or offline bundle: ${error.message}`);
        throw error;
      }
      const existing = await this.prisma.artifact.findUnique({ where: { sha256: parsed.sha256 } });
      if (existing) throw duplicate(existing);
      const descriptor = descriptorOf(parsed);
      const storagePath = await this.storage.keep(file, parsed.sha256, parsed.kind);
      try {
        const row = await this.prisma.$transaction(async (tx) => {
          const created = await tx.artifact.create({
            data: {
              kind: parsed.kind === 'vib' ? 'VIB' : 'BUNDLE',
              fileName,
              name: descriptor.name,
              version: descriptor.version,
              vendor: descriptor.vendor,
              acceptanceLevel: descriptor.acceptanceLevel,
              sha256: parsed.sha256,
              sizeBytes: BigInt(parsed.sizeBytes),
              descriptor: descriptor as unknown as Prisma.InputJsonValue,
              storagePath,
            },
          });
          await this.audit.record(tx, ctx, {
            action: 'artifact.upload',
            resourceType: 'artifacts',
            resourceId: created.id,
            after: {
              fileName,
              kind: parsed.kind,
              name: descriptor.name,
              version: descriptor.version,
              sha256: parsed.sha256,
              sizeBytes: parsed.sizeBytes,
            },
          });
          return created;
        });
        return toDto(row);
      } catch (error) {
        // Two uploads of the same file at once: the unique sha256 lets one win; the file is the same.
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
          const winner = await this.prisma.artifact.findUnique({ where: { sha256: parsed.sha256 } });
          if (winner) throw duplicate(winner);
        }
        throw error;
      }
    } finally {
      await this.storage.discard(file);
    }
  }

  public async list(): Promise<ArtifactDto[]> {
    return (await this.prisma.artifact.findMany({ orderBy: { createdAt: 'desc' } })).map(toDto);
  }

  public async get(id: string): Promise<ArtifactDto> {
    const row = await this.prisma.artifact.findUnique({ where: { id } });
    if (!row) throw ApiError.notFound('artifact', id);
    return toDto(row);
  }

  /** Refused while an unfinished rollout uses it; finished rollouts keep its name and version in their plan. */
  public async delete(id: string, ctx: AuditContext): Promise<void> {
    const row = await this.prisma.$transaction(async (tx) => {
      const artifact = await tx.artifact.findUnique({ where: { id } });
      if (!artifact) throw ApiError.notFound('artifact', id);
      const active = await this.store.rollouts.unfinishedRolloutsUsing(tx, id);
      if (active.length > 0)
        throw ApiError.conflict(
          'id',
          `artifact is used by unfinished rollout(s) ${active.join(', ')}: cancel them first`,
        );
      await tx.rollout.updateMany({ where: { artifactId: id }, data: { artifactId: null } });
      await tx.artifact.delete({ where: { id } });
      await this.audit.record(tx, ctx, {
        action: 'artifact.delete',
        resourceType: 'artifacts',
        resourceId: id,
        before: toDto(artifact),
      });
      return artifact;
    });
    await this.storage
      .remove(row.storagePath)
      .catch((error: unknown) => this.logger.warn(`could not remove ${row.storagePath}: ${String(error)}`));
  }
}

function duplicate(existing: Artifact): ApiError {
  return new ApiError(
    409,
    `the same file (sha256 ${existing.sha256}) was already uploaded as artifact ${existing.id} (${existing.fileName}, ${existing.name} ${existing.version})`,
    [{ field: 'file', reason: `duplicate of artifact ${existing.id}` }],
  );
}

/** A bundle's NutClient VIB (named upsmon when there are several). */
function descriptorOf(parsed: ParsedArtifact): VibDescriptor {
  if (parsed.kind === 'vib') return parsed.descriptor;
  const vib = parsed.vibs.find((v) => v.descriptor.name === 'upsmon') ?? parsed.vibs[0];
  if (!vib) throw new ApiError(422, 'the offline bundle holds no VIB');
  return vib.descriptor;
}

function toDto(row: Artifact): ArtifactDto {
  const descriptor = row.descriptor as unknown as VibDescriptor;
  return {
    id: row.id,
    kind: row.kind === 'VIB' ? 'vib' : 'bundle',
    fileName: row.fileName,
    name: row.name,
    version: row.version,
    vendor: row.vendor,
    acceptanceLevel: row.acceptanceLevel,
    vibId: descriptor.vibId,
    sha256: row.sha256,
    sizeBytes: Number(row.sizeBytes),
    descriptor: row.descriptor as Record<string, unknown>,
    createdAt: row.createdAt.toISOString(),
  };
}
