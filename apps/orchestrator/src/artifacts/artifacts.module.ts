import { Module } from '@nestjs/common';

import { ArtifactService } from './artifact.service';
import { ArtifactsController } from './artifacts.controller';

/** Artifact upload and storage (ARTIFACT_STORAGE_DIR, shared with the workers, which read the files). */
@Module({ controllers: [ArtifactsController], providers: [ArtifactService] })
export class ArtifactsModule {}
