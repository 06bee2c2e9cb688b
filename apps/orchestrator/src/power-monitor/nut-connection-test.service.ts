/**
 * "Test connection" of a configured NUT server: connect with its TLS policy, list its UPSes and
 * prove the credentials with a LOGIN. It answers either what a NUT server said (its UPSes, or a
 * NUT error such as ACCESS-DENIED) or one generic failure, always after the same time, so that
 * it cannot be used to scan the network: a closed port, a silent one and another service look
 * alike, and no byte another service sent is ever shown. Never with the password.
 */
import { isIP } from 'node:net';

import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, type AppConfig, TargetNetworks, TargetNotAllowedError } from '@nutfleet/config';
import { openSecret, PrismaService, SecretDecryptionError } from '@nutfleet/db';
import {
  formatNutServer,
  NutCredentialsWithheldError,
  NutServerError,
  NutTlsCertificateError,
  NutTlsHandshakeError,
  NutTlsUnavailableError,
  NutUnrecognizedServerError,
  testNutConnection,
  nutTlsOptionsOf,
} from '@nutfleet/nut';

export interface NutConnectionTestOutcome {
  ok: boolean;
  server: string;
  /** True when a NUT server answered (even with an error); false for the one generic failure. */
  nutServer: boolean;
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

/**
 * True when the error proves a NUT server answered: a known `ERR` code, a STARTTLS answered the
 * NUT way, or a password withheld after the server listed its UPSes. Anything else (refused,
 * timed out, closed, a reply that is not NUT) might be any service.
 */
export function nutServerAnswered(error: unknown): boolean {
  if (error instanceof NutUnrecognizedServerError) return false;
  if (error instanceof NutServerError) return true;
  if (error instanceof NutTlsUnavailableError)
    return error.cause instanceof NutServerError && !(error.cause instanceof NutUnrecognizedServerError);
  return (
    error instanceof NutCredentialsWithheldError ||
    error instanceof NutTlsCertificateError ||
    error instanceof NutTlsHandshakeError
  );
}

/** A failure a NUT server gave: its code and message (which name the server and command, never a secret). */
function describeNutFailure(error: unknown): { code: string; type: string; message: string } {
  const type = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof NutServerError) return { code: error.code, type, message };
  return { code: 'TLS', type, message };
}

@Injectable()
export class NutConnectionTestService {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly targets: TargetNetworks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  public async test(id: string, timeoutMs = 3000): Promise<NutConnectionTestOutcome> {
    const server = await this.prisma.nutServer.findUnique({
      where: { id },
      include: { upses: { select: { name: true }, orderBy: { name: 'asc' } } },
    });
    if (server === null) throw new NutServerNotFoundError(id);
    const address = formatNutServer(server.host, server.port);
    let password: string | undefined;
    try {
      password =
        server.passwordEnc === null
          ? undefined
          : openSecret(server.passwordEnc, [this.config.secretKey], `nutServer:${server.id}:password`);
    } catch (error) {
      if (!(error instanceof SecretDecryptionError)) throw error;
      const message = `${error.message}: store the password again`;
      return { ok: false, server: address, nutServer: false, error: { code: 'SECRET', type: error.name, message } };
    }
    let connectTo: string;
    try {
      connectTo = await this.targets.resolveAllowed(server.host);
    } catch (error) {
      if (!(error instanceof TargetNotAllowedError)) throw error;
      return {
        ok: false,
        server: address,
        nutServer: false,
        error: { code: 'NOT-ALLOWED', type: error.name, message: error.message },
      };
    }
    const started = Date.now();
    const credentials =
      server.username !== null && password !== undefined ? { username: server.username, password } : undefined;
    const tls = nutTlsOptionsOf(server);
    try {
      const result = await testNutConnection({
        host: connectTo,
        port: server.port,
        tls: connectTo !== server.host && isIP(server.host) === 0 ? { ...tls, servername: server.host } : tls,
        timeoutMs,
        ...(credentials === undefined ? {} : { credentials }),
        ...(server.upses[0] === undefined ? {} : { loginUps: server.upses[0].name }),
      });
      const served = new Set(result.upses.map((ups) => ups.name));
      return {
        ok: true,
        server: address,
        nutServer: true,
        tls: result.tls,
        serverVersion: result.serverVersion,
        protocolVersion: result.protocolVersion,
        upses: result.upses.map((ups) => ({ name: ups.name, description: ups.description })),
        loggedInTo: result.loggedInTo,
        missingUpses: server.upses.map((ups) => ups.name).filter((name) => !served.has(name)),
      };
    } catch (error) {
      if (nutServerAnswered(error))
        return { ok: false, server: address, nutServer: true, error: describeNutFailure(error) };
      // Refused, silent, filtered or another service: one answer, at one time (the longest a
      // silent port can take), so that none can be told from another.
      const answerAt = started + timeoutMs * 2 + 500;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, answerAt - Date.now())));
      return {
        ok: false,
        server: address,
        nutServer: false,
        error: {
          code: 'NO-NUT-SERVER',
          type: 'NutServerUnreachable',
          message: `no NUT server answered at ${address}: nothing listens there, it did not answer in time, or it is not a NUT server (check host, port and firewall)`,
        },
      };
    }
  }
}
