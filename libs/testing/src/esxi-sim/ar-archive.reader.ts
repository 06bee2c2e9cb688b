/**
 * Reads Unix `ar` archives, the container format of a `.vib` file (descriptor.xml, sig.pkcs7,
 * payloads). Supports the GNU long-name table (`//`) and BSD `#1/<len>` names, since VIB
 * builders differ in which they emit.
 */
export interface ArMember {
  name: string;
  data: Buffer;
}

const GLOBAL_HEADER = '!<arch>\n';
const HEADER_SIZE = 60;

export class ArArchiveError extends Error {}

export function readArArchive(archive: Buffer): ArMember[] {
  if (archive.subarray(0, GLOBAL_HEADER.length).toString('latin1') !== GLOBAL_HEADER) {
    throw new ArArchiveError('not an ar archive (bad global header)');
  }
  const members: ArMember[] = [];
  let longNames: Buffer | undefined;
  let pos = GLOBAL_HEADER.length;
  while (pos + HEADER_SIZE <= archive.length) {
    const header = archive.subarray(pos, pos + HEADER_SIZE);
    if (header.subarray(58, 60).toString('latin1') !== '`\n')
      throw new ArArchiveError(`bad member header at offset ${pos}`);
    let name = header.subarray(0, 16).toString('utf8').trimEnd();
    const size = Number.parseInt(header.subarray(48, 58).toString('latin1').trim(), 10);
    if (!Number.isFinite(size) || size < 0) throw new ArArchiveError(`bad member size at offset ${pos}`);
    let dataStart = pos + HEADER_SIZE;
    let dataSize = size;
    if (dataStart + size > archive.length) throw new ArArchiveError(`member ${name} is truncated`);
    if (name.startsWith('#1/')) {
      const nameLength = Number.parseInt(name.slice(3), 10);
      name = archive
        .subarray(dataStart, dataStart + nameLength)
        .toString('utf8')
        .replace(/\0+$/, '');
      dataStart += nameLength;
      dataSize -= nameLength;
    } else if (name === '//') {
      longNames = archive.subarray(dataStart, dataStart + size);
      name = '';
    } else if (/^\/[0-9]+$/.test(name) && longNames) {
      const offset = Number(name.slice(1));
      const end = longNames.indexOf('/\n', offset);
      name = longNames.subarray(offset, end < 0 ? undefined : end).toString('utf8');
    } else if (name.endsWith('/') && name !== '/') {
      name = name.slice(0, -1);
    }
    if (name !== '' && name !== '/') members.push({ name, data: archive.subarray(dataStart, dataStart + dataSize) });
    pos = pos + HEADER_SIZE + size + (size % 2);
  }
  return members;
}
