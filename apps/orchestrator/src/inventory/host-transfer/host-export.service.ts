import { Injectable } from '@nestjs/common';

import { PrismaService } from '@nutfleet/db';

import { formatCsv } from './csv';
import { HOST_COLUMNS, LIST_COLUMNS } from './host-import.row';

export type ExportedHost = Record<(typeof HOST_COLUMNS)[number], string | number | string[] | null>;

/** Every host in the import format, without credentials: what it writes, the import reads back. */
@Injectable()
export class HostExportService {
  public constructor(private readonly prisma: PrismaService) {}

  public async hosts(): Promise<ExportedHost[]> {
    const rows = await this.prisma.host.findMany({
      orderBy: { name: 'asc' },
      include: {
        group: { select: { name: true } },
        policy: { select: { name: true } },
        feeds: { include: { ups: { select: { name: true, nutServer: { select: { name: true } } } } } },
      },
    });
    return rows.map((h) => ({
      name: h.name,
      address: h.address,
      sshPort: h.sshPort,
      username: h.username,
      hostKeyFingerprint: h.hostKeyFingerprint,
      macAddresses: h.macAddresses,
      wolBroadcast: h.wolBroadcast,
      wolPort: h.wolPort,
      group: h.group?.name ?? null,
      policy: h.policy?.name ?? null,
      tags: h.tags,
      shutdownStage: h.shutdownStage,
      restartWave: h.restartWave,
      minSupplies: h.minSupplies,
      feeds: h.feeds.map((f) => `${f.ups.name}@${f.ups.nutServer.name}:${f.powerValue}`).sort(),
    }));
  }

  public async csv(): Promise<string> {
    const hosts = await this.hosts();
    return formatCsv(
      HOST_COLUMNS,
      hosts.map((h) =>
        HOST_COLUMNS.map((c) => {
          const v = h[c];
          if (v === null) return '';
          return LIST_COLUMNS.has(c) && Array.isArray(v) ? v.join(';') : String(v);
        }),
      ),
    );
  }

  /** JSON export: null fields left out, so the array re-imports as is. */
  public async json(): Promise<Record<string, unknown>[]> {
    return (await this.hosts()).map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== null)));
  }
}
