export * from './config';
export * from './database';
export * from './esxi-sim';
export * from './nut-testbed';
export * from './process';
export * from './redis';
export * from './throwaway';
// Host.facts as discovery would write them for a simulated host (the demo, tests).
export { simulatedHostFacts } from './demo/demo-host-facts';
// A real OpenSSH sshd with scripted ESXi commands.
export * from './openssh/scripted-sshd';
export * from './ssh/ed25519-key-pair';
