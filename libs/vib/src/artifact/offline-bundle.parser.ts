/**
 * Offline bundle (depot zip): index.xml, vendor-index.xml, `<vendor>-<name>-<ver>-metadata.zip`
 * (bulletins/*.xml, vibs/*.xml, vmware.xml) and the `vib20/<name>/<file>.vib` files it ships.
 * Each .vib is parsed as it inflates out of the zip (never whole in memory); the metadata zip,
 * a few KB of XML, is read into memory under a cap.
 */
import { bufferSource, type RandomAccessSource } from '../archive/random-access-source';
import {
  readZipDirectory,
  readZipEntry,
  zipEntryChunks,
  type ZipEntry,
  type ZipLimits,
} from '../archive/zip-archive.reader';
import { parseVibDescriptor } from '../descriptor/vib-descriptor.parser';
import { type VibDescriptor } from '../descriptor/vib-descriptor.types';
import { childElement, childElements, childText, readXml, XmlSyntaxError } from '../xml/strict-xml.reader';
import { ArtifactError } from './artifact.errors';
import { type ArtifactLimits } from './artifact-limits';
import { parseVibStream, type ParsedVib } from './vib-stream.parser';

export interface BundleBulletin {
  readonly id: string;
  readonly vendor: string | undefined;
  readonly summary: string | undefined;
  readonly releaseType: string | undefined;
  /** VIB IDs the bulletin lists, when it lists them. */
  readonly vibIds: readonly string[];
}

export interface BundleVib extends ParsedVib {
  /** Path inside the zip, e.g. `vib20/upsmon/upsmon-2.8.5-2.7.3.x86_64.vib`. */
  readonly path: string;
}

export interface ParsedBundleContents {
  readonly vibs: readonly BundleVib[];
  readonly bulletins: readonly BundleBulletin[];
  /** Descriptors as the metadata zip repeats them (`vibs/*.xml`). */
  readonly metadataVibs: readonly VibDescriptor[];
  /** Name of the metadata zip inside the bundle, when there is one. */
  readonly metadataZip: string | undefined;
}

export async function parseOfflineBundle(
  source: RandomAccessSource,
  location: string,
  limits: ArtifactLimits,
): Promise<ParsedBundleContents> {
  const zipLimits: ZipLimits = { maxEntries: limits.maxZipEntries, maxCompressionRatio: limits.maxCompressionRatio };
  const entries = await readZipDirectory(source, location, zipLimits);
  const vibEntries = entries.filter((e) => /(^|\/)vib20\/.+\.vib$/i.test(e.name) || /\.vib$/i.test(e.name));
  if (vibEntries.length === 0)
    throw new ArtifactError(
      'no-vib-in-bundle',
      location,
      'the zip holds no .vib (an offline bundle ships them under vib20/)',
    );

  const vibs: BundleVib[] = [];
  for (const entry of vibEntries) {
    const where = `${location}!${entry.name}`;
    const parsed = await parseVibStream(zipEntryChunks(source, entry, location, zipLimits), where, limits);
    vibs.push({ ...parsed, path: entry.name });
  }

  const metadataEntry = entries.find((e) => /metadata\.zip$/i.test(e.name));
  let bulletins: BundleBulletin[] = [];
  let metadataVibs: VibDescriptor[] = [];
  if (metadataEntry) {
    ({ bulletins, metadataVibs } = await readMetadataZip(source, metadataEntry, location, limits, zipLimits));
    checkMetadataAgreesWithVibs(location, metadataVibs, vibs);
  }
  return { vibs, bulletins, metadataVibs, metadataZip: metadataEntry?.name };
}

async function readMetadataZip(
  source: RandomAccessSource,
  entry: ZipEntry,
  location: string,
  limits: ArtifactLimits,
  zipLimits: ZipLimits,
): Promise<{ bulletins: BundleBulletin[]; metadataVibs: VibDescriptor[] }> {
  const metadataLocation = `${location}!${entry.name}`;
  const inner = bufferSource(await readZipEntry(source, entry, location, zipLimits, limits.maxMetadataZipBytes));
  const innerEntries = await readZipDirectory(inner, metadataLocation, zipLimits);
  const xmlOf = async (e: ZipEntry): Promise<string> =>
    (await readZipEntry(inner, e, metadataLocation, zipLimits, limits.maxXmlBytes)).toString('utf8');

  const bulletins: BundleBulletin[] = [];
  for (const e of innerEntries.filter((x) => /^bulletins\/[^/]+\.xml$/.test(x.name))) {
    const where = `${metadataLocation}!${e.name}`;
    const root = readMetadataXml(await xmlOf(e), where);
    if (root.name !== 'bulletin')
      throw new ArtifactError('malformed-archive', where, `root is <${root.name}>, expected <bulletin>`);
    const id = childText(root, 'id');
    if (!id) throw new ArtifactError('malformed-archive', where, 'bulletin has no <id>');
    bulletins.push({
      id,
      vendor: childText(root, 'vendor') || undefined,
      summary: childText(root, 'summary') || undefined,
      releaseType: childText(root, 'releaseType') || undefined,
      vibIds: childElements(childElement(root, 'vibList'), 'vibID').map((v) => v.text.trim()),
    });
  }
  const metadataVibs: VibDescriptor[] = [];
  for (const e of innerEntries.filter((x) => /^vibs\/[^/]+\.xml$/.test(x.name)))
    metadataVibs.push(parseVibDescriptor(await xmlOf(e), `${metadataLocation}!${e.name}`));
  const vmware = innerEntries.find((x) => x.name === 'vmware.xml');
  if (vmware) readMetadataXml(await xmlOf(vmware), `${metadataLocation}!vmware.xml`);
  return { bulletins, metadataVibs };
}

function readMetadataXml(xml: string, where: string): ReturnType<typeof readXml> {
  try {
    return readXml(xml);
  } catch (err) {
    if (err instanceof XmlSyntaxError) throw new ArtifactError('malformed-archive', where, err.message, { cause: err });
    throw err;
  }
}

/** The depot metadata is what vLCM and Image Builder read: it must describe the VIBs actually shipped. */
function checkMetadataAgreesWithVibs(
  location: string,
  metadataVibs: readonly VibDescriptor[],
  vibs: readonly BundleVib[],
): void {
  for (const meta of metadataVibs) {
    const shipped = vibs.find((v) => v.descriptor.vibId === meta.vibId);
    if (!shipped)
      throw new ArtifactError(
        'malformed-archive',
        location,
        `metadata describes VIB ${meta.vibId} but the bundle does not ship it`,
      );
  }
}
