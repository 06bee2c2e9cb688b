/**
 * Parses one .vib from a stream of chunks (a file, or an entry inflating out of a bundle): the
 * descriptor, the payload digests checked against every checksum the descriptor declares, and
 * the sha256 of the whole .vib. Nothing larger than one chunk or the descriptor is held.
 */
import { createHash } from 'node:crypto';
import { readArArchive } from '../archive/ar-archive.reader';
import { ChunkReader } from '../archive/chunk-reader';
import { PayloadDigester, type PayloadDigests } from '../archive/payload-digester';
import { parseVibDescriptor } from '../descriptor/vib-descriptor.parser';
import { type VibDescriptor, type VibPayload } from '../descriptor/vib-descriptor.types';
import { ArtifactError, ArtifactTooLargeError, DescriptorError } from './artifact.errors';
import { type ArtifactLimits } from './artifact-limits';

export interface ParsedVib {
  readonly descriptor: VibDescriptor;
  /** Hex sha256 of the whole .vib file. */
  readonly sha256: string;
  readonly sizeBytes: number;
  /** False for the usual empty sig.pkcs7 of community VIBs. */
  readonly signed: boolean;
}

export async function parseVibStream(
  source: AsyncIterable<Buffer>,
  location: string,
  limits: ArtifactLimits,
): Promise<ParsedVib> {
  const fileHash = createHash('sha256');
  let fileBytes = 0;
  async function* hashed(): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      fileBytes += chunk.length;
      if (fileBytes > limits.maxFileBytes) throw new ArtifactTooLargeError(location, 'the VIB', limits.maxFileBytes);
      fileHash.update(chunk);
      yield chunk;
    }
  }
  const reader = new ChunkReader(hashed());
  let descriptorXml: string | undefined;
  let signed = false;
  const digests = new Map<string, PayloadDigests>();

  await readArArchive(reader, location, async (member, body) => {
    if (member.name === 'descriptor.xml') {
      if (descriptorXml !== undefined)
        throw new ArtifactError('malformed-archive', location, 'the VIB holds two descriptor.xml members');
      descriptorXml = (await body.readAll(limits.maxXmlBytes)).toString('utf8');
    } else if (member.name === 'sig.pkcs7') {
      signed = member.size > 0;
    } else {
      if (digests.has(member.name))
        throw new ArtifactError('malformed-archive', location, `the VIB holds two members named "${member.name}"`);
      const digester = new PayloadDigester(limits.maxInflatedPayloadBytes);
      await body.pass((chunk) => digester.update(chunk));
      digests.set(member.name, await digester.finish());
    }
  });
  // Whatever follows the archive still counts in the file hash.
  await reader.drain();

  if (descriptorXml === undefined)
    throw new DescriptorError('descriptor-missing', location, 'the VIB has no descriptor.xml member');
  const descriptor = parseVibDescriptor(descriptorXml, location);
  if (descriptor.payloads.length === 0)
    throw new DescriptorError('descriptor-invalid', location, 'descriptor.xml declares no payload');
  for (const payload of descriptor.payloads)
    checkPayload(location, payload, digests.get(payload.name), limits.maxInflatedPayloadBytes);
  return { descriptor, sha256: fileHash.digest('hex'), sizeBytes: fileBytes, signed };
}

/** ESXi checks these at install time; checking at upload time turns a fleet-wide failure into one clear error. */
function checkPayload(
  location: string,
  payload: VibPayload,
  digests: PayloadDigests | undefined,
  maxInflatedBytes: number,
): void {
  const mismatch = (detail: string): never => {
    throw new ArtifactError('payload-mismatch', location, `payload "${payload.name}": ${detail}`);
  };
  if (!digests) return mismatch('declared in descriptor.xml but absent from the archive');
  if (payload.size !== undefined && payload.size !== digests.size)
    mismatch(`declared size ${payload.size} bytes, archive member has ${digests.size}`);
  for (const checksum of payload.checksums) {
    const algo = checksum.type === 'sha-256' ? 'sha256' : checksum.type === 'sha-1' ? 'sha1' : undefined;
    if (algo === undefined) continue; // unknown algorithms (md5 on very old VIBs) are ESXi's business
    let actual: string;
    if (checksum.verifyProcess === 'gunzip') {
      if (digests.inflatedTooLarge)
        throw new ArtifactTooLargeError(location, `payload "${payload.name}" once gunzipped`, maxInflatedBytes);
      if (!digests.gunzip)
        return mismatch(`declares a gunzip checksum but does not gunzip (${digests.gunzipError ?? 'not gzip'})`);
      actual = digests.gunzip[algo];
    } else if (checksum.verifyProcess === undefined) {
      actual = digests[algo];
    } else continue;
    if (actual !== checksum.value)
      mismatch(
        `${checksum.type}${checksum.verifyProcess ? ` ${checksum.verifyProcess}` : ''} checksum is ${actual}, descriptor says ${checksum.value}`,
      );
  }
}
