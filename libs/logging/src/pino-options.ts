import { type LoggerOptions } from 'pino';

import { REDACTED, redactionPaths } from './redaction';

export interface LoggingSettings {
  level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  format: 'json' | 'pretty';
  processName: string;
}

/** pino options shared by both processes: one JSON line per event, secrets censored. */
export function pinoOptions(settings: LoggingSettings): LoggerOptions {
  return {
    level: settings.level,
    base: { process: settings.processName },
    redact: { paths: redactionPaths(), censor: REDACTED },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    ...(settings.format === 'pretty'
      ? { transport: { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } } }
      : {}),
  };
}
