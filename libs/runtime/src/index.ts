export * from './shutdown-deadline';
export * from './periodic-task';
export * from './coalescing-runner';
export * from './micro-batcher';
export * from './error-text';
export * from './extremes';
