import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export class UploadTooLargeError extends Error {
  public constructor(public readonly maxBytes: number) {
    super(`the upload is larger than the limit of ${maxBytes} bytes (ARTIFACT_MAX_BYTES)`);
    this.name = 'UploadTooLargeError';
  }
}

/** An upload on disk, not yet accepted: parse it, then `keep` or `discard`. */
export interface IncomingFile {
  /** `<dir>/.incoming/<uuid>/<fileName>`: the parser names the file in its messages. */
  readonly path: string;
  readonly sizeBytes: number;
}

/**
 * Uploaded artifacts on disk. A request body is streamed chunk by chunk to a file (never held in
 * memory) and cut off past `maxBytes`; accepted files are renamed to `<sha256>.<ext>`, so the
 * same content is stored once and the name says what it holds.
 */
export class ArtifactStorage {
  public readonly dir: string;

  public constructor(
    storageDir: string,
    private readonly maxBytes: number,
  ) {
    this.dir = isAbsolute(storageDir) ? storageDir : resolve(process.cwd(), storageDir);
  }

  public async receive(body: Readable, fileName: string): Promise<IncomingFile> {
    const folder = join(this.dir, '.incoming', randomUUID());
    await mkdir(folder, { recursive: true });
    const path = join(folder, fileName);
    let size = 0;
    const limit = this.maxBytes;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > limit) callback(new UploadTooLargeError(limit));
        else callback(null, chunk);
      },
    });
    try {
      await pipeline(body, counter, createWriteStream(path, { flags: 'wx' }));
    } catch (error) {
      await rm(folder, { recursive: true, force: true });
      throw error;
    }
    return { path, sizeBytes: size };
  }

  /** Moves an accepted upload to its final name; returns the absolute path. */
  public async keep(file: IncomingFile, sha256: string, kind: 'vib' | 'bundle'): Promise<string> {
    const target = join(this.dir, `${sha256}.${kind === 'vib' ? 'vib' : 'zip'}`);
    await rename(file.path, target);
    await this.discard(file);
    return target;
  }

  public async discard(file: IncomingFile): Promise<void> {
    await rm(join(file.path, '..'), { recursive: true, force: true });
  }

  public async remove(storagePath: string): Promise<void> {
    await rm(storagePath, { force: true });
  }
}
