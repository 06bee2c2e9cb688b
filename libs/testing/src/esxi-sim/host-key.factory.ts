/**
 * Ed25519 host keys in OpenSSH format, one per simulated host. Ed25519 is cheap enough to give
 * each of 1,000 hosts its own key (distinct fingerprints), and deriving it from a seed makes a
 * `--seed` fleet present the same fingerprints on every run.
 */
import { createHash, createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';

export interface HostKey {
  /** OpenSSH private key (PEM-like armour), as ssh2's Server accepts it. */
  privateKey: string;
  /** `ssh-ed25519 AAAA...` line, as it would appear in known_hosts. */
  publicKey: string;
  /** `SHA256:<base64 without padding>`, as `ssh-keygen -lf` prints it. */
  fingerprint: string;
}

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function sshString(data: Buffer | string): Buffer {
  const b = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length, 0);
  return Buffer.concat([len, b]);
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
}

export function fingerprintOfPublicBlob(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Builds an ed25519 host key from 32 seed bytes (random when no seed is given). */
export function createEd25519HostKey(seed: Buffer = randomBytes(32), comment = 'esxi-sim'): HostKey {
  if (seed.length !== 32) throw new Error('an ed25519 seed is 32 bytes');
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  const pub = Buffer.from(jwk.x ?? '', 'base64url');
  const publicBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);
  const check = seed.readUInt32BE(0);
  let privateSection = Buffer.concat([
    uint32(check),
    uint32(check),
    sshString('ssh-ed25519'),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  const padding: number[] = [];
  for (let i = 1; (privateSection.length + padding.length) % 8 !== 0; i++) padding.push(i);
  privateSection = Buffer.concat([privateSection, Buffer.from(padding)]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(publicBlob),
    sshString(privateSection),
  ]);
  const lines = body.toString('base64').match(/.{1,70}/g) ?? [];
  return {
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`,
    publicKey: `ssh-ed25519 ${publicBlob.toString('base64')}`,
    fingerprint: fingerprintOfPublicBlob(publicBlob),
  };
}

/** Deterministic per-host seed material from a fleet seed. */
export function seededBytes(seed: string, label: string, length = 32): Buffer {
  return createHash('sha256').update(`${seed}\0${label}`).digest().subarray(0, length);
}
