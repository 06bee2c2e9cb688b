import { Injectable } from '@nestjs/common';

import { PrismaService } from '@nutfleet/db';

/** How messages name a UPS: `name@host:port`, as its NUT clients know it. */
export function upsAddress(ups: { name: string; nutServer: { host: string; port: number } }): string {
  return `${ups.name}@${ups.nutServer.host}:${ups.nutServer.port}`;
}

/** The hosts each UPS feeds, by name: every UPS message names them. */
@Injectable()
export class UpsNotificationContext {
  public constructor(private readonly prisma: PrismaService) {}

  public async hostsFedBy(upsIds: readonly string[]): Promise<Map<string, string[]>> {
    const hosts = new Map<string, string[]>(upsIds.map((id) => [id, []]));
    if (upsIds.length === 0) return hosts;
    const feeds = await this.prisma.powerFeed.findMany({
      where: { upsId: { in: [...new Set(upsIds)] } },
      select: { upsId: true, host: { select: { name: true } } },
      orderBy: { host: { name: 'asc' } },
    });
    for (const feed of feeds) hosts.get(feed.upsId)?.push(feed.host.name);
    return hosts;
  }
}
