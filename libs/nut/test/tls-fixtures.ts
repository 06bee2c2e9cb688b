/** Throw-away self-signed certificates made with openssl, for TLS tests. */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SelfSignedCertificate {
  certPem: string;
  keyPem: string;
  fingerprint256: string;
}

/** A fresh P-256 self-signed certificate for CN=localhost with SAN localhost + 127.0.0.1. */
export function createSelfSignedCertificate(): SelfSignedCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'nut-tls-'));
  try {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-subj',
        '/CN=localhost',
        '-days',
        '2',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ],
      { stdio: 'ignore' },
    );
    const certPem = readFileSync(certFile, 'utf8');
    return {
      certPem,
      keyPem: readFileSync(keyFile, 'utf8'),
      fingerprint256: new X509Certificate(certPem).fingerprint256,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
