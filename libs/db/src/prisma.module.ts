import { Global, Module } from '@nestjs/common';

import { PrismaService, SafetyPrismaService } from './prisma.service';

/** PrismaService for everything, SafetyPrismaService for the safety path (monitor, planners). */
@Global()
@Module({ providers: [PrismaService, SafetyPrismaService], exports: [PrismaService, SafetyPrismaService] })
export class PrismaModule {}
