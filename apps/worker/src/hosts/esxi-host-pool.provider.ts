import { Injectable, OnApplicationShutdown } from '@nestjs/common';

import { EsxiHostPool } from '@nutfleet/esxi';

/**
 * The worker's one pool of SSH connections to hosts: connections stay warm between jobs (the
 * first shutdown command of an outage then needs no handshake) and close when idle.
 */
@Injectable()
export class EsxiHostPoolProvider implements OnApplicationShutdown {
  public readonly pool = new EsxiHostPool();

  public onApplicationShutdown(): void {
    this.pool.closeAll();
  }
}
