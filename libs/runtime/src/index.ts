export * from './shutdown-deadline';
export * from './periodic-task';
export * from './coalescing-runner';
