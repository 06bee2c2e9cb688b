/**
 * Streaming reader for `ar` archives (the container of a .vib): the "!<arch>\n" magic, then per
 * member a 60-byte header (name, mtime, uid, gid, mode, decimal size, "`\n") and the data padded
 * to an even length. GNU (`name/`) and BSD (`#1/<len>`) names are understood.
 */
import { ArtifactError, ArtifactTooLargeError, TruncatedArtifactError } from '../artifact/artifact.errors';
import { type ChunkReader } from './chunk-reader';

export const AR_MAGIC = Buffer.from('!<arch>\n', 'latin1');
const HEADER_SIZE = 60;

export interface ArMemberHeader {
  readonly name: string;
  readonly size: number;
  /** Offset of the member's data from the start of the archive. */
  readonly dataOffset: number;
}

/** The member's data, to be consumed at most once (whatever is left is skipped). */
export interface ArMemberBody {
  /** Reads the whole member into memory; refuses members larger than `maxBytes`. */
  readAll(maxBytes: number): Promise<Buffer>;
  /** Streams the member chunk by chunk. */
  pass(sink: (chunk: Buffer) => void | Promise<void>): Promise<void>;
}

export interface ArReadLimits {
  /** Most members accepted. Default 64 (a VIB has three or four). */
  readonly maxMembers?: number;
}

export async function readArArchive(
  reader: ChunkReader,
  location: string,
  visit: (header: ArMemberHeader, body: ArMemberBody) => Promise<void>,
  limits: ArReadLimits = {},
): Promise<void> {
  const maxMembers = limits.maxMembers ?? 64;
  const magic = await reader.read(AR_MAGIC.length);
  if (!magic.equals(AR_MAGIC)) {
    if (AR_MAGIC.subarray(0, magic.length).equals(magic))
      throw new TruncatedArtifactError(location, 'ends inside the ar magic');
    throw new ArtifactError('malformed-archive', location, 'not an ar archive (no "!<arch>" magic)');
  }
  let count = 0;
  while (!(await reader.atEnd())) {
    const headerOffset = reader.position;
    const raw = await reader.read(HEADER_SIZE);
    // Some writers end the archive with a lone newline.
    if (raw.length === 1 && raw[0] === 0x0a) return;
    if (raw.length < HEADER_SIZE)
      throw new TruncatedArtifactError(location, `ends inside the member header at offset ${headerOffset}`);
    if (raw.subarray(58, 60).toString('latin1') !== '`\n')
      throw new ArtifactError('malformed-archive', location, `bad ar member header at offset ${headerOffset}`);
    if (++count > maxMembers) throw new ArtifactTooLargeError(location, `number of ar members (${count})`, maxMembers);
    const sizeText = raw.subarray(48, 58).toString('latin1').trim();
    if (!/^\d{1,15}$/.test(sizeText))
      throw new ArtifactError(
        'malformed-archive',
        location,
        `ar member size ${JSON.stringify(sizeText)} at offset ${headerOffset}`,
      );
    const total = Number(sizeText);
    let size = total;
    let name = raw.subarray(0, 16).toString('latin1').trimEnd();
    const bsd = /^#1\/(\d{1,4})$/.exec(name);
    if (bsd) {
      const length = Number(bsd[1]);
      if (length > size) throw new ArtifactError('malformed-archive', location, `ar long name longer than its member`);
      const nameBytes = await reader.read(length);
      if (nameBytes.length < length) throw new TruncatedArtifactError(location, 'ends inside an ar member name');
      name = nameBytes.toString('utf8').replace(/\0+$/, '');
      size -= length;
    } else if (name.endsWith('/') && name !== '/' && name !== '//') name = name.slice(0, -1);

    let left = size;
    const truncated = (): never => {
      throw new TruncatedArtifactError(location, `ar member "${name}" declares ${size} bytes but the file ends first`);
    };
    const body: ArMemberBody = {
      readAll: async (maxBytes) => {
        if (size > maxBytes) throw new ArtifactTooLargeError(location, `ar member "${name}" (${size} bytes)`, maxBytes);
        const data = await reader.read(left);
        left -= data.length;
        if (left > 0) truncated();
        return data;
      },
      pass: async (sink) => {
        const passed = await reader.pass(left, sink);
        left -= passed;
        if (left > 0) truncated();
      },
    };
    await visit({ name, size, dataOffset: reader.position }, body);
    if (left > 0 && (await reader.pass(left, () => undefined)) < left) truncated();
    if (total % 2 === 1) await reader.read(1);
  }
}
