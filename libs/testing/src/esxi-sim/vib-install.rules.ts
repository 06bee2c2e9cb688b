/**
 * ESXi's rules for `esxcli software vib install|update|remove` and `software acceptance set`,
 * applied to the host model. Error classes and texts follow what esxcli prints
 * (docs/ESXI.md, Installing a VIB); the result blocks are built by the esxcli handler.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { ACCEPTANCE_RANK, HOST_LEVEL_TO_VIB, VIB_LEVEL_TO_HOST, type HostState } from './host-state';
import type { HostAcceptanceLevel } from './host-profile';
import { compareVersions } from './esxi-version.profiles';
import { nutUserVarDefinitions } from './nut-user-vars';
import { vibId, type VibDescriptor } from './vib-descriptor';
import type { LoadedVib } from './vib-file.reader';

export interface VibError {
  errorClass: string;
  lines: string[];
}

export interface VibChange {
  installed: string[];
  removed: string[];
  skipped: string[];
}

export interface VibTransactionOptions {
  kind: 'install' | 'update';
  force: boolean;
  dryRun: boolean;
  maintenanceModeFlag: boolean;
}

function checksumOf(algo: 'sha-256' | 'sha-1', data: Buffer): string {
  return createHash(algo === 'sha-256' ? 'sha256' : 'sha1')
    .update(data)
    .digest('hex');
}

/**
 * What the payload checks found for a .vib file, by the file's sha-256 (which `sha256sum` has
 * usually computed already) and whether the release insists on the gunzip checksum. Every
 * simulated host shares this process's CPU where real hosts have their own: gunzipping and hashing
 * the same 800 KB payload again on each of 500 hosts made a rollout bench time the simulator. The
 * outcome is a function of those two, so a corrupted upload (another sha-256) is checked in full.
 */
const payloadVerdicts = new Map<string, VibError | undefined>();
const PAYLOAD_VERDICTS_KEPT = 64;

function checkedPayloads(state: HostState, vib: LoadedVib): VibError | undefined {
  if (vib.fileSha256 === undefined) return validatePayloads(state, vib);
  const key = `${vib.fileSha256}:${String(state.esxi.requiresGunzipChecksum)}`;
  if (payloadVerdicts.has(key)) return payloadVerdicts.get(key);
  const verdict = validatePayloads(state, vib);
  if (payloadVerdicts.size >= PAYLOAD_VERDICTS_KEPT)
    payloadVerdicts.delete(payloadVerdicts.keys().next().value as string);
  payloadVerdicts.set(key, verdict);
  return verdict;
}

/** Payload checks: ESXi 8's mandatory gunzip sha-256, then every declared checksum must match. */
function validatePayloads(state: HostState, vib: LoadedVib): VibError | undefined {
  const id = vibId(vib.descriptor);
  for (const p of vib.descriptor.payloads) {
    const hasGunzipSha256 = p.checksums.some((c) => c.type === 'sha-256' && c.verifyProcess === 'gunzip');
    if (state.esxi.requiresGunzipChecksum && !hasGunzipSha256) {
      return {
        errorClass: 'VibValidationError',
        lines: [`VIB (${id}) payload(s) ${p.name} does not have sha-256 gunzip checksum`],
      };
    }
    const data = vib.payloads.get(p.name) ?? Buffer.alloc(0);
    let gunzipped: Buffer | undefined;
    for (const c of p.checksums) {
      if (c.type !== 'sha-256' && c.type !== 'sha-1') continue;
      let subject = data;
      if (c.verifyProcess === 'gunzip') {
        try {
          subject = gunzipped ??= gunzipSync(data);
        } catch {
          return { errorClass: 'VibValidationError', lines: [`VIB (${id}) payload ${p.name} could not be gunzipped`] };
        }
      }
      const sum = checksumOf(c.type, subject);
      if (sum !== c.value.toLowerCase()) {
        return {
          errorClass: 'VibValidationError',
          lines: [
            `VIB (${id}) payload ${p.name} ${c.type}${c.verifyProcess ? ` ${c.verifyProcess}` : ''} checksum mismatch: expected ${c.value}, got ${sum}`,
          ],
        };
      }
    }
  }
  return undefined;
}

function acceptanceError(state: HostState, d: VibDescriptor): VibError | undefined {
  if (ACCEPTANCE_RANK[VIB_LEVEL_TO_HOST[d.acceptanceLevel]] >= ACCEPTANCE_RANK[state.acceptanceLevel]) return undefined;
  return {
    errorClass: 'AcceptanceConfigError',
    lines: [
      `VIB ${vibId(d)}'s acceptance level is ${d.acceptanceLevel}, which is not compliant with the ImageProfile acceptance level ${HOST_LEVEL_TO_VIB[state.acceptanceLevel]}`,
      "To change the host acceptance level, use the 'esxcli software acceptance set' command.",
    ],
  };
}

/** Decides what an install/update would do, or why it fails; changes nothing. */
export function planVibTransaction(
  state: HostState,
  vibs: readonly LoadedVib[],
  options: VibTransactionOptions,
): VibChange | VibError {
  const change: VibChange = { installed: [], removed: [], skipped: [] };
  for (const vib of vibs) {
    const d = vib.descriptor;
    const payloadError = checkedPayloads(state, vib);
    if (payloadError) return payloadError;
    const current = state.vibs.get(d.name)?.descriptor;
    const cmp = current ? compareVersions(d.version, current.version) : 1;
    const wanted = options.kind === 'install' ? cmp !== 0 || !current : current !== undefined && cmp > 0;
    if (!wanted) {
      change.skipped.push(vibId(d));
      continue;
    }
    // Host acceptance is enforced even with --force/--no-sig-check on current ESXi releases.
    const acceptance = acceptanceError(state, d);
    if (acceptance) return acceptance;
    if (d.maintenanceModeRequired && !state.maintenanceMode && !options.maintenanceModeFlag) {
      return {
        errorClass: 'MaintenanceModeError',
        lines: [
          `MaintenanceMode is required to install VIBs: ${vibId(d)}. Please put the host in maintenance mode to proceed.`,
        ],
      };
    }
    change.installed.push(vibId(d));
    if (current) change.removed.push(vibId(current));
  }
  return change;
}

/** Runs the live-install hooks of the VIB: NutClient's upsmon-install creates/upgrades UserVars. */
function afterInstall(state: HostState, d: VibDescriptor): void {
  if (d.name !== 'upsmon') return;
  for (const def of nutUserVarDefinitions(d.version)) {
    // esxcfg-advcfg -A on ESXi <= 6.7 refuses an empty string default (NutClient 2.6.0's NutSmtpRelay).
    if (def.type === 'string' && def.defaultString === '' && state.esxi.refusesEmptyStringDefault) continue;
    state.settings.create(def);
  }
}

function afterRemove(state: HostState, d: VibDescriptor): void {
  if (d.name !== 'upsmon') return;
  if (state.upsmon.running) {
    state.upsmon.running = false;
    state.upsmon.current = undefined;
    state.upsmon.stops.push(Date.now());
  }
  for (const def of nutUserVarDefinitions(d.version)) state.settings.delete(def.path);
}

export function applyVibInstall(state: HostState, vibs: readonly LoadedVib[], change: VibChange): void {
  const today = new Date().toISOString().slice(0, 10);
  for (const vib of vibs) {
    if (!change.installed.includes(vibId(vib.descriptor))) continue;
    state.vibs.set(vib.descriptor.name, { descriptor: vib.descriptor, installDate: today });
    afterInstall(state, vib.descriptor);
  }
}

/** Resolves `-n` values (name or full VIB ID) for removal. */
export function planVibRemoval(state: HostState, specs: readonly string[]): VibChange | VibError {
  const change: VibChange = { installed: [], removed: [], skipped: [] };
  for (const spec of specs) {
    const found = [...state.vibs.values()].find((v) => v.descriptor.name === spec || vibId(v.descriptor) === spec);
    if (!found) return { errorClass: 'NoMatchError', lines: [`No VIB matching VIB search specification '${spec}'.`] };
    change.removed.push(vibId(found.descriptor));
  }
  return change;
}

export function applyVibRemoval(state: HostState, change: VibChange): void {
  for (const [name, v] of [...state.vibs]) {
    if (!change.removed.includes(vibId(v.descriptor))) continue;
    state.vibs.delete(name);
    afterRemove(state, v.descriptor);
  }
}

export const HOST_ACCEPTANCE_LEVELS: readonly HostAcceptanceLevel[] = [
  'VMwareCertified',
  'VMwareAccepted',
  'PartnerSupported',
  'CommunitySupported',
];

/** `esxcli software acceptance set`: Secure Boot forbids lowering; raising needs compliant VIBs. */
export function changeAcceptanceLevel(state: HostState, level: HostAcceptanceLevel): VibError | undefined {
  const lowering = ACCEPTANCE_RANK[level] < ACCEPTANCE_RANK[state.acceptanceLevel];
  if (lowering && state.secureBoot) {
    return {
      errorClass: 'AcceptanceConfigError',
      lines: [`Secure Boot enabled: Cannot change acceptance level to ${HOST_LEVEL_TO_VIB[level]}.`],
    };
  }
  const blocking = [...state.vibs.values()].filter(
    (v) => ACCEPTANCE_RANK[VIB_LEVEL_TO_HOST[v.descriptor.acceptanceLevel]] < ACCEPTANCE_RANK[level],
  );
  if (blocking.length > 0) {
    return {
      errorClass: 'AcceptanceConfigError',
      lines: [
        `Unable to set acceptance level of ${level} due to installed VIBs ${blocking.map((v) => vibId(v.descriptor)).join(', ')} having a lower acceptance level.`,
      ],
    };
  }
  state.acceptanceLevel = level;
  return undefined;
}

export function formatVibError(e: VibError): string {
  const [first, ...rest] = e.lines;
  return [
    `[${e.errorClass}] ${first ?? ''}`,
    ...rest.map((l) => ` ${l}`),
    ' Please refer to the log file for more details.',
    '',
  ].join('\n');
}
