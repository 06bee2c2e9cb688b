export * from './database';
export * from './esxi-sim';
export * from './nut-testbed';
export * from './redis';
