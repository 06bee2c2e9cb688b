import { parseMacAddress } from '@nutfleet/wol';

/** Where a host's magic packets go, from its inventory row. */
export interface WakeTarget {
  readonly macs: readonly string[];
  readonly broadcastAddress: string;
  readonly port: number;
}

/** The limited broadcast: reaches the worker's own segment (it runs with host networking). */
export const DEFAULT_WOL_BROADCAST = '255.255.255.255';

export class WakeTargetError extends Error {
  public readonly retryable = false;
  public constructor(message: string) {
    super(message);
    this.name = 'WakeTargetError';
  }
}

/**
 * Validates the row's MACs (strict parsing, canonical form) and picks the broadcast address:
 * the host's own directed broadcast when set, else the limited broadcast.
 */
export function wakeTargetOf(row: {
  name: string;
  id: string;
  macAddresses: readonly string[];
  wolBroadcast: string | null;
  wolPort: number;
}): WakeTarget {
  if (row.macAddresses.length === 0) {
    throw new WakeTargetError(
      `Host ${row.name} has no MAC address in the inventory, so it cannot be woken: add its management NIC's MAC (PATCH /hosts/${row.id}) or power it on by hand.`,
    );
  }
  const macs = row.macAddresses.map((mac) => {
    try {
      return parseMacAddress(mac).canonical;
    } catch (error) {
      throw new WakeTargetError(
        `Host ${row.name} has an unusable MAC address "${mac}" (${error instanceof Error ? error.message : String(error)}): fix it in the inventory.`,
      );
    }
  });
  return { macs, broadcastAddress: row.wolBroadcast ?? DEFAULT_WOL_BROADCAST, port: row.wolPort };
}
