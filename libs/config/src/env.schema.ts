import { z } from 'zod';

import { parseSecretKey } from './secret-key.parser';
import { parseTargetNetworks } from './target-networks';

const port = z.coerce.number().int().min(1).max(65535);

/** `host:port,host:port` (IPv6 in brackets) -> the list, or what is wrong with it. */
function parseSentinels(value: string): Array<{ host: string; port: number }> | string {
  const sentinels: Array<{ host: string; port: number }> = [];
  for (const item of value.split(',').map((s) => s.trim())) {
    const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(item);
    const portNumber = Number(match?.[3]);
    if (!match || portNumber < 1 || portNumber > 65535)
      return `has ${JSON.stringify(item)}: give host:port pairs separated by commas, e.g. sentinel-1:26379,sentinel-2:26379`;
    sentinels.push({ host: match[1] ?? match[2] ?? '', port: portNumber });
  }
  return sentinels;
}
const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);
const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const PROXY_KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Express's `trust proxy`: false, true (any hop, only behind a proxy that strips client values), a hop count, or addresses. */
const trustProxy = z.string().transform((value, ctx): boolean | number | string[] => {
  const text = value.trim();
  if (text === 'false' || text === '0') return false;
  if (text === 'true') return true;
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const items = text.split(',').map((item) => item.trim());
  for (const item of items) {
    if (PROXY_KEYWORDS.has(item)) continue;
    const parsed = parseTargetNetworks(item);
    if (!parsed.ok || parsed.cidrs.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `"${item}" is not false, true, a hop count, loopback/linklocal/uniquelocal or an address/CIDR`,
      });
      return z.NEVER;
    }
  }
  return items;
});

/**
 * Every environment variable nutfleet reads. `.env.example` lists the same names with the same
 * defaults; a test keeps the two in step.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  HTTP_PORT: port.default(3000),
  PUBLIC_URL: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return undefined;
      if (!/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(value.trim())) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be an http:// or https:// URL without query, e.g. https://nutfleet.example.org',
        });
        return z.NEVER;
      }
      return value.trim().replace(/\/+$/, '');
    }),
  DATABASE_URL: z
    .string({ error: 'is missing (a PostgreSQL URL, e.g. postgresql://postgres@127.0.0.1:5432/nutfleet)' })
    .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgresql:// URL'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, 'must be a redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379'),
  REDIS_SENTINELS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return undefined;
      const parsed = parseSentinels(value);
      if (typeof parsed !== 'string') return parsed;
      ctx.addIssue({ code: 'custom', message: parsed });
      return z.NEVER;
    }),
  REDIS_SENTINEL_MASTER: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, ".", "_" or "-"')
    .default('mymaster'),
  REDIS_SENTINEL_PASSWORD: z.string().optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, "_" or "-"')
    .default('nutfleet'),
  NUTFLEET_SECRET_KEY: z
    .string({ error: 'is missing (generate one with: openssl rand -hex 32)' })
    .transform((value, ctx) => {
      const parsed = parseSecretKey(value);
      if (parsed.ok) return parsed.key;
      ctx.addIssue({ code: 'custom', message: parsed.reason });
      return z.NEVER;
    }),
  NUTFLEET_OLD_SECRET_KEY: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const parsed = parseSecretKey(value);
      if (parsed.ok) return parsed.key;
      ctx.addIssue({ code: 'custom', message: parsed.reason });
      return z.NEVER;
    }),
  AUTH_FAILURE_LIMIT: positiveInt(1_000_000).default(10),
  AUTH_FAILURE_WINDOW_SECONDS: positiveInt(86_400).default(60),
  TRUST_PROXY: trustProxy.default(false),
  SSE_MAX_STREAMS: positiveInt(100_000).default(500),
  SSE_MAX_STREAMS_PER_TOKEN: positiveInt(100_000).default(20),
  DATABASE_POOL_SIZE: positiveInt(1000).default(10),
  SAFETY_DATABASE_POOL_SIZE: positiveInt(100).default(4),
  ALLOWED_TARGET_NETWORKS: z
    .string()
    .default('')
    .transform((value, ctx) => {
      const parsed = parseTargetNetworks(value);
      if (parsed.ok) return parsed.cidrs;
      ctx.addIssue({ code: 'custom', message: parsed.reason });
      return z.NEVER;
    }),
  SSH_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  WORKER_CONCURRENCY: positiveInt(1000).default(16),
  HOST_SESSION_WARM_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  HOST_SESSION_WARM_CONCURRENCY: positiveInt(1000).default(32),
  HOST_RETURN_PROBE_INTERVAL_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  PLAN_STEP_CONCURRENCY: positiveInt(5000).default(2000),
  PLAN_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(2000),
  PLAN_EVALUATE_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(500),
  RESTART_HOST_TIMEOUT_SECONDS: positiveInt(86_400).default(600),
  ARTIFACT_STORAGE_DIR: z.string().min(1).default('data/artifacts'),
  ARTIFACT_MAX_BYTES: positiveInt(4 * 1024 * 1024 * 1024).default(256 * 1024 * 1024),
  ROLLOUT_HOST_CONCURRENCY: positiveInt(5000).default(64),
  FLEET_READINESS_ENABLED: booleanFlag.default(true),
  FLEET_READINESS_INTERVAL_SECONDS: z.coerce.number().int().min(5).max(86_400).default(900),
  FLEET_READINESS_SSH_CONCURRENCY: positiveInt(64).default(32),
  FLEET_READINESS_ALERT_THRESHOLD: z.coerce.number().int().min(0).max(100).default(95),
  FLEET_READINESS_RUNTIME_MARGIN_PERCENT: z.coerce.number().int().min(0).max(1000).default(20),
  FLEET_READINESS_WOL_MAX_AGE_DAYS: positiveInt(3650).default(90),
  DRILL_REHEARSAL_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(31_536_000).default(0),
  DRILL_REHEARSAL_GROUPS: z.string().default(''),
  SHUTDOWN_TIMEOUT_SECONDS: positiveInt(3600).default(30),
  READY_CHECK_TIMEOUT_MS: positiveInt(60_000).default(2000),
  POWER_EVENT_RETENTION_DAYS: positiveInt(36_500).default(365),
  UPS_SAMPLE_RETENTION_DAYS: positiveInt(3650).default(30),
  POWER_MONITOR_ENABLED: booleanFlag.default(true),
  POWER_MONITOR_POLL_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(250),
  POWER_MONITOR_POLL_MAX_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(4000),
  POWER_MONITOR_COMM_LOSS_REPORT_SECONDS: positiveInt(3600).default(3),
  POWER_MONITOR_INVENTORY_REFRESH_MS: z.coerce.number().int().min(200).max(600_000).default(5000),
  POWER_MONITOR_LAST_SEEN_REFRESH_SECONDS: positiveInt(3600).default(30),
  POWER_MONITOR_LEASE_TTL_MS: z.coerce.number().int().min(1000).max(600_000).default(5000),
  NUTFLEET_DEMO: z.enum(['auto', 'on', 'off']).default('auto'),
  // The demo's 12 hosts take this port and the 11 after it.
  NUTFLEET_DEMO_SSH_BASE_PORT: port.max(65535 - 11).default(22001),
  OPENAPI_UI: booleanFlag.default(true),
  METRICS_PUBLIC: booleanFlag.default(false),
  NOTIFY_DISPATCH_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  NOTIFY_SEND_TIMEOUT_MS: z.coerce.number().int().min(500).max(300_000).default(15_000),
});

export type Env = z.infer<typeof envSchema>;
