/**
 * What `esxcli system version get` and `vmware -v` report for each ESXi line the simulator
 * models, plus the output quirks that differ between them.
 */
export type EsxiVersionName = '6.7' | '7.0' | '8.0';

export interface EsxiVersionProfile {
  name: EsxiVersionName;
  product: string;
  version: string;
  build: string;
  update: string;
  patch: string;
  /** vim-cmd dumps print `powerOn` (7.0+) or `PowerOn` (6.7). */
  capitalisedActions: boolean;
  /** vim-cmd on 7.0 leaves a space after the commas of object dumps. */
  trailingSpaceAfterComma: boolean;
  /** 7.0+ advanced list adds Host Specific / Impact lines. */
  advancedListExtraFields: boolean;
  /** 8.0 moves Reboot Required after the VIB lists and adds DPU Results. */
  dpuResults: boolean;
  /** 8.0 refuses payloads without a sha-256 gunzip checksum. */
  requiresGunzipChecksum: boolean;
  /** 6.7 and older refuse an empty default for string UserVars. */
  refusesEmptyStringDefault: boolean;
}

export const ESXI_VERSION_PROFILES: Readonly<Record<EsxiVersionName, EsxiVersionProfile>> = {
  '6.7': {
    name: '6.7',
    product: 'VMware ESXi',
    version: '6.7.0',
    build: 'Releasebuild-17700523',
    update: '3',
    patch: '135',
    capitalisedActions: true,
    trailingSpaceAfterComma: false,
    advancedListExtraFields: false,
    dpuResults: false,
    requiresGunzipChecksum: false,
    refusesEmptyStringDefault: true,
  },
  '7.0': {
    name: '7.0',
    product: 'VMware ESXi',
    version: '7.0.3',
    build: 'Releasebuild-21930508',
    update: '3',
    patch: '95',
    capitalisedActions: false,
    trailingSpaceAfterComma: true,
    advancedListExtraFields: true,
    dpuResults: false,
    requiresGunzipChecksum: false,
    refusesEmptyStringDefault: false,
  },
  '8.0': {
    name: '8.0',
    product: 'VMware ESXi',
    version: '8.0.3',
    build: 'Releasebuild-24022510',
    update: '3',
    patch: '24',
    capitalisedActions: false,
    trailingSpaceAfterComma: false,
    advancedListExtraFields: true,
    dpuResults: true,
    requiresGunzipChecksum: true,
    refusesEmptyStringDefault: false,
  },
};

/** Numeric comparison of dotted/dashed versions such as 2.8.5-2.7.3. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const nx = Number(x);
    const ny = Number(y);
    const c = Number.isFinite(nx) && Number.isFinite(ny) ? nx - ny : x.localeCompare(y);
    if (c !== 0) return Math.sign(c);
  }
  return 0;
}
