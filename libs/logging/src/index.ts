export * from './pino-options';
export * from './redaction';
