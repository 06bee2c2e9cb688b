import { randomBytes } from 'node:crypto';

import { type AppConfig, parseConfig } from '@nutfleet/config';

/** A validated configuration for in-process tests, built through the real schema. */
export function testConfig(env: Record<string, string | undefined> & { DATABASE_URL: string }): AppConfig {
  const result = parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    HTTP_PORT: '1',
    NUTFLEET_SECRET_KEY: randomBytes(32).toString('hex'),
    SHUTDOWN_TIMEOUT_SECONDS: '10',
    // Readiness passes send their own SSH commands and NUT logins: off unless a test is about them,
    // so tests that count commands or sessions see only their own.
    FLEET_READINESS_ENABLED: 'false',
    ...env,
  });
  if (!result.ok) throw new Error(`bad test configuration: ${result.problems.join('; ')}`);
  return result.config;
}
