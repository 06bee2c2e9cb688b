export * from './nut-testbed';
export * from './esxi-sim';
