/**
 * Hashes one VIB payload as it streams by: sha-256 and sha-1 of the bytes as stored, and of
 * the gunzipped bytes when the payload is gzip (ESXi 8's mandatory "sha-256 gunzip" checksum).
 * The inflated size is capped so a gzip bomb costs bounded CPU and no memory.
 */
import { createHash, type Hash } from 'node:crypto';
import { createGunzip, type Gunzip } from 'node:zlib';

export interface PayloadDigests {
  readonly size: number;
  readonly sha256: string;
  readonly sha1: string;
  /** Undefined when the payload is not gzip or did not inflate cleanly. */
  readonly gunzip: { readonly size: number; readonly sha256: string; readonly sha1: string } | undefined;
  /** Why `gunzip` is undefined for a payload that starts like gzip. */
  readonly gunzipError: string | undefined;
  /** True when inflating stopped at the size cap. */
  readonly inflatedTooLarge: boolean;
}

export class PayloadDigester {
  private readonly sha256 = createHash('sha256');
  private readonly sha1 = createHash('sha1');
  private size = 0;
  private gunzip: Gunzip | undefined;
  private inflated = { sha256: createHash('sha256') as Hash, sha1: createHash('sha1') as Hash, size: 0 };
  private gunzipError: string | undefined;
  private tooLarge = false;
  private sawFirstBytes = false;

  constructor(private readonly maxInflatedBytes: number) {}

  async update(chunk: Buffer): Promise<void> {
    this.sha256.update(chunk);
    this.sha1.update(chunk);
    this.size += chunk.length;
    if (!this.sawFirstBytes) {
      this.sawFirstBytes = true;
      if (chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b) this.startGunzip();
    }
    const gunzip = this.gunzip;
    if (gunzip && this.gunzipError === undefined && !gunzip.write(chunk))
      await new Promise<void>((resolve) => {
        const done = (): void => {
          gunzip.off('drain', done);
          gunzip.off('close', done);
          resolve();
        };
        gunzip.once('drain', done);
        gunzip.once('close', done);
      });
  }

  private startGunzip(): void {
    const gunzip = createGunzip();
    gunzip.on('data', (data: Buffer) => {
      this.inflated.size += data.length;
      if (this.inflated.size > this.maxInflatedBytes) {
        this.tooLarge = true;
        this.gunzipError ??= `inflates to more than ${this.maxInflatedBytes} bytes`;
        gunzip.destroy();
        return;
      }
      this.inflated.sha256.update(data);
      this.inflated.sha1.update(data);
    });
    gunzip.on('error', (err: Error) => {
      this.gunzipError ??= err.message;
    });
    this.gunzip = gunzip;
  }

  async finish(): Promise<PayloadDigests> {
    const gunzip = this.gunzip;
    if (gunzip && !gunzip.destroyed) {
      await new Promise<void>((resolve) => {
        gunzip.once('end', resolve);
        gunzip.once('close', resolve);
        gunzip.once('error', () => resolve());
        gunzip.end();
      });
    }
    const ok = gunzip !== undefined && this.gunzipError === undefined;
    return {
      size: this.size,
      sha256: this.sha256.digest('hex'),
      sha1: this.sha1.digest('hex'),
      gunzip: ok
        ? {
            size: this.inflated.size,
            sha256: this.inflated.sha256.digest('hex'),
            sha1: this.inflated.sha1.digest('hex'),
          }
        : undefined,
      gunzipError: gunzip === undefined ? undefined : this.gunzipError,
      inflatedTooLarge: this.tooLarge,
    };
  }
}
