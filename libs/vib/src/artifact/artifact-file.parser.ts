/**
 * Entry point for uploads: looks at the first bytes of a file and parses it as a .vib (ar) or
 * an offline bundle (zip), streaming from disk. Returns the descriptor(s) and the file's sha256
 * (the Artifact row's key).
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { sha256OfFile } from '@nutfleet/esxi';
import { AR_MAGIC } from '../archive/ar-archive.reader';
import { EMPTY_ZIP_MAGIC, ZIP_MAGIC } from '../archive/zip-archive.reader';
import { fileSource } from '../archive/random-access-source';
import { type VibDescriptor } from '../descriptor/vib-descriptor.types';
import { ArtifactError, ArtifactTooLargeError, UnknownArtifactFormatError } from './artifact.errors';
import { type ArtifactLimits, DEFAULT_ARTIFACT_LIMITS } from './artifact-limits';
import { parseOfflineBundle, type BundleBulletin, type BundleVib } from './offline-bundle.parser';
import { parseVibStream } from './vib-stream.parser';

export type ParsedArtifact =
  | {
      readonly kind: 'vib';
      readonly fileName: string;
      readonly sha256: string;
      readonly sizeBytes: number;
      readonly descriptor: VibDescriptor;
      readonly signed: boolean;
    }
  | {
      readonly kind: 'bundle';
      readonly fileName: string;
      readonly sha256: string;
      readonly sizeBytes: number;
      readonly vibs: readonly BundleVib[];
      readonly bulletins: readonly BundleBulletin[];
      readonly metadataVibs: readonly VibDescriptor[];
    };

export async function parseArtifactFile(path: string, limits: Partial<ArtifactLimits> = {}): Promise<ParsedArtifact> {
  const effective: ArtifactLimits = { ...DEFAULT_ARTIFACT_LIMITS, ...limits };
  const fileName = basename(path);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (err) {
    throw new ArtifactError('io', path, `cannot read the file: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  if (size > effective.maxFileBytes) throw new ArtifactTooLargeError(path, 'the file', effective.maxFileBytes);
  const handle = await open(path, 'r');
  try {
    const source = fileSource(handle, size);
    const head = await source.read(0, 8);
    if (
      head.equals(AR_MAGIC) ||
      (head.length < 8 && head.length > 0 && AR_MAGIC.subarray(0, head.length).equals(head))
    ) {
      const vib = await parseVibStream(createReadStream(path, { highWaterMark: 64 * 1024 }), path, effective);
      return {
        kind: 'vib',
        fileName,
        sha256: vib.sha256,
        sizeBytes: vib.sizeBytes,
        descriptor: vib.descriptor,
        signed: vib.signed,
      };
    }
    if (head.subarray(0, 4).equals(ZIP_MAGIC) || head.subarray(0, 4).equals(EMPTY_ZIP_MAGIC)) {
      const bundle = await parseOfflineBundle(source, path, effective);
      return {
        kind: 'bundle',
        fileName,
        sha256: await sha256OfFile(path),
        sizeBytes: size,
        vibs: bundle.vibs,
        bulletins: bundle.bulletins,
        metadataVibs: bundle.metadataVibs,
      };
    }
    throw new UnknownArtifactFormatError(path, describeMagic(head));
  } finally {
    await handle.close();
  }
}

function describeMagic(head: Buffer): string {
  if (head.length === 0) return 'nothing (empty file)';
  const printable = /^[\x20-\x7e]+$/.test(head.toString('latin1'));
  return printable ? JSON.stringify(head.toString('latin1')) : `bytes ${head.toString('hex')}`;
}
