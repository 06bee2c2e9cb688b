/**
 * Zip reading from the central directory (what unzip does, and what ESXi's depot code does):
 * find the end-of-central-directory record, list the entries, then stream an entry's data
 * through inflate on demand. Stored (0) and deflate (8) are supported; ZIP64, encryption and
 * multi-disk archives are refused. Every inflated entry is checked against its declared size,
 * a ratio cap and its CRC-32, so a lying or bombed zip fails instead of eating memory or CPU.
 */
import { createInflateRaw, crc32 } from 'node:zlib';
import { ArtifactError, ArtifactTooLargeError, TruncatedArtifactError } from '../artifact/artifact.errors';
import { rangeChunks, type RandomAccessSource } from './random-access-source';

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly crc32: number;
  readonly localHeaderOffset: number;
}

export interface ZipLimits {
  readonly maxEntries: number;
  readonly maxCompressionRatio: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_MIN = 22;
const MAX_COMMENT = 0xffff;

export const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
export const EMPTY_ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

export async function readZipDirectory(
  source: RandomAccessSource,
  location: string,
  limits: ZipLimits,
): Promise<ZipEntry[]> {
  const malformed = (detail: string): never => {
    throw new ArtifactError('malformed-archive', location, `zip: ${detail}`);
  };
  if (source.size < EOCD_MIN) throw new TruncatedArtifactError(location, 'too short for a zip');
  const tailLength = Math.min(source.size, EOCD_MIN + MAX_COMMENT);
  const tail = await source.read(source.size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - EOCD_MIN; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE && i + EOCD_MIN + tail.readUInt16LE(i + 20) === tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new TruncatedArtifactError(location, 'no end-of-central-directory record (incomplete zip?)');
  const disk = tail.readUInt16LE(eocd + 4);
  const cdDisk = tail.readUInt16LE(eocd + 6);
  const count = tail.readUInt16LE(eocd + 10);
  const cdSize = tail.readUInt32LE(eocd + 12);
  const cdOffset = tail.readUInt32LE(eocd + 16);
  if (disk !== 0 || cdDisk !== 0) malformed('multi-disk archives are not supported');
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff)
    throw new ArtifactError('unsupported-feature', location, 'ZIP64 archives are not supported');
  if (count > limits.maxEntries)
    throw new ArtifactTooLargeError(location, `zip entry count (${count})`, limits.maxEntries);
  const eocdPosition = source.size - tailLength + eocd;
  if (cdOffset + cdSize > eocdPosition)
    throw new TruncatedArtifactError(location, 'central directory lies past the end');

  const cd = await source.read(cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL_SIGNATURE)
      malformed(`central directory entry ${i} is damaged`);
    const flags = cd.readUInt16LE(p + 8);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    if (p + 46 + nameLength > cd.length) malformed(`central directory entry ${i} name runs past the directory`);
    const name = cd.subarray(p + 46, p + 46 + nameLength).toString(flags & 0x800 ? 'utf8' : 'latin1');
    const entry: ZipEntry = {
      name,
      method: cd.readUInt16LE(p + 10),
      crc32: cd.readUInt32LE(p + 16),
      compressedSize: cd.readUInt32LE(p + 20),
      uncompressedSize: cd.readUInt32LE(p + 24),
      localHeaderOffset: cd.readUInt32LE(p + 42),
    };
    if (flags & 0x1) throw new ArtifactError('unsupported-feature', location, `zip entry "${name}" is encrypted`);
    if (
      entry.compressedSize === 0xffffffff ||
      entry.uncompressedSize === 0xffffffff ||
      entry.localHeaderOffset === 0xffffffff
    )
      throw new ArtifactError('unsupported-feature', location, `zip entry "${name}" needs ZIP64`);
    if (name.split('/').includes('..') || name.startsWith('/'))
      malformed(`entry name ${JSON.stringify(name)} escapes the archive`);
    entries.push(entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Streams an entry's uncompressed bytes; throws if they differ from the directory's size or CRC. */
export async function* zipEntryChunks(
  source: RandomAccessSource,
  entry: ZipEntry,
  location: string,
  limits: ZipLimits,
): AsyncGenerator<Buffer> {
  const where = `${location}!${entry.name}`;
  if (entry.method !== 0 && entry.method !== 8)
    throw new ArtifactError(
      'unsupported-feature',
      where,
      `compression method ${entry.method} (only stored and deflate)`,
    );
  if (entry.method === 8 && entry.uncompressedSize > Math.max(1024, entry.compressedSize * limits.maxCompressionRatio))
    throw new ArtifactTooLargeError(
      where,
      `declared inflate ratio of "${entry.name}"`,
      entry.compressedSize * limits.maxCompressionRatio,
    );
  const local = await source.read(entry.localHeaderOffset, 30);
  if (local.length < 30) throw new TruncatedArtifactError(where, 'ends inside a local header');
  if (local.readUInt32LE(0) !== LOCAL_SIGNATURE)
    throw new ArtifactError('malformed-archive', where, 'bad local header');
  const dataStart = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (dataStart + entry.compressedSize > source.size)
    throw new TruncatedArtifactError(where, 'entry data runs past the end');

  let produced = 0;
  let crc = 0;
  const account = (chunk: Buffer): Buffer => {
    produced += chunk.length;
    if (produced > entry.uncompressedSize)
      throw new ArtifactError('malformed-archive', where, `inflates past its declared ${entry.uncompressedSize} bytes`);
    crc = crc32(chunk, crc);
    return chunk;
  };
  const raw = rangeChunks(source, dataStart, entry.compressedSize);
  if (entry.method === 0) {
    for await (const chunk of raw) yield account(chunk);
  } else {
    const inflate = createInflateRaw();
    const feeding = (async () => {
      try {
        for await (const chunk of raw) {
          if (inflate.destroyed) return;
          if (!inflate.write(chunk))
            await new Promise<void>((resolve) => {
              const done = (): void => {
                inflate.off('drain', done);
                inflate.off('close', done);
                resolve();
              };
              inflate.once('drain', done);
              inflate.once('close', done);
            });
        }
        if (!inflate.destroyed) inflate.end();
      } catch (err) {
        inflate.destroy(err instanceof Error ? err : new Error(String(err)));
      }
    })();
    try {
      for await (const chunk of inflate as AsyncIterable<Buffer>) yield account(chunk);
    } catch (err) {
      if (err instanceof ArtifactError) throw err;
      throw new ArtifactError(
        'malformed-archive',
        where,
        `does not inflate: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    } finally {
      inflate.destroy();
      await feeding;
    }
  }
  if (produced !== entry.uncompressedSize)
    throw new ArtifactError(
      'malformed-archive',
      where,
      `inflated to ${produced} bytes, directory says ${entry.uncompressedSize}`,
    );
  if (crc >>> 0 !== entry.crc32) throw new ArtifactError('malformed-archive', where, 'CRC-32 mismatch (corrupt entry)');
}

/** Whole entry in memory, for small metadata only. */
export async function readZipEntry(
  source: RandomAccessSource,
  entry: ZipEntry,
  location: string,
  limits: ZipLimits,
  maxBytes: number,
): Promise<Buffer> {
  if (entry.uncompressedSize > maxBytes)
    throw new ArtifactTooLargeError(`${location}!${entry.name}`, `entry "${entry.name}"`, maxBytes);
  const chunks: Buffer[] = [];
  for await (const chunk of zipEntryChunks(source, entry, location, limits)) chunks.push(chunk);
  return Buffer.concat(chunks);
}
