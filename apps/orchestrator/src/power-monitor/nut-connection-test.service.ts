/**
 * "Test connection" of a configured NUT server: connect with its TLS policy, list its UPSes and
 * prove the credentials with a LOGIN. Failures come back as a typed result naming the NUT error
 * (ACCESS-DENIED, UNKNOWN-UPS, a refused connection...), never with the password.
 */
import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, type AppConfig } from '@nutfleet/config';
import { openSecret, PrismaService, SecretDecryptionError } from '@nutfleet/db';
import {
  NutConnectError,
  NutError,
  NutProtocolError,
  NutServerError,
  NutTimeoutError,
  NutTlsError,
  type NutTlsOptions,
  testNutConnection,
} from '@nutfleet/nut';

export interface NutConnectionTestOutcome {
  ok: boolean;
  server: string;
  tls?: boolean;
  serverVersion?: string;
  protocolVersion?: string;
  upses?: { name: string; description: string }[];
  loggedInTo?: string | null;
  missingUpses?: string[];
  error?: { code: string; type: string; message: string };
}

export class NutServerNotFoundError extends Error {
  public constructor(public readonly id: string) {
    super(`NUT server ${id} does not exist`);
    this.name = 'NutServerNotFoundError';
  }
}

export function describeNutFailure(error: unknown): { code: string; type: string; message: string } {
  const type = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof NutServerError) return { code: error.code, type, message };
  if (error instanceof NutTimeoutError) return { code: 'TIMEOUT', type, message };
  if (error instanceof NutTlsError) return { code: 'TLS', type, message };
  if (error instanceof NutConnectError) return { code: 'CONNECT', type, message };
  if (error instanceof NutProtocolError) return { code: 'PROTOCOL', type, message };
  if (error instanceof SecretDecryptionError) return { code: 'SECRET', type, message };
  if (error instanceof NutError) return { code: 'NUT', type, message };
  return { code: 'ERROR', type, message };
}

@Injectable()
export class NutConnectionTestService {
  public constructor(
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  public async test(id: string, timeoutMs = 5000): Promise<NutConnectionTestOutcome> {
    const server = await this.prisma.nutServer.findUnique({
      where: { id },
      include: { upses: { select: { name: true }, orderBy: { name: 'asc' } } },
    });
    if (server === null) throw new NutServerNotFoundError(id);
    const address = server.host.includes(':') ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
    const tls: NutTlsOptions =
      server.tlsMode === 'OFF'
        ? { mode: 'off' }
        : {
            mode: server.tlsMode === 'REQUIRED' ? 'required' : 'opportunistic',
            ...(server.tlsCaPem === null ? {} : { ca: server.tlsCaPem }),
            ...(server.tlsFingerprint === null ? {} : { fingerprint256: server.tlsFingerprint }),
          };
    try {
      const password =
        server.passwordEnc === null
          ? undefined
          : openSecret(server.passwordEnc, [this.config.secretKey], `nutServer:${server.id}:password`);
      const credentials =
        server.username !== null && password !== undefined ? { username: server.username, password } : undefined;
      const result = await testNutConnection({
        host: server.host,
        port: server.port,
        tls,
        timeoutMs,
        ...(credentials === undefined ? {} : { credentials }),
        ...(server.upses[0] === undefined ? {} : { loginUps: server.upses[0].name }),
      });
      const served = new Set(result.upses.map((ups) => ups.name));
      return {
        ok: true,
        server: result.server,
        tls: result.tls,
        serverVersion: result.serverVersion,
        protocolVersion: result.protocolVersion,
        upses: result.upses.map((ups) => ({ name: ups.name, description: ups.description })),
        loggedInTo: result.loggedInTo,
        missingUpses: server.upses.map((ups) => ups.name).filter((name) => !served.has(name)),
      };
    } catch (error) {
      return { ok: false, server: address, error: describeNutFailure(error) };
    }
  }
}
