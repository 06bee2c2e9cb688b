export * from './config';
export * from './database';
export * from './esxi-sim';
export * from './nut-testbed';
export * from './process';
export * from './redis';
export * from './throwaway';
