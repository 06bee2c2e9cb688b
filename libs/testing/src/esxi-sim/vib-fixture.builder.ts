/**
 * Builds small but structurally real NutClient-style VIBs and offline bundles for tests: an ar
 * archive with descriptor.xml, an empty sig.pkcs7 and a gzip-tar payload whose checksums are
 * computed exactly as the descriptor declares them (sha-256 gunzip, sha-256, sha-1 gunzip).
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { writeAr, writeTar, writeZip } from './archive.writers';
import { vibId, type VibAcceptance } from './vib-descriptor';

export interface VibFixtureOptions {
  name?: string;
  version?: string;
  vendor?: string;
  acceptanceLevel?: VibAcceptance;
  /** Leave out the sha-256 gunzip checksum, as VIBs built before NutClient 2.3.2 did. */
  withoutGunzipChecksum?: boolean;
  /** Declare a wrong sha-256 for the payload, to exercise ESXi's payload verification. */
  corruptPayloadChecksum?: boolean;
  maintenanceModeRequired?: boolean;
  /** Payload files, path (relative, no leading slash) → content. */
  files?: Record<string, string>;
  arch?: string;
}

export interface VibFixture {
  bytes: Buffer;
  name: string;
  version: string;
  vendor: string;
  vibId: string;
  /** The file name the NutClient project would give this VIB, e.g. upsmon-2.8.5-2.7.3.x86_64.vib. */
  fileName: string;
  sha256: string;
  descriptorXml: string;
}

const DEFAULT_FILES: Record<string, string> = {
  'etc/init.d/upsmon': '#!/bin/sh\n# chkconfig: off 17 30\n',
  'etc/init.d/upsmon-install': '#!/bin/sh\n# chkconfig: on 16 31\n',
  'etc/vmware/service/upsmon.xml': '<ConfigRoot><service><id>NutClient</id></service></ConfigRoot>\n',
  'etc/vmware/firewall/upsmon.xml': '<ConfigRoot><service><id>NutServer</id></service></ConfigRoot>\n',
  'opt/nut/sbin/upsmon': 'ELF placeholder\n',
};

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const hash = (algo: string, data: Buffer): string => createHash(algo).update(data).digest('hex');

export function buildVibFixture(options: VibFixtureOptions = {}): VibFixture {
  const name = options.name ?? 'upsmon';
  const version = options.version ?? '2.8.5-2.7.3';
  const vendor = options.vendor ?? 'Margar';
  const acceptance = options.acceptanceLevel ?? 'community';
  const files = options.files ?? DEFAULT_FILES;
  const tar = writeTar(
    Object.entries(files).map(([path, content]) => ({
      path,
      content: Buffer.from(content, 'utf8'),
      mode: path.includes('/init.d/') || path.includes('bin/') ? 0o755 : 0o644,
    })),
  );
  const tgz = gzipSync(tar, { level: 9 });
  const checksums = [
    ...(options.withoutGunzipChecksum
      ? []
      : [`<checksum checksum-type="sha-256" verify-process="gunzip">${hash('sha256', tar)}</checksum>`]),
    `<checksum checksum-type="sha-256">${options.corruptPayloadChecksum ? hash('sha256', Buffer.from('corrupt')) : hash('sha256', tgz)}</checksum>`,
    `<checksum checksum-type="sha-1" verify-process="gunzip">${hash('sha1', tar)}</checksum>`,
  ];
  const descriptorXml = [
    '<vib version="5.0">',
    '  <type>bootbank</type>',
    `  <name>${xmlEscape(name)}</name>`,
    `  <version>${xmlEscape(version)}</version>`,
    `  <vendor>${xmlEscape(vendor)}</vendor>`,
    '  <summary>Network UPS Tools client</summary>',
    '  <description>Network UPS Tools client for VMware ESXi</description>',
    '  <release-date>2026-05-20T00:00:00</release-date>',
    '  <urls><url key="kb">http://rene.margar.fr/2012/05/client-nut-pour-esxi-5-0/</url></urls>',
    '  <relationships><depends></depends><conflicts></conflicts><replaces></replaces><provides></provides><compatibleWith></compatibleWith></relationships>',
    '  <software-tags><tag>service</tag></software-tags>',
    `  <system-requires><maintenance-mode>${options.maintenanceModeRequired ? 'true' : 'false'}</maintenance-mode></system-requires>`,
    `  <file-list>${Object.keys(files)
      .map((f) => `<file>${xmlEscape(f)}</file>`)
      .join('')}</file-list>`,
    `  <acceptance-level>${acceptance}</acceptance-level>`,
    '  <live-install-allowed>true</live-install-allowed>',
    '  <live-remove-allowed>true</live-remove-allowed>',
    '  <cimom-restart>false</cimom-restart>',
    '  <stateless-ready>true</stateless-ready>',
    '  <overlay>false</overlay>',
    `  <payloads><payload name="${xmlEscape(name)}" type="tgz" size="${tgz.length}">${checksums.join('')}</payload></payloads>`,
    '</vib>',
    '',
  ].join('\n');
  const bytes = writeAr([
    { name: 'descriptor.xml', data: Buffer.from(descriptorXml, 'utf8') },
    { name: 'sig.pkcs7', data: Buffer.alloc(0) },
    { name, data: tgz },
  ]);
  return {
    bytes,
    name,
    version,
    vendor,
    vibId: vibId({ vendor, type: 'bootbank', name, version }),
    fileName: `${name}-${version}.${options.arch ?? 'x86_64'}.vib`,
    sha256: hash('sha256', bytes),
    descriptorXml,
  };
}

/** Wraps VIB fixtures into an offline bundle laid out like NutClient-ESXi-<ver>-<arch>-offline_bundle.zip. */
export function buildOfflineBundleFixture(vibs: readonly VibFixture[]): Buffer {
  const first = vibs[0];
  if (!first) throw new Error('an offline bundle needs at least one VIB');
  const metadata = writeZip([
    {
      name: `bulletins/${first.name}-${first.version}.xml`,
      data: Buffer.from(`<bulletin><id>${first.name}-${first.version}</id></bulletin>\n`),
    },
    ...vibs.map((v, i) => ({ name: `vibs/${v.name}-${9999999990 + i}.xml`, data: Buffer.from(v.descriptorXml) })),
    { name: 'vmware.xml', data: Buffer.from('<metadataResponse version="3.0"></metadataResponse>\n') },
  ]);
  return writeZip([
    {
      name: 'index.xml',
      data: Buffer.from('<vendorList><vendor><name>Margar</name><code>margar</code></vendor></vendorList>\n'),
    },
    { name: 'vendor-index.xml', data: Buffer.from('<vendorIndex></vendorIndex>\n') },
    { name: `${first.vendor}-${first.name}-${first.version}-metadata.zip`, data: metadata },
    ...vibs.map((v) => ({ name: `vib20/${v.name}/${v.fileName}`, data: v.bytes })),
  ]);
}
