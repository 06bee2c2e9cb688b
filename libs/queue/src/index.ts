export * from './job-id';
export * from './job-names';
export * from './job-options';
export * from './job-payloads';
export * from './queue-names';
export * from './redis-connection';
export * from './job-presence';
export * from './owned-queues';
