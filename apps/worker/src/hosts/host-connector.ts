import { Inject, Injectable, Logger } from '@nestjs/common';

import { APP_CONFIG, AppConfig, TargetNetworks, TargetNotAllowedError } from '@nutfleet/config';
import { type Host, PrismaService } from '@nutfleet/db';
import { type EsxiHost, HostKeyMismatchError } from '@nutfleet/esxi';

import { EsxiHostPoolProvider } from './esxi-host-pool.provider';
import { HostNotFoundError, HostNotTrustedError, HostTargetNotAllowedError } from './host-connector.errors';
import { openHostAuth } from './host-credentials';

/** The Host columns reaching a host needs (a plan step's claim reads them in the same statement). */
export const HOST_ACCESS_COLUMNS = [
  'id',
  'name',
  'address',
  'sshPort',
  'username',
  'passwordEnc',
  'privateKeyEnc',
  'hostKeyFingerprint',
  'trustState',
] as const satisfies ReadonlyArray<keyof Host>;

export type HostAccessColumn = (typeof HOST_ACCESS_COLUMNS)[number];
export type HostAccessRow = Pick<Host, HostAccessColumn>;

const HOST_ACCESS_SELECT = Object.fromEntries(HOST_ACCESS_COLUMNS.map((column) => [column, true])) as Record<
  (typeof HOST_ACCESS_COLUMNS)[number],
  true
>;

/** A trusted host, ready for commands: `esxcli.*(session.host)`, `vim.*(session.host)`. */
export interface HostSession {
  readonly hostId: string;
  readonly name: string;
  /** Pooled, pinned to the trusted fingerprint; do not close it (the pool does). */
  readonly host: EsxiHost;
}

/**
 * The one way worker jobs reach an ESXi host (discovery, deploy, shutdown, restart checks).
 *
 *   await connector.withHost(hostId, async ({ host }) => esxcli.systemVersionGet(host));
 *
 * Loads the Host row, refuses unless it is TRUSTED with a pinned fingerprint (HostNotTrustedError),
 * opens its sealed credentials in memory, and runs `work` on the pooled SSH connection pinned to
 * that fingerprint. When the host presents another key — at connect or on a reconnect during
 * `work` — the host is set to MISMATCH with `lastError`, a HOST_KEY_MISMATCH HostEvent is
 * recorded for operators, and the HostKeyMismatchError is rethrown: every later call is refused
 * until an operator re-trusts the host (POST /hosts/:id/trust/accept).
 */
@Injectable()
export class HostConnector {
  private readonly logger = new Logger(HostConnector.name);
  private readonly keys: readonly Buffer[];

  public constructor(
    private readonly prisma: PrismaService,
    private readonly pool: EsxiHostPoolProvider,
    private readonly targets: TargetNetworks,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.keys = config.oldSecretKey ? [config.secretKey, config.oldSecretKey] : [config.secretKey];
  }

  /**
   * `host` is a host id (its row is read now) or a row read moments ago by the caller's own
   * statement — a plan step's claim joins it, so the first command of a 1,000-host stage waits
   * for one query, not two. Trust is checked on the row either way.
   */
  public async withHost<T>(host: string | HostAccessRow, work: (session: HostSession) => Promise<T>): Promise<T> {
    const row = typeof host === 'string' ? await this.loadRow(host) : host;
    const pinned = row.hostKeyFingerprint;
    if (row.trustState !== 'TRUSTED' || pinned === null)
      throw new HostNotTrustedError(row.id, row.name, row.trustState);
    // ALLOWED_TARGET_NETWORKS, checked before every connection (a name is resolved and must stay inside).
    const address = this.targets.restricted ? await this.allowedAddress(row) : row.address;

    const session = this.pool.pool.get({
      address,
      port: row.sshPort,
      username: row.username,
      auth: openHostAuth(row, this.keys),
      fingerprint: pinned,
    });
    try {
      // Connect first, so a changed key is caught before any work starts.
      await session.connect();
      return await work({ hostId: row.id, name: row.name, host: session });
    } catch (error) {
      if (error instanceof HostKeyMismatchError)
        await this.blockOnMismatch({ id: row.id, name: row.name, pinned }, error);
      throw error;
    }
  }

  private async allowedAddress(row: HostAccessRow): Promise<string> {
    try {
      return await this.targets.resolveAllowed(row.address);
    } catch (error) {
      if (error instanceof TargetNotAllowedError) throw new HostTargetNotAllowedError(row.id, row.name, error.message);
      throw error;
    }
  }

  private async loadRow(hostId: string): Promise<HostAccessRow> {
    const row = await this.prisma.host.findUnique({ where: { id: hostId }, select: HOST_ACCESS_SELECT });
    if (row === null) throw new HostNotFoundError(hostId);
    return row;
  }

  private async blockOnMismatch(
    row: { id: string; name: string; pinned: string },
    error: HostKeyMismatchError,
  ): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      // Only the key that failed is blocked: an operator may have re-trusted a new one meanwhile.
      const { count } = await tx.host.updateMany({
        where: { id: row.id, trustState: 'TRUSTED', hostKeyFingerprint: row.pinned },
        data: { trustState: 'MISMATCH', lastError: error.message },
      });
      if (count === 0) return;
      await tx.hostEvent.create({
        data: {
          hostId: row.id,
          type: 'HOST_KEY_MISMATCH',
          message: error.message,
          data: { expected: error.expectedFingerprint, presented: error.presentedFingerprint, at: error.host },
        },
      });
    });
    this.logger.warn(
      `host ${row.name} (${row.id}) blocked: presented ${error.presentedFingerprint}, pinned ${error.expectedFingerprint}`,
    );
  }
}
