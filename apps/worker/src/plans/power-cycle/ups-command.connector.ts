import { isIP } from 'node:net';

import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, type AppConfig, TargetNetworks } from '@nutfleet/config';
import { type NutServer, openSecret } from '@nutfleet/db';
import { NutClient, type NutCredentials, nutTlsOptionsOf } from '@nutfleet/nut';

/** The NUT server row has no INSTCMD/SET account (commandUsername + commandPassword). */
export class NoCommandAccountError extends Error {
  public constructor(server: string) {
    super(`the NUT server ${server} has no INSTCMD/SET account: an admin sets commandUsername and commandPassword`);
    this.name = 'NoCommandAccountError';
  }
}

/**
 * Connects to a UPS's NUT server for a power cycle: with the server's TLS policy, only to an
 * address ALLOWED_TARGET_NETWORKS allows, and with the separate INSTCMD/SET account (opened
 * here, never carried in job data). The password is the server's own, sealed to it.
 */
@Injectable()
export class UpsCommandConnector {
  private readonly keys: Buffer[];

  public constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly targets: TargetNetworks,
  ) {
    this.keys = config.oldSecretKey ? [config.secretKey, config.oldSecretKey] : [config.secretKey];
  }

  /** The command account, or NoCommandAccountError (SecretDecryptionError when the key changed). */
  public credentials(server: NutServer): NutCredentials {
    if (server.commandUsername === null || server.commandPasswordEnc === null)
      throw new NoCommandAccountError(`${server.name} (${server.host}:${server.port})`);
    return {
      username: server.commandUsername,
      password: openSecret(server.commandPasswordEnc, this.keys, `nutServer:${server.id}:commandPassword`),
    };
  }

  public async connect(server: NutServer, timeoutMs = 5000): Promise<NutClient> {
    const connectTo = await this.targets.resolveAllowed(server.host);
    const tls = nutTlsOptionsOf(server);
    return NutClient.connect({
      host: connectTo,
      port: server.port,
      timeoutMs,
      tls: connectTo !== server.host && isIP(server.host) === 0 ? { ...tls, servername: server.host } : tls,
    });
  }
}
