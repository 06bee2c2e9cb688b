/**
 * descriptor.xml → `VibDescriptor`. Pure: takes the XML text, throws `DescriptorError` naming
 * the missing or bad field.
 */
import { DescriptorError } from '../artifact/artifact.errors';
import {
  childElement,
  childElements,
  childText,
  readXml,
  XmlSyntaxError,
  type XmlElement,
} from '../xml/strict-xml.reader';
import {
  VIB_ACCEPTANCE_LEVELS,
  type VibAcceptanceLevel,
  type VibChecksum,
  type VibConstraint,
  type VibDescriptor,
  type VibPayload,
} from './vib-descriptor.types';

// A descriptor is a few KB; 1 MiB leaves room for long file lists and refuses absurd ones.
export const MAX_DESCRIPTOR_BYTES = 1024 * 1024;

// Names and versions end up in file names, esxcli arguments and VIB IDs: keep them plain.
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;
const HEX = /^[0-9a-f]+$/;

export function parseVibDescriptor(xml: string, location: string): VibDescriptor {
  let root: XmlElement;
  try {
    root = readXml(xml);
  } catch (err) {
    if (err instanceof XmlSyntaxError)
      throw new DescriptorError('descriptor-invalid', location, `descriptor.xml is not well-formed: ${err.message}`, {
        cause: err,
      });
    throw err;
  }
  const invalid = (detail: string): never => {
    throw new DescriptorError('descriptor-invalid', location, `descriptor.xml: ${detail}`);
  };
  if (root.name !== 'vib') invalid(`root element is <${root.name}>, expected <vib>`);
  const required = (field: string): string => {
    const value = childText(root, field);
    if (value === undefined || value === '') invalid(`<${field}> is missing or empty`);
    return value ?? '';
  };
  const plain = (field: string): string => {
    const value = required(field);
    if (!SAFE_NAME.test(value))
      invalid(`<${field}> ${JSON.stringify(value)} has characters a VIB ${field} cannot have`);
    return value;
  };

  const name = plain('name');
  const version = plain('version');
  const vendor = plain('vendor');
  const type = childText(root, 'type') || 'bootbank';
  if (!SAFE_NAME.test(type)) invalid(`<type> ${JSON.stringify(type)} is not a VIB type`);
  const level = required('acceptance-level');
  if (!(VIB_ACCEPTANCE_LEVELS as readonly string[]).includes(level))
    invalid(`<acceptance-level> ${JSON.stringify(level)} is not one of ${VIB_ACCEPTANCE_LEVELS.join(', ')}`);

  const payloads = childElements(childElement(root, 'payloads'), 'payload').map((p, i) => readPayload(p, i, invalid));
  const systemRequires = childElement(root, 'system-requires');
  const relationships = childElement(root, 'relationships');
  return {
    name,
    version,
    vendor,
    type,
    acceptanceLevel: level as VibAcceptanceLevel,
    summary: childText(root, 'summary') ?? '',
    description: childText(root, 'description') ?? '',
    releaseDate: childText(root, 'release-date') || undefined,
    vibId: `${vendor}_${type}_${name}_${version}`,
    payloads,
    maintenanceModeRequired: flag(childText(systemRequires, 'maintenance-mode'), false, invalid, 'maintenance-mode'),
    liveInstallAllowed: flag(childText(root, 'live-install-allowed'), true, invalid, 'live-install-allowed'),
    liveRemoveAllowed: flag(childText(root, 'live-remove-allowed'), true, invalid, 'live-remove-allowed'),
    hardwarePlatforms: childElements(systemRequires, 'hwplatform').map(
      (h) => [h.attributes['vendor'], h.attributes['model']].filter((x) => x).join(' ') || h.text.trim(),
    ),
    depends: constraints(childElement(relationships, 'depends')),
    conflicts: constraints(childElement(relationships, 'conflicts')),
    softwarePlatforms: childElements(root, 'software-platform').map((s) => ({
      version: s.attributes['version'] ?? '',
      locale: s.attributes['locale'] ?? '',
      productLineID: s.attributes['productLineID'] ?? '',
    })),
  };
}

function readPayload(p: XmlElement, index: number, invalid: (detail: string) => never): VibPayload {
  const name = p.attributes['name'] ?? '';
  if (!SAFE_NAME.test(name)) invalid(`payload #${index + 1} has no usable name attribute`);
  const sizeText = p.attributes['size'];
  let size: number | undefined;
  if (sizeText !== undefined) {
    if (!/^\d{1,15}$/.test(sizeText)) invalid(`payload ${name} has size ${JSON.stringify(sizeText)}`);
    size = Number(sizeText);
  }
  const checksums: VibChecksum[] = childElements(p, 'checksum').map((c) => {
    const type = (c.attributes['checksum-type'] ?? '').toLowerCase();
    const value = c.text.trim().toLowerCase();
    if (type === '') invalid(`payload ${name} has a checksum without checksum-type`);
    if (!HEX.test(value)) invalid(`payload ${name} ${type} checksum is not hexadecimal`);
    const expectedLength = type === 'sha-256' ? 64 : type === 'sha-1' ? 40 : undefined;
    if (expectedLength !== undefined && value.length !== expectedLength)
      invalid(`payload ${name} ${type} checksum has ${value.length} hex digits, expected ${expectedLength}`);
    return { type, verifyProcess: c.attributes['verify-process'] || undefined, value };
  });
  return {
    name,
    type: p.attributes['type'] ?? '',
    size,
    checksums,
    hasSha256Gunzip: checksums.some((c) => c.type === 'sha-256' && c.verifyProcess === 'gunzip'),
  };
}

function constraints(parent: XmlElement | undefined): VibConstraint[] {
  return childElements(parent, 'constraint').map((c) => ({
    name: c.attributes['name'] ?? '',
    relation: c.attributes['relation'],
    version: c.attributes['version'],
  }));
}

function flag(text: string | undefined, fallback: boolean, invalid: (d: string) => never, field: string): boolean {
  if (text === undefined || text === '') return fallback;
  if (/^(true|1)$/i.test(text)) return true;
  if (/^(false|0)$/i.test(text)) return false;
  return invalid(`<${field}> ${JSON.stringify(text)} is not a boolean`);
}
