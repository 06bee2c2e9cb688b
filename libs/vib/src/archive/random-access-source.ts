/** Positional reads over a file or an in-memory buffer, so the zip reader works on both. */
import { type FileHandle } from 'node:fs/promises';

export interface RandomAccessSource {
  readonly size: number;
  /** Up to `length` bytes at `position` (fewer only at the end). */
  read(position: number, length: number): Promise<Buffer>;
}

export function bufferSource(buffer: Buffer): RandomAccessSource {
  return {
    size: buffer.length,
    read: (position, length) =>
      Promise.resolve(buffer.subarray(Math.min(position, buffer.length), Math.min(position + length, buffer.length))),
  };
}

export function fileSource(handle: FileHandle, size: number): RandomAccessSource {
  return {
    size,
    read: async (position, length) => {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
      let filled = 0;
      while (filled < buffer.length) {
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, position + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    },
  };
}

/** Streams `length` bytes from `position` in chunks of `chunkSize`. */
export async function* rangeChunks(
  source: RandomAccessSource,
  position: number,
  length: number,
  chunkSize = 64 * 1024,
): AsyncGenerator<Buffer> {
  let offset = 0;
  while (offset < length) {
    const chunk = await source.read(position + offset, Math.min(chunkSize, length - offset));
    if (chunk.length === 0) return;
    offset += chunk.length;
    yield chunk;
  }
}
