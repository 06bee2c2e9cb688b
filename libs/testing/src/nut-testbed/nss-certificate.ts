/**
 * A self-signed server certificate in an NSS database, which is what Debian's upsd (NSS build)
 * reads: CERTPATH <db dir> + CERTIDENT <nickname> <db password> (docs/NUT.md, TLS).
 */
import { execFile } from 'node:child_process';
import { X509Certificate, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type NutTestbedTlsConfig } from './nut-testbed-config';

const run = promisify(execFile);

/** What a client needs to trust the test bed's upsd. */
export interface NutTestbedTlsMaterial {
  /** The self-signed server certificate, usable as `ca`. */
  caPem: string;
  /** SHA-256 fingerprint as `AA:BB:…`. */
  fingerprint256: string;
  /** The DNS name in the certificate: pass it as `servername`, since the bed listens on 127.0.0.1. */
  servername: string;
}

export async function createNssServerCertificate(
  dbDir: string,
): Promise<{ material: NutTestbedTlsMaterial; config: NutTestbedTlsConfig }> {
  const nickname = 'upsdcert';
  const dbPassword = randomBytes(8).toString('hex');
  mkdirSync(dbDir, { mode: 0o700 });
  const passwordFile = join(dbDir, 'password.txt');
  const noiseFile = join(dbDir, 'noise.bin');
  writeFileSync(passwordFile, `${dbPassword}\n`, { mode: 0o600 });
  writeFileSync(noiseFile, randomBytes(64));
  const db = `sql:${dbDir}`;
  try {
    await run('certutil', ['-N', '-d', db, '-f', passwordFile]);
    await run('certutil', [
      '-S',
      '-n',
      nickname,
      '-s',
      'CN=localhost',
      '-x',
      '-t',
      'CTu,u,u',
      '-d',
      db,
      '-f',
      passwordFile,
      '-z',
      noiseFile,
      '-v',
      '12',
      '-8',
      'localhost',
      '--keyUsage',
      'digitalSignature,keyEncipherment',
      '--extKeyUsage',
      'serverAuth',
    ]);
  } catch (error) {
    throw new Error(
      `certutil failed (is libnss3-tools installed?): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const { stdout } = await run('certutil', ['-L', '-d', db, '-n', nickname, '-a']);
  const caPem = stdout.replace(/\r\n/g, '\n');
  const fingerprint256 = new X509Certificate(caPem).fingerprint256;
  return {
    material: { caPem, fingerprint256, servername: 'localhost' },
    config: { nssDbDir: dbDir, nickname, dbPassword },
  };
}
