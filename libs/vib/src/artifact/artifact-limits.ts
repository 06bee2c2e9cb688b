/** Size caps applied while parsing uploads: a NutClient VIB is about 1 MB, a bundle a little more. */
export interface ArtifactLimits {
  /** Largest .vib or .zip accepted. Default 256 MiB. */
  readonly maxFileBytes: number;
  /** Largest descriptor.xml / metadata XML. Default 1 MiB. */
  readonly maxXmlBytes: number;
  /** Most bytes a gzip payload may inflate to while its gunzip checksum is verified. Default 512 MiB. */
  readonly maxInflatedPayloadBytes: number;
  /** Largest metadata.zip inside a bundle (it is read into memory). Default 16 MiB. */
  readonly maxMetadataZipBytes: number;
  /** Most entries in a zip central directory. Default 4,096. */
  readonly maxZipEntries: number;
  /** Largest inflate ratio accepted for a zip entry. Default 200 (zip bombs reach thousands). */
  readonly maxCompressionRatio: number;
}

export const DEFAULT_ARTIFACT_LIMITS: ArtifactLimits = {
  maxFileBytes: 256 * 1024 * 1024,
  maxXmlBytes: 1024 * 1024,
  maxInflatedPayloadBytes: 512 * 1024 * 1024,
  maxMetadataZipBytes: 16 * 1024 * 1024,
  maxZipEntries: 4096,
  maxCompressionRatio: 200,
};
