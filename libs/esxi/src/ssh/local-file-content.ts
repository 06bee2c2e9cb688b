import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';

/** A local file to upload: its size and sha256, and its bytes when it is small enough to hold. */
export interface LocalFileContent {
  readonly size: number;
  readonly sha256: string;
  /** Absent for a file larger than KEPT_MAX_BYTES: it is streamed from disk instead. */
  readonly bytes?: Buffer;
}

/**
 * A rollout uploads one artifact to every host: reading and hashing it again for each of 500
 * hosts cost the worker more CPU than the SSH transfers. Small files are read once and held while
 * their size and mtime stay the same; a few are kept, so the memory stays bounded.
 */
export const KEPT_MAX_BYTES = 16 * 1024 * 1024;
const KEPT_FILES = 4;

interface Kept {
  readonly size: number;
  readonly mtimeMs: number;
  readonly content: Promise<LocalFileContent>;
}
const kept = new Map<string, Kept>();

export async function localFileContent(path: string): Promise<LocalFileContent> {
  const { size, mtimeMs } = await stat(path);
  if (size > KEPT_MAX_BYTES) return { size, sha256: await sha256OfFile(path) };
  const hit = kept.get(path);
  if (hit !== undefined && hit.size === size && hit.mtimeMs === mtimeMs) return hit.content;
  const content = readFile(path).then((bytes) => ({
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bytes,
  }));
  const entry = { size, mtimeMs, content };
  kept.delete(path);
  kept.set(path, entry);
  if (kept.size > KEPT_FILES) kept.delete(kept.keys().next().value as string);
  // A failed read is not kept: the next upload tries the file again.
  content.catch(() => kept.get(path) === entry && kept.delete(path));
  return content;
}

/** A file's sha-256 (hex), read in 64 KiB pieces: it is never held in memory whole. */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
