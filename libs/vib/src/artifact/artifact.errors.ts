/**
 * Why an uploaded file is not a usable VIB or offline bundle. Every error names the file (and,
 * inside a bundle, the entry) so the administrator knows what to fix; none is retryable: the
 * same bytes give the same answer.
 */
export type ArtifactErrorCode =
  | 'unknown-format'
  | 'truncated'
  | 'malformed-archive'
  | 'descriptor-missing'
  | 'descriptor-invalid'
  | 'payload-mismatch'
  | 'no-vib-in-bundle'
  | 'too-large'
  | 'unsupported-feature'
  | 'io';

export class ArtifactError extends Error {
  constructor(
    readonly code: ArtifactErrorCode,
    /** The file, or `bundle.zip!vib20/upsmon/upsmon.vib` for an entry inside a bundle. */
    readonly location: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${location}: ${detail}`, options);
    this.name = 'ArtifactError';
  }
}

/** Not an ar archive (.vib) nor a zip (offline bundle). */
export class UnknownArtifactFormatError extends ArtifactError {
  constructor(location: string, magic: string) {
    super(
      'unknown-format',
      location,
      `neither a VIB (ar archive starting with "!<arch>") nor an offline bundle (zip); the file starts with ${magic}`,
    );
    this.name = 'UnknownArtifactFormatError';
  }
}

/** The file ends inside a header or member: an interrupted upload or download. */
export class TruncatedArtifactError extends ArtifactError {
  constructor(location: string, detail: string) {
    super('truncated', location, `file is truncated (${detail}); upload it again`);
    this.name = 'TruncatedArtifactError';
  }
}

/** A size limit was hit: a zip bomb, or a file far beyond what a NutClient VIB can be. */
export class ArtifactTooLargeError extends ArtifactError {
  constructor(location: string, what: string, limit: number) {
    super('too-large', location, `${what} exceeds the limit of ${limit} bytes; refused (possible zip bomb)`);
    this.name = 'ArtifactTooLargeError';
  }
}

export class DescriptorError extends ArtifactError {
  constructor(
    code: 'descriptor-missing' | 'descriptor-invalid',
    location: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(code, location, detail, options);
    this.name = 'DescriptorError';
  }
}
