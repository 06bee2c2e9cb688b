export * from './fleet-readiness.types';
export * from './fleet-readiness.checks';
export * from './fleet-readiness.score';
export * from './readiness-threshold';
export * from './readiness-schedule';
