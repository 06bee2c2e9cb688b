/**
 * The demo inventory: what a new user sees when nutfleet starts with nothing configured.
 * Two UPSes on one NUT server and twelve ESXi hosts on loopback ports, the layout the demo
 * simulator serves. Fixed ids keep the seed idempotent.
 */
export const DEMO_TAG = 'demo';
export const DEMO_NUT_PORT = 34930;
/** The default of NUTFLEET_DEMO_SSH_BASE_PORT: the hosts take it and the 11 ports after it. */
export const DEMO_SSH_BASE_PORT = 22001;
export const DEMO_HOST_COUNT = 12;
export const DEMO_ROOT_PASSWORD = 'demo-root-password';

export const DEMO_NUT_SERVER_ID = '00000000-0000-4000-8000-00000000d001';
export const DEMO_UPS = [
  { id: '00000000-0000-4000-8000-00000000a001', name: 'ups-a', description: 'Demo UPS A (rack 1)' },
  { id: '00000000-0000-4000-8000-00000000a002', name: 'ups-b', description: 'Demo UPS B (rack 2)' },
] as const;
export const DEFAULT_POLICY_ID = '00000000-0000-4000-8000-00000000c001';

export interface DemoHost {
  id: string;
  name: string;
  sshPort: number;
  mac: string;
  shutdownStage: number;
  restartWave: number;
  minSupplies: number;
  upsIndexes: number[];
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/**
 * Hosts 1-4: storage and infrastructure, fed by both UPSes (stage 2: last down, wave 0: first up).
 * Hosts 5-8 on UPS A only, 9-12 on UPS B only (stage 1, wave 1 and 2).
 */
export function demoHosts(basePort: number = DEMO_SSH_BASE_PORT): DemoHost[] {
  return Array.from({ length: DEMO_HOST_COUNT }, (_, i) => {
    const n = i + 1;
    const dual = n <= 4;
    return {
      id: `00000000-0000-4000-8000-0000000b${n.toString().padStart(4, '0')}`,
      name: `esxi-${n.toString().padStart(2, '0')}`,
      sshPort: basePort + i,
      mac: `02:00:5e:10:00:${hex2(n)}`,
      shutdownStage: dual ? 2 : 1,
      restartWave: dual ? 0 : n <= 8 ? 1 : 2,
      minSupplies: 1,
      upsIndexes: dual ? [0, 1] : n <= 8 ? [0] : [1],
    };
  });
}
