import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { EsxiHostPool } from '@nutfleet/esxi';

/**
 * The worker's one pool of SSH connections to hosts: connections stay warm between jobs (the
 * first shutdown command of an outage then needs no handshake) and close when idle. A command
 * that runs longer than SSH_COMMAND_TIMEOUT_MS (unless it asks for its own limit) is abandoned.
 */
@Injectable()
export class EsxiHostPoolProvider implements OnApplicationShutdown {
  public readonly pool: EsxiHostPool;

  public constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.pool = new EsxiHostPool({ commandTimeoutMs: config.worker.sshCommandTimeoutMs });
  }

  public onApplicationShutdown(): void {
    this.pool.closeAll();
  }
}
