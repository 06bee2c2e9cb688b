/** The metadata ESXi reads from a VIB's descriptor.xml, as the simulator needs it. */
import { childOf, childrenOf, parseXml, textOf, type XmlElement } from './xml-element.parser';

export type VibAcceptance = 'certified' | 'accepted' | 'partner' | 'community';

export interface VibPayloadChecksum {
  type: string;
  verifyProcess?: string;
  value: string;
}

export interface VibPayloadDescriptor {
  name: string;
  type: string;
  checksums: VibPayloadChecksum[];
}

export interface VibDescriptor {
  name: string;
  version: string;
  vendor: string;
  type: string;
  summary: string;
  description: string;
  acceptanceLevel: VibAcceptance;
  releaseDate: string;
  urls: Array<{ key: string; url: string }>;
  tags: string[];
  maintenanceModeRequired: boolean;
  liveInstallAllowed: boolean;
  liveRemoveAllowed: boolean;
  statelessReady: boolean;
  overlay: boolean;
  payloads: VibPayloadDescriptor[];
}

export class VibDescriptorError extends Error {}

const ACCEPTANCE_VALUES: readonly VibAcceptance[] = ['certified', 'accepted', 'partner', 'community'];

export function vibId(d: Pick<VibDescriptor, 'vendor' | 'type' | 'name' | 'version'>): string {
  return `${d.vendor}_${d.type}_${d.name}_${d.version}`;
}

function flag(element: XmlElement | undefined, name: string, fallback: boolean): boolean {
  const t = textOf(element, name);
  return t === undefined ? fallback : t.trim().toLowerCase() === 'true';
}

export function descriptorFromXml(vib: XmlElement): VibDescriptor {
  if (vib.name !== 'vib') throw new VibDescriptorError(`descriptor root is <${vib.name}>, expected <vib>`);
  const required = (name: string): string => {
    const v = textOf(vib, name)?.trim();
    if (!v) throw new VibDescriptorError(`descriptor has no <${name}>`);
    return v;
  };
  const acceptance = required('acceptance-level');
  if (!(ACCEPTANCE_VALUES as readonly string[]).includes(acceptance)) {
    throw new VibDescriptorError(`unknown acceptance level '${acceptance}'`);
  }
  return {
    name: required('name'),
    version: required('version'),
    vendor: required('vendor'),
    type: textOf(vib, 'type')?.trim() || 'bootbank',
    summary: textOf(vib, 'summary') ?? '',
    description: textOf(vib, 'description') ?? '',
    acceptanceLevel: acceptance as VibAcceptance,
    releaseDate: textOf(vib, 'release-date') ?? '',
    urls: childrenOf(childOf(vib, 'urls'), 'url').map((u) => ({ key: u.attributes['key'] ?? '', url: u.text })),
    tags: childrenOf(childOf(vib, 'software-tags'), 'tag').map((t) => t.text),
    maintenanceModeRequired: flag(childOf(vib, 'system-requires'), 'maintenance-mode', false),
    liveInstallAllowed: flag(vib, 'live-install-allowed', true),
    liveRemoveAllowed: flag(vib, 'live-remove-allowed', true),
    statelessReady: flag(vib, 'stateless-ready', false),
    overlay: flag(vib, 'overlay', false),
    payloads: childrenOf(childOf(vib, 'payloads'), 'payload').map((p) => ({
      name: p.attributes['name'] ?? '',
      type: p.attributes['type'] ?? '',
      checksums: childrenOf(p, 'checksum').map((c) => ({
        type: c.attributes['checksum-type'] ?? '',
        ...(c.attributes['verify-process'] !== undefined ? { verifyProcess: c.attributes['verify-process'] } : {}),
        value: c.text.trim(),
      })),
    })),
  };
}

export function parseVibDescriptor(xml: string): VibDescriptor {
  return descriptorFromXml(parseXml(xml));
}
