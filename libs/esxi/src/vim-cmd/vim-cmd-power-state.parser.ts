import { OutputParseError } from '../parsing/output-parse-error';

export type VmPowerState = 'poweredOn' | 'poweredOff' | 'suspended';

/** `vim-cmd vmsvc/power.getstate VMID`: "Retrieved runtime info" then the state. */
export function parseVmPowerState(text: string): VmPowerState {
  for (const line of text.split(/\r?\n/).reverse()) {
    const word = line.trim().toLowerCase().replace(/\s+/g, '');
    if (word === 'poweredon') return 'poweredOn';
    if (word === 'poweredoff') return 'poweredOff';
    if (word === 'suspended') return 'suspended';
  }
  throw new OutputParseError('no power state in the output');
}
