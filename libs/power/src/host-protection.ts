import { type VmInventory } from './fleet-inventory';
import { type VmFallbackAction } from './shutdown-policy';
import { type HostProtectionWarningCode, type HostRuntimeCheck } from './shutdown-plan.types';
import { formatSeconds } from './time';

/** The VIB (NutClient) on the host, against the settings the inventory wants it to have. */
export type FallbackClientState =
  | { readonly state: 'in-sync' }
  | { readonly state: 'not-installed' }
  /** Installed, but its UserVars (or what could be read of them) differ from the desired ones. */
  | { readonly state: 'drifted'; readonly reasons: readonly string[] }
  /** The desired settings cannot be computed (no feed, no NUT server credentials...). */
  | { readonly state: 'unconfigurable'; readonly problems: readonly string[] };

/** What nutfleet knows about one host, as far as protecting it goes. No secret, only whether one is stored. */
export interface HostProtectionFacts {
  readonly hostId: string;
  readonly hostName: string;
  readonly trust: 'trusted' | 'untrusted' | 'mismatch';
  /** A password or private key is stored (never its value). */
  readonly hasCredentials: boolean;
  /** Powered off by nutfleet (verified): nothing can be reached on it now, nothing is at risk. */
  readonly poweredOff: boolean;
  /** Undefined: never discovered. */
  readonly discovery?: {
    /** ISO-8601 time of the last discovery. */
    readonly at: string;
    /** The VMs, or why they are unknown (their last read failed). */
    readonly vms: readonly VmInventory[] | { readonly unknown: string };
    readonly fallbackClient: FallbackClientState;
  };
  /** Set when nutfleet's last attempt to reach it over SSH failed: what failed. */
  readonly unreachable?: string;
  /** Power feeds with a power value above 0 (feeds that count towards minSupplies). */
  readonly supplyingFeeds: number;
  /** Wake-on-LAN MACs. */
  readonly macAddresses: readonly string[];
}

export interface HostProtectionContext {
  /** The plan builder's battery check for this host; absent when it is not in a plan (powered off). */
  readonly runtimeCheck?: HostRuntimeCheck;
  /** The name people know the check's limiting UPS by (e.g. `ups1@nut-paris`). */
  readonly limitingUpsName?: string;
  /** What the host's policy does with a running VM whose guest cannot be shut down. */
  readonly vmWithoutTools: VmFallbackAction;
}

export interface HostProtectionWarning {
  readonly hostId: string;
  readonly hostName: string;
  readonly code: HostProtectionWarningCode;
  /** What is wrong and what to do, naming the host. */
  readonly message: string;
  readonly values: Readonly<Record<string, number | string>>;
}

/** VM names listed in one message; the rest are counted. */
const NAMED_VMS = 5;

/**
 * Everything that keeps nutfleet from protecting `host` now, one warning per problem, each saying
 * what to do. A host with none is protected: reachable with a trusted key and credentials,
 * discovered, fed by a UPS, its VIB in sync as the fallback, its VMs known and able to shut down
 * cleanly, Wake-on-LAN possible, and its plan done before its batteries are.
 *
 * A host never discovered gets NEVER_DISCOVERED alone for what discovery would tell (VMs, Tools,
 * VIB): nothing is known to warn about. A host nutfleet powered off is not warned about what only
 * matters while it runs (reachability, battery).
 */
export function assessHostProtection(
  host: HostProtectionFacts,
  context: HostProtectionContext,
): HostProtectionWarning[] {
  const name = host.hostName;
  const warnings: HostProtectionWarning[] = [];
  const warn = (code: HostProtectionWarningCode, message: string, values: Record<string, number | string> = {}) =>
    warnings.push({ hostId: host.hostId, hostName: name, code, message, values });

  if (host.trust === 'untrusted')
    warn(
      'UNTRUSTED_KEY',
      `${name}: its SSH host key was never trusted, so nutfleet will not connect to it and cannot shut its VMs down or power it off. Fetch its key, check the fingerprint and accept it (Fleet page, or POST /hosts/${host.hostId}/trust then /trust/accept)`,
    );
  if (host.trust === 'mismatch')
    warn(
      'KEY_MISMATCH',
      `${name}: it presented an SSH host key different from the one trusted, so nutfleet refuses to connect and cannot shut it down. Find out why the key changed (reinstall, or another machine at its address); if it is legitimate, fetch and accept the new key`,
    );
  if (!host.hasCredentials)
    warn(
      'NO_CREDENTIALS',
      `${name}: no SSH password or private key is stored, so nutfleet cannot log in to shut it down. An admin sets its credentials on the host (PATCH /hosts/${host.hostId})`,
    );
  if (host.unreachable !== undefined && !host.poweredOff)
    warn(
      'UNREACHABLE',
      `${name}: nutfleet's last attempt to reach it over SSH failed (${host.unreachable}). Check its address, port and network path, then run discovery again`,
      { error: host.unreachable },
    );
  if (host.supplyingFeeds === 0)
    warn(
      'NO_POWER_FEED',
      `${name}: no power feed links it to a UPS, so no outage ever triggers its shutdown. Add a power feed from the UPS that powers it`,
    );
  if (host.macAddresses.length === 0)
    warn(
      'NO_WOL_MAC',
      `${name}: no MAC address is known for Wake-on-LAN, so the restart after an outage cannot power it back on. Run discovery (it fills the MACs in) or set them on the host`,
    );

  const discovery = host.discovery;
  if (discovery === undefined) {
    warn(
      'NEVER_DISCOVERED',
      `${name}: never discovered, so nutfleet knows neither its VMs nor whether its NutClient VIB can shut it down on its own; a shutdown would power it off without stopping its VMs first. Run discovery (POST /hosts/${host.hostId}/discover)`,
    );
  } else {
    const fallback = fallbackWarning(name, discovery.fallbackClient);
    if (fallback !== undefined) warn('NO_FALLBACK_CLIENT', fallback.message, fallback.values);
    if ('unknown' in discovery.vms) {
      warn(
        'VMS_UNKNOWN',
        `${name}: its VM list could not be read at the last discovery (${discovery.vms.unknown}), so a shutdown cannot plan its VM shutdowns; the host step reads the list again before its poweroff, and if that fails too relies on ESXi's own autostop. Fix the cause and run discovery again`,
        { error: discovery.vms.unknown },
      );
    } else if (!host.poweredOff) {
      const stuck = discovery.vms.filter(
        (vm) =>
          vm.powerState === 'on' &&
          (vm.toolsState === 'not-running' || vm.toolsState === 'not-installed') &&
          (vm.override?.action ?? 'guest-shutdown') === 'guest-shutdown',
      );
      if (stuck.length > 0) {
        const names = stuck.slice(0, NAMED_VMS).map((vm) => `${vm.name} (Tools ${vm.toolsState})`);
        const more = stuck.length > NAMED_VMS ? ` and ${stuck.length - NAMED_VMS} more` : '';
        const action = context.vmWithoutTools === 'suspend' ? 'suspended' : 'powered off hard';
        warn(
          'VM_WITHOUT_TOOLS',
          `${name}: ${stuck.length} running VM(s) cannot be shut down cleanly without VMware Tools: ${names.join(', ')}${more}; they would be ${action}. Install or start VMware Tools in them`,
          { vms: stuck.length },
        );
      }
    }
  }

  const check = context.runtimeCheck;
  // Only a runtime the UPS really gave (or its discharge predicts) is a margin: an unknown one is none.
  if (!host.poweredOff && check?.batteryRuntimeSeconds !== undefined && check.marginSeconds !== undefined) {
    if (check.marginSeconds < 0) {
      const runtime = Math.round(check.batteryRuntimeSeconds);
      warn(
        'PLAN_OUTLASTS_BATTERY',
        `${name}: its shutdown is predicted to finish ${formatSeconds(Math.round(check.predictedEndSeconds))} after the plan starts, but ${context.limitingUpsName ?? check.limitingUpsId ?? 'its UPS'} lasts ${formatSeconds(runtime)} (${formatSeconds(Math.round(-check.marginSeconds))} short, safety margin included): it would lose power mid-shutdown. Move it to an earlier stage, shorten its VM timeouts, or give it more battery`,
        {
          predictedEndSeconds: check.predictedEndSeconds,
          batteryRuntimeSeconds: check.batteryRuntimeSeconds,
          marginSeconds: check.marginSeconds,
          ups: check.limitingUpsId ?? '',
        },
      );
    }
  }
  return warnings;
}

function fallbackWarning(
  name: string,
  client: FallbackClientState,
): { message: string; values: Record<string, number | string> } | undefined {
  switch (client.state) {
    case 'in-sync':
      return undefined;
    case 'not-installed':
      return {
        message: `${name}: the NutClient VIB is not installed, so if nutfleet cannot reach it during an outage nothing shuts it down. Roll the VIB out to it`,
        values: {},
      };
    case 'drifted':
      return {
        message: `${name}: its NutClient VIB settings differ from what nutfleet's plan needs (${client.reasons.join('; ')}), so the fallback would not act as planned. Roll the settings out to it`,
        values: { differences: client.reasons.length },
      };
    case 'unconfigurable':
      return {
        message: `${name}: the settings its NutClient VIB needs cannot be computed (${client.problems.join('; ')}), so it has no fallback. Fix the inventory as said, then roll the settings out`,
        values: { problems: client.problems.length },
      };
  }
}
