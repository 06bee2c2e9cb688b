export * from './shutdown-deadline';
export * from './periodic-task';
