/**
 * Turns uploaded bytes into VIBs the way esxcli does: a `.vib` is an ar archive whose
 * descriptor.xml names the payload members; an offline bundle is a zip with index.xml, a
 * metadata zip and the VIBs under vib20/.
 */
import { readArArchive } from './ar-archive.reader';
import { parseVibDescriptor, type VibDescriptor } from './vib-descriptor';
import { readZipArchive } from './zip-archive.reader';

export interface LoadedVib {
  descriptor: VibDescriptor;
  /** Payload bytes by payload name, as stored in the archive (tgz). */
  payloads: Map<string, Buffer>;
  signature: Buffer;
  /** The sha-256 of the .vib file it was read from; absent for a VIB taken out of a depot. */
  fileSha256?: string;
}

export class VibFormatError extends Error {}

export function readVibFile(bytes: Buffer, fileSha256?: string): LoadedVib {
  let members;
  try {
    members = readArArchive(bytes);
  } catch (e) {
    throw new VibFormatError(`Bad VIB archive header: ${(e as Error).message}`);
  }
  const descriptorMember = members.find((m) => m.name === 'descriptor.xml');
  if (!descriptorMember) throw new VibFormatError('VIB archive has no descriptor.xml');
  let descriptor: VibDescriptor;
  try {
    descriptor = parseVibDescriptor(descriptorMember.data.toString('utf8'));
  } catch (e) {
    throw new VibFormatError(`Could not parse descriptor.xml: ${(e as Error).message}`);
  }
  const payloads = new Map<string, Buffer>();
  for (const p of descriptor.payloads) {
    const member = members.find((m) => m.name === p.name);
    if (!member) throw new VibFormatError(`payload ${p.name} is missing from the VIB archive`);
    payloads.set(p.name, member.data);
  }
  const signature = members.find((m) => m.name === 'sig.pkcs7')?.data ?? Buffer.alloc(0);
  return { descriptor, payloads, signature, ...(fileSha256 !== undefined ? { fileSha256 } : {}) };
}

export class DepotFormatError extends Error {}

export function readOfflineBundle(bytes: Buffer): LoadedVib[] {
  let entries;
  try {
    entries = readZipArchive(bytes);
  } catch (e) {
    throw new DepotFormatError((e as Error).message);
  }
  if (!entries.some((e) => e.name === 'index.xml'))
    throw new DepotFormatError('Error extracting index.xml: no index.xml in the depot');
  if (!entries.some((e) => /metadata\.zip$/.test(e.name))) throw new DepotFormatError('depot has no metadata.zip');
  const vibs = entries.filter((e) => /^vib20\/[^/]+\/[^/]+\.vib$/.test(e.name));
  if (vibs.length === 0) throw new DepotFormatError('depot holds no VIB under vib20/');
  return vibs.map((e) => readVibFile(e.data));
}
