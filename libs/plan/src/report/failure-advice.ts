import { type ReadinessCheckCode } from '@nutfleet/power';

/**
 * Why a step failed, as a stable code. Steps store their error as text (the typed error's message,
 * written by the worker), so the cause is recognised from the wording those typed errors use
 * (`libs/esxi` EsxiError subclasses, the worker's HostAccessError subclasses, the step handlers'
 * own failures); the action decides when the text says nothing more specific.
 */
export const FAILURE_CAUSES = [
  'HOST_KEY_MISMATCH',
  'HOST_KEY_UNTRUSTED',
  'SSH_AUTH',
  'TARGET_NOT_ALLOWED',
  'SSH_UNREACHABLE',
  'COMMAND_TIMEOUT',
  'VM_NOT_STOPPED',
  'HOST_STILL_UP',
  'HOST_NOT_BACK',
  'ESXI_NOT_VERIFIED',
  'VM_NOT_STARTED',
  'UPS_COMMAND',
  'UNKNOWN',
] as const;

export type FailureCause = (typeof FAILURE_CAUSES)[number];

export interface FailureAdvice {
  readonly cause: FailureCause;
  readonly fix: string;
  /** The readiness check that watches for this cause between outages, when there is one. */
  readonly readinessCheck: ReadinessCheckCode | null;
}

interface Rule {
  readonly cause: FailureCause;
  readonly matches: (error: string, action: string) => boolean;
}

const text =
  (...patterns: RegExp[]) =>
  (error: string): boolean =>
    patterns.some((p) => p.test(error));

/** First match wins: the specific wording of a typed error before the action's general case. */
const RULES: readonly Rule[] = [
  // HostKeyMismatchError, HostNotTrustedError (MISMATCH)
  { cause: 'HOST_KEY_MISMATCH', matches: text(/does not match the pinned one/i, /host key other than the pinned/i) },
  // UnknownHostKeyError, HostNotTrustedError (UNTRUSTED)
  { cause: 'HOST_KEY_UNTRUSTED', matches: text(/no fingerprint is pinned/i, /no trusted host key/i) },
  // AuthenticationError, HostCredentialsError
  { cause: 'SSH_AUTH', matches: text(/authentication to .* was refused/i, /credentials of host .* cannot be used/i) },
  // HostTargetNotAllowedError
  { cause: 'TARGET_NOT_ALLOWED', matches: text(/is not contacted:/i, /ALLOWED_TARGET_NETWORKS/) },
  // restart wait-ssh: no session after the magic packets
  { cause: 'HOST_NOT_BACK', matches: text(/did not come back/i) },
  // restart verify-esxi
  { cause: 'ESXI_NOT_VERIFIED', matches: text(/ESXi did not verify/i) },
  // host power-off verified against its deadline
  { cause: 'HOST_STILL_UP', matches: text(/still answers SSH at its deadline/i) },
  // ConnectTimeoutError, ConnectionError, ConnectionLostError
  {
    cause: 'SSH_UNREACHABLE',
    matches: text(/no SSH session with/i, /could not open an SSH session/i, /connection to .* was lost/i),
  },
  // CommandTimeoutError
  { cause: 'COMMAND_TIMEOUT', matches: text(/did not finish within \d+ ms/i) },
  { cause: 'VM_NOT_STARTED', matches: (error, action) => action === 'power-on-vms' || /did not power on/i.test(error) },
  { cause: 'VM_NOT_STOPPED', matches: (_error, action) => action === 'vm-stop' },
  { cause: 'UPS_COMMAND', matches: (_error, action) => action === 'ups-power-cycle' },
];

const ADVICE: Readonly<Record<FailureCause, Omit<FailureAdvice, 'cause'>>> = {
  HOST_KEY_MISMATCH: {
    fix: 'The host presented another SSH key than the pinned one: check the key on its console; if the host was reinstalled, re-trust it (POST /hosts/{id}/trust, then /trust/accept), otherwise treat it as an attack.',
    readinessCheck: 'SSH_AUTH',
  },
  HOST_KEY_UNTRUSTED: {
    fix: 'No host key is trusted for this host: fetch and accept it (POST /hosts/{id}/trust, then /trust/accept) before the next outage.',
    readinessCheck: 'SSH_AUTH',
  },
  SSH_AUTH: {
    fix: 'The host refused the stored credentials: correct its user name and password or key in the inventory, then check its SSH_AUTH readiness.',
    readinessCheck: 'SSH_AUTH',
  },
  TARGET_NOT_ALLOWED: {
    fix: 'The host address is outside ALLOWED_TARGET_NETWORKS: correct the address or widen the setting.',
    readinessCheck: null,
  },
  SSH_UNREACHABLE: {
    fix: 'No SSH session could be opened: check that the host is up, SSH is enabled (TSM-SSH) and the network path from the workers is open.',
    readinessCheck: 'ESXI_ANSWERS',
  },
  COMMAND_TIMEOUT: {
    fix: 'A command did not finish in time: check hostd on the host (services.sh restart) and its load; raise the timeout in the policy if the host is merely slow.',
    readinessCheck: 'ESXI_ANSWERS',
  },
  VM_NOT_STOPPED: {
    fix: 'The VM did not stop by its ladder: make sure VMware Tools run in it (guest shutdown needs them), or raise the guest shutdown timeout of its policy if it needs longer.',
    readinessCheck: 'VM_TOOLS',
  },
  HOST_STILL_UP: {
    fix: 'The host still answered after poweroff was sent: look at its console (a VM or hostd blocking the shutdown) and lengthen the host power-off timeout if it is slow to stop.',
    readinessCheck: null,
  },
  HOST_NOT_BACK: {
    fix: 'The host did not come back after its magic packets: enable Wake-on-LAN in its BIOS/NIC, check its MAC and broadcast address in the inventory, or power it on by hand.',
    readinessCheck: 'WOL_PROVEN',
  },
  ESXI_NOT_VERIFIED: {
    fix: 'SSH answers but ESXi did not verify: check hostd on its console (services.sh restart).',
    readinessCheck: 'ESXI_ANSWERS',
  },
  VM_NOT_STARTED: {
    fix: 'Some VMs did not power on: power them on from the Host Client and check their autostart settings.',
    readinessCheck: 'AUTOSTART',
  },
  UPS_COMMAND: {
    fix: 'The UPS command was not carried out: check the NUT command account (instcmds allowed in upsd.users) and that the driver supports the command.',
    readinessCheck: 'NUT_LOGIN',
  },
  UNKNOWN: {
    fix: 'Read the error above; nutfleet does not recognise it. Run the host readiness checks to see whether it persists.',
    readinessCheck: null,
  },
};

/** The cause of a failed step and what to change so that the next outage goes well. */
export function adviseFailure(error: string, action: string): FailureAdvice {
  const cause = RULES.find((rule) => rule.matches(error, action))?.cause ?? 'UNKNOWN';
  return { cause, ...ADVICE[cause] };
}
