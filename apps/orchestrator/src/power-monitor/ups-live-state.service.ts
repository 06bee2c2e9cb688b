/**
 * Reads the live UPS state for the API. Exported so an inventory controller can enrich its own
 * UPS responses with it; served from PostgreSQL so every replica (leader or not) answers alike.
 */
import { Injectable } from '@nestjs/common';

import { PrismaService } from '@nutfleet/db';

import { upsLiveView, type UpsLiveView } from './ups-live.view';

const SELECT = {
  id: true,
  name: true,
  description: true,
  nutServerId: true,
  status: true,
  variables: true,
  commState: true,
  commError: true,
  lastSeenAt: true,
  updatedAt: true,
  nutServer: { select: { name: true, host: true, port: true } },
} as const;

@Injectable()
export class UpsLiveStateService {
  public constructor(private readonly prisma: PrismaService) {}

  public async list(): Promise<UpsLiveView[]> {
    const rows = await this.prisma.ups.findMany({ select: SELECT, orderBy: [{ nutServerId: 'asc' }, { name: 'asc' }] });
    return rows.map(upsLiveView);
  }

  /** Null when there is no such UPS. */
  public async get(id: string): Promise<UpsLiveView | null> {
    const row = await this.prisma.ups.findUnique({ where: { id }, select: SELECT });
    return row === null ? null : upsLiveView(row);
  }

  /** Rows changed at or after `since`, for the live stream. */
  public async changedSince(since: Date): Promise<UpsLiveView[]> {
    const rows = await this.prisma.ups.findMany({
      where: { updatedAt: { gte: since } },
      select: SELECT,
      orderBy: { updatedAt: 'asc' },
    });
    return rows.map(upsLiveView);
  }
}
