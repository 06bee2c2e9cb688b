import { type AddressInfo } from 'node:net';

import { type INestApplication } from '@nestjs/common';

import { type AppConfig } from '@nutfleet/config';
import { createTestDatabase, createTestRedisPrefix, type TestDatabase, testConfig } from '@nutfleet/testing';

import { issueApiToken } from '../../src/auth/api-token.issuer';
import { type Role } from '../../src/auth/role';
import { createOrchestratorApp } from '../../src/orchestrator.app';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  /** Sent as is (e.g. CSV or broken JSON) with this content type. */
  raw?: { contentType: string; data: string };
  headers?: Record<string, string>;
}

/** An orchestrator on its own database and Redis prefix, with one token per role. */
export interface ApiTestApp {
  app: INestApplication;
  base: string;
  db: TestDatabase;
  config: AppConfig;
  tokens: Record<Role, string>;
  /** Every response body seen, for the secret-leak checks. */
  responses: string[];
  call<T = unknown>(method: string, path: string, options?: CallOptions): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

export async function startApiTestApp(env: Record<string, string> = {}): Promise<ApiTestApp> {
  const db = await createTestDatabase();
  const redis = createTestRedisPrefix();
  const config = testConfig({
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: redis.prefix,
    POWER_MONITOR_ENABLED: 'false',
    NUTFLEET_DEMO: 'off',
    ...env,
  });
  const tokens = {} as Record<Role, string>;
  for (const role of ['viewer', 'operator', 'admin'] as const) {
    tokens[role] = (await db.prisma.$transaction((tx) => issueApiToken(tx, { name: `test-${role}`, role }))).token;
  }
  const app = await createOrchestratorApp(config);
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const responses: string[] = [];

  async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? tokens.admin : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (options.raw) {
      headers['content-type'] = options.raw.contentType;
      body = options.raw.data;
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      signal: AbortSignal.timeout(15_000),
      ...(body !== undefined ? { body } : {}),
    });
    const text = await response.text();
    responses.push(text);
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Not JSON (CSV export): the text is the body.
    }
    return { status: response.status, headers: response.headers, text, body: parsed as T };
  }

  return {
    app,
    base,
    db,
    config,
    tokens,
    responses,
    call,
    close: async () => {
      await app.close();
      await db.drop();
      await redis.cleanup();
    },
  };
}
