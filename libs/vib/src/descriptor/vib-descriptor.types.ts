/** What nutfleet keeps of a VIB's descriptor.xml (stored as the Artifact's `descriptor` JSON). */
export type VibAcceptanceLevel = 'certified' | 'accepted' | 'partner' | 'community';

export const VIB_ACCEPTANCE_LEVELS: readonly VibAcceptanceLevel[] = ['certified', 'accepted', 'partner', 'community'];

/** The host acceptance level (`esxcli software acceptance get`) a VIB level needs at least. */
export const HOST_LEVEL_FOR_VIB: Readonly<Record<VibAcceptanceLevel, HostAcceptanceName>> = {
  certified: 'VMwareCertified',
  accepted: 'VMwareAccepted',
  partner: 'PartnerSupported',
  community: 'CommunitySupported',
};

export type HostAcceptanceName = 'VMwareCertified' | 'VMwareAccepted' | 'PartnerSupported' | 'CommunitySupported';

/** Higher = stricter. A host accepts a VIB whose level rank is ≥ its own. */
export const ACCEPTANCE_RANK: Readonly<Record<HostAcceptanceName, number>> = {
  CommunitySupported: 1,
  PartnerSupported: 2,
  VMwareAccepted: 3,
  VMwareCertified: 4,
};

export interface VibChecksum {
  /** `sha-256`, `sha-1`, ... as written in the descriptor. */
  readonly type: string;
  /** `gunzip` when the checksum is of the decompressed payload (ESXi 8 needs a sha-256 one). */
  readonly verifyProcess: string | undefined;
  /** Lower-case hex. */
  readonly value: string;
}

export interface VibPayload {
  readonly name: string;
  /** `tgz`, `vgz`, `tar`, ... */
  readonly type: string;
  /** Declared size of the payload member, in bytes, when present. */
  readonly size: number | undefined;
  readonly checksums: readonly VibChecksum[];
  /** True when a `sha-256` checksum with `verify-process="gunzip"` is present (mandatory on ESXi 8+). */
  readonly hasSha256Gunzip: boolean;
}

/** One `<constraint>` of `<relationships>`, e.g. `esx-base >= 6.0.0`. */
export interface VibConstraint {
  readonly name: string;
  readonly relation: string | undefined;
  readonly version: string | undefined;
}

export interface VibDescriptor {
  readonly name: string;
  readonly version: string;
  readonly vendor: string;
  /** `bootbank`, `locker`, ... */
  readonly type: string;
  readonly acceptanceLevel: VibAcceptanceLevel;
  readonly summary: string;
  readonly description: string;
  readonly releaseDate: string | undefined;
  /** `<vendor>_<type>_<name>_<version>`, the ID esxcli reports. */
  readonly vibId: string;
  readonly payloads: readonly VibPayload[];
  readonly maintenanceModeRequired: boolean;
  readonly liveInstallAllowed: boolean;
  readonly liveRemoveAllowed: boolean;
  /** `system-requires/hwplatform` vendors/models, when any. */
  readonly hardwarePlatforms: readonly string[];
  readonly depends: readonly VibConstraint[];
  readonly conflicts: readonly VibConstraint[];
  /** `<software-platform>` entries (ESXi version patterns such as `8.0.*`), when any. */
  readonly softwarePlatforms: readonly {
    readonly version: string;
    readonly locale: string;
    readonly productLineID: string;
  }[];
}
