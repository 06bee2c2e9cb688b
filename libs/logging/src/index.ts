export * from './deferred-request-logger';
export * from './pino-options';
export * from './redaction';
