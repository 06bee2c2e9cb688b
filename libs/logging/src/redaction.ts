/** Field names whose values never reach a log line, at any nesting depth we log. */
export const SENSITIVE_FIELDS = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'secretKey',
  'privateKey',
  'private_key',
  'key',
  'apiKey',
  'token',
  'accessToken',
  'apiToken',
  'authorization',
  'cookie',
  'passwordEnc',
  'privateKeyEnc',
  'commandPassword',
  'commandPasswordEnc',
] as const;

const MAX_DEPTH = 5;

/**
 * pino's redaction matches explicit paths only (a wildcard covers one level), so every depth
 * gets its own path: `password`, `*.password`, `*.*.password`...
 */
export function redactionPaths(fields: readonly string[] = SENSITIVE_FIELDS): string[] {
  const paths: string[] = [
    'req.headers.authorization',
    'req.headers.cookie',
    'req.headers["x-api-key"]',
    // Session cookies the server hands out (the queue inspector's): replayable from a log line.
    'res.headers["set-cookie"]',
    'headers["set-cookie"]',
    '*.headers["set-cookie"]',
    '*.*.headers["set-cookie"]',
  ];
  for (const field of fields) {
    for (let depth = 0; depth <= MAX_DEPTH; depth++) paths.push('*.'.repeat(depth) + field);
  }
  return paths;
}

export const REDACTED = '[redacted]';
