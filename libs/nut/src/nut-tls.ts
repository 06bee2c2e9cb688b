/**
 * The TLS side of STARTTLS: builds node:tls options from the policy, runs the handshake on the
 * already-connected socket, and checks the pinned fingerprint.
 */
import { isIP, type Socket } from 'node:net';
import * as tls from 'node:tls';
import { type NutErrorContext, NutTlsCertificateError, NutTlsHandshakeError } from './nut-errors';
import { type NutTlsOptions } from './nut-options';

/** `AA:bb:cc…` or `aabbcc…` → `AABBCC…`. */
export function normalizeFingerprint(fingerprint: string): string {
  return fingerprint.replace(/[:\s]/g, '').toUpperCase();
}

// OpenSSL verification codes and Node's name-mismatch code: all mean "wrong certificate".
const CERTIFICATE_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET_ISSUER)|ALTNAME|HOSTNAME/i;

function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string')
    return error.code;
  return '';
}

export interface NutTlsHandshakeParams {
  socket: Socket;
  host: string;
  options: NutTlsOptions;
  timeoutMs: number;
  context: NutErrorContext;
}

/** Runs the client handshake on `socket` and returns the verified TLS socket, or throws a NutTlsError. */
export function nutTlsHandshake(params: NutTlsHandshakeParams): Promise<tls.TLSSocket> {
  const { socket, host, options, timeoutMs, context } = params;
  const pinned = options.fingerprint256 === undefined ? undefined : normalizeFingerprint(options.fingerprint256);
  // A pin alone is the whole identity check; otherwise the chain (given CA or system CAs) is.
  const verifyChain = options.ca !== undefined || (pinned === undefined && options.mode === 'required');
  const servername = options.servername ?? (isIP(host) === 0 ? host : undefined);

  return new Promise((resolve, reject) => {
    const tlsSocket = tls.connect({
      socket,
      host,
      ...(servername === undefined ? {} : { servername }),
      ...(options.ca === undefined ? {} : { ca: options.ca }),
      rejectUnauthorized: verifyChain,
      minVersion: 'TLSv1.2',
    });
    const finish = (error: Error | undefined): void => {
      clearTimeout(timer);
      tlsSocket.removeListener('secureConnect', onSecure);
      tlsSocket.removeListener('error', onError);
      if (error === undefined) {
        resolve(tlsSocket);
      } else {
        // Keep a listener: a late error on a destroyed socket must not become an uncaught exception.
        tlsSocket.on('error', () => undefined);
        tlsSocket.destroy();
        socket.destroy();
        reject(error);
      }
    };
    const onSecure = (): void => {
      if (pinned !== undefined) {
        const actual = normalizeFingerprint(tlsSocket.getPeerCertificate().fingerprint256 ?? '');
        if (actual !== pinned) {
          finish(
            new NutTlsCertificateError(
              `server certificate fingerprint ${actual} does not match the pinned ${pinned}`,
              context,
            ),
          );
          return;
        }
      }
      finish(undefined);
    };
    const onError = (error: Error): void => {
      const ErrorClass = CERTIFICATE_ERROR.test(errorCode(error)) ? NutTlsCertificateError : NutTlsHandshakeError;
      finish(new ErrorClass(`TLS handshake failed: ${error.message}`, { ...context, cause: error }));
    };
    const timer = setTimeout(
      () => finish(new NutTlsHandshakeError(`TLS handshake did not finish within ${timeoutMs} ms`, context)),
      timeoutMs,
    );
    tlsSocket.once('secureConnect', onSecure);
    tlsSocket.once('error', onError);
  });
}
