import { envSchema } from './env.schema';

/** The validated configuration, read once at start; nothing else reads process.env. */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  log: { level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'; format: 'json' | 'pretty' };
  http: {
    host: string;
    port: number;
    /**
     * Where people reach the orchestrator (PUBLIC_URL), for links in notifications; without it,
     * the listening address (right for a single machine, not behind a proxy).
     */
    publicUrl: string;
    openApiUi: boolean;
    /** Express `trust proxy`: which hops' X-Forwarded-For/-Proto count (client address, Secure cookies). */
    trustProxy: boolean | number | string[];
    /** Open Server-Sent Event streams: per process, and per API token; beyond them 503 / 429. */
    maxStreams: number;
    maxStreamsPerToken: number;
  };
  databaseUrl: string;
  /**
   * PostgreSQL connections per process: `api` for requests and everything else, `safety` a pool
   * of its own for the power monitor (and the planners), which no API load can take.
   */
  databasePool: { api: number; safety: number };
  /** CIDRs NUT servers and hosts must be in (ALLOWED_TARGET_NETWORKS); empty = any address. */
  allowedTargetNetworks: readonly string[];
  redis: {
    url: string;
    keyPrefix: string;
    /**
     * Redis Sentinels: when set, the master is found through them (and followed across a
     * failover); the URL then only gives the password, user and database.
     */
    sentinels?: ReadonlyArray<{ host: string; port: number }>;
    sentinelMaster: string;
    sentinelPassword?: string;
  };
  secretKey: Buffer;
  /** The previous key, only while rotating (npm run secrets:rotate). */
  oldSecretKey: Buffer | undefined;
  /**
   * Failed authentications are counted per client address and per presented token prefix; past
   * failureLimit in the window, further failures get 429. A valid token always passes.
   */
  auth: { failureLimit: number; failureWindowMs: number };
  worker: {
    concurrency: number;
    /**
     * Every worker keeps an SSH session open to each trusted host with a power feed (a host a
     * shutdown plan may take down), touching it this often; 0 = off (sessions open on first use).
     */
    sessionWarmIntervalMs: number;
    /** Hosts warmed at once during a pass. */
    sessionWarmConcurrency: number;
    /** Hosts known off are probed for a return (SSH greeting) this often; 0 = never. */
    returnProbeIntervalMs: number;
    /** Default limit of one command on a host over SSH (a hung command is abandoned after it). */
    sshCommandTimeoutMs: number;
  };
  plans: {
    /** Plan steps one worker runs at once (each mostly waits on SSH): a whole stage of a large fleet. */
    stepConcurrency: number;
    /** How often each worker resumes unfinished plans from PostgreSQL. */
    reconcileIntervalMs: number;
    /** How often the orchestrator's leader re-evaluates automatic plans and power return. */
    evaluateIntervalMs: number;
    /** Restart plans: from a host's magic packet to verified ESXi; after it the host is reported and no longer holds its wave. */
    restartHostTimeoutSeconds: number;
  };
  artifacts: {
    /** Where uploaded VIBs and bundles are kept (relative to the working directory unless absolute). */
    storageDir: string;
    /** Uploads larger than this are refused while streaming (413). */
    maxBytes: number;
  };
  rollouts: {
    /** Host deployments one worker runs at once (the rollout's maxInFlight bounds each rollout). */
    hostConcurrency: number;
  };
  fleetReadiness: {
    /** false: no readiness pass is scheduled (the API still serves the last results). */
    enabled: boolean;
    /** Every host is checked once per interval, its checks spread evenly over it. */
    intervalMs: number;
    /** Readiness checks one worker runs at once: its SSH sessions for them (at most 64). */
    sshConcurrency: number;
    /** A host, group or fleet score strictly below this notifies once per crossing. */
    alertThreshold: number;
    /** RUNTIME_MARGIN: the battery runtime must exceed the predicted shutdown by this share. */
    runtimeMarginRatio: number;
    /** WOL_PROVEN: a wake older than this no longer proves Wake-on-LAN. */
    wolMaxAgeSeconds: number;
  };
  drills: {
    /** Scheduled rehearsals: each chosen group is rehearsed once per interval; 0 = none (on demand only). */
    rehearsalIntervalMs: number;
    /** Group names rehearsed on the schedule; empty = every group with hosts. */
    rehearsalGroups: string[];
  };
  shutdownTimeoutMs: number;
  readyCheckTimeoutMs: number;
  powerEventRetentionDays: number;
  /** UPS samples (the charts' history) older than this are pruned daily. */
  upsSampleRetentionDays: number;
  demo: 'auto' | 'on' | 'off';
  /** First loopback SSH port of the demo hosts (seeded into their rows; the demo serves the rows' ports). */
  demoSshBasePort: number;
  powerMonitor: {
    enabled: boolean;
    pollIntervalMs: number;
    /** A NUT server whose rounds take longer than its interval is polled less often, down to this. */
    pollMaxIntervalMs: number;
    /** After this long without a good poll the monitor records COMM_LOST; the policy's DEADTIME counts from the last good poll. */
    commLossReportMs: number;
    inventoryRefreshMs: number;
    lastSeenRefreshMs: number;
    /** Leader lease lifetime; it is renewed every ttl/3. */
    leaseTtlMs: number;
  };
  /** GET /metrics: false needs a viewer token (Prometheus `authorization`), true is open (network ACL). */
  metrics: { public: boolean };
  notifications: {
    /** How often each orchestrator looks for new events to notify. */
    dispatchIntervalMs: number;
    /** One SMTP conversation or webhook call may take this long before it counts as failed. */
    sendTimeoutMs: number;
  };
}

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; problems: string[] };

export function parseConfig(env: Readonly<Record<string, string | undefined>>): ConfigResult {
  // An empty variable (`FOO=` in a .env file) means "not set": defaults apply, required ones fail.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      const message = issue.code === 'invalid_type' && env[name] === '' ? `is empty` : issue.message;
      return `${name} ${message}`;
    });
    return { ok: false, problems };
  }
  const e = parsed.data;
  return {
    ok: true,
    config: {
      nodeEnv: e.NODE_ENV,
      log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
      http: {
        host: e.HTTP_HOST,
        port: e.HTTP_PORT,
        publicUrl: e.PUBLIC_URL ?? listeningUrl(e.HTTP_HOST, e.HTTP_PORT),
        openApiUi: e.OPENAPI_UI,
        trustProxy: e.TRUST_PROXY,
        maxStreams: e.SSE_MAX_STREAMS,
        maxStreamsPerToken: e.SSE_MAX_STREAMS_PER_TOKEN,
      },
      databaseUrl: e.DATABASE_URL,
      databasePool: { api: e.DATABASE_POOL_SIZE, safety: e.SAFETY_DATABASE_POOL_SIZE },
      allowedTargetNetworks: e.ALLOWED_TARGET_NETWORKS,
      redis: {
        url: e.REDIS_URL,
        keyPrefix: e.REDIS_KEY_PREFIX,
        ...(e.REDIS_SENTINELS !== undefined ? { sentinels: e.REDIS_SENTINELS } : {}),
        sentinelMaster: e.REDIS_SENTINEL_MASTER,
        ...(e.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: e.REDIS_SENTINEL_PASSWORD } : {}),
      },
      secretKey: e.NUTFLEET_SECRET_KEY,
      oldSecretKey: e.NUTFLEET_OLD_SECRET_KEY,
      auth: { failureLimit: e.AUTH_FAILURE_LIMIT, failureWindowMs: e.AUTH_FAILURE_WINDOW_SECONDS * 1000 },
      worker: {
        concurrency: e.WORKER_CONCURRENCY,
        sessionWarmIntervalMs: e.HOST_SESSION_WARM_INTERVAL_MS,
        sessionWarmConcurrency: e.HOST_SESSION_WARM_CONCURRENCY,
        returnProbeIntervalMs: e.HOST_RETURN_PROBE_INTERVAL_MS,
        sshCommandTimeoutMs: e.SSH_COMMAND_TIMEOUT_MS,
      },
      plans: {
        stepConcurrency: e.PLAN_STEP_CONCURRENCY,
        reconcileIntervalMs: e.PLAN_RECONCILE_INTERVAL_MS,
        evaluateIntervalMs: e.PLAN_EVALUATE_INTERVAL_MS,
        restartHostTimeoutSeconds: e.RESTART_HOST_TIMEOUT_SECONDS,
      },
      artifacts: { storageDir: e.ARTIFACT_STORAGE_DIR, maxBytes: e.ARTIFACT_MAX_BYTES },
      rollouts: { hostConcurrency: e.ROLLOUT_HOST_CONCURRENCY },
      fleetReadiness: {
        enabled: e.FLEET_READINESS_ENABLED,
        intervalMs: e.FLEET_READINESS_INTERVAL_SECONDS * 1000,
        sshConcurrency: e.FLEET_READINESS_SSH_CONCURRENCY,
        alertThreshold: e.FLEET_READINESS_ALERT_THRESHOLD,
        runtimeMarginRatio: e.FLEET_READINESS_RUNTIME_MARGIN_PERCENT / 100,
        wolMaxAgeSeconds: e.FLEET_READINESS_WOL_MAX_AGE_DAYS * 86_400,
      },
      drills: {
        rehearsalIntervalMs: e.DRILL_REHEARSAL_INTERVAL_SECONDS * 1000,
        rehearsalGroups: e.DRILL_REHEARSAL_GROUPS.split(',')
          .map((g) => g.trim())
          .filter(Boolean),
      },
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_SECONDS * 1000,
      readyCheckTimeoutMs: e.READY_CHECK_TIMEOUT_MS,
      powerEventRetentionDays: e.POWER_EVENT_RETENTION_DAYS,
      upsSampleRetentionDays: e.UPS_SAMPLE_RETENTION_DAYS,
      demo: e.NUTFLEET_DEMO,
      demoSshBasePort: e.NUTFLEET_DEMO_SSH_BASE_PORT,
      powerMonitor: {
        enabled: e.POWER_MONITOR_ENABLED,
        pollIntervalMs: e.POWER_MONITOR_POLL_INTERVAL_MS,
        pollMaxIntervalMs: Math.max(e.POWER_MONITOR_POLL_INTERVAL_MS, e.POWER_MONITOR_POLL_MAX_INTERVAL_MS),
        commLossReportMs: e.POWER_MONITOR_COMM_LOSS_REPORT_SECONDS * 1000,
        inventoryRefreshMs: e.POWER_MONITOR_INVENTORY_REFRESH_MS,
        lastSeenRefreshMs: e.POWER_MONITOR_LAST_SEEN_REFRESH_SECONDS * 1000,
        leaseTtlMs: e.POWER_MONITOR_LEASE_TTL_MS,
      },
      metrics: { public: e.METRICS_PUBLIC },
      notifications: { dispatchIntervalMs: e.NOTIFY_DISPATCH_INTERVAL_MS, sendTimeoutMs: e.NOTIFY_SEND_TIMEOUT_MS },
    },
  };
}

/**
 * Validates the environment or stops the process with one line naming each bad variable and
 * why, before anything else (logger, Nest, connections) starts.
 */
export function loadConfigOrExit(processName: string, env: NodeJS.ProcessEnv = process.env): AppConfig {
  const result = parseConfig(env);
  if (result.ok) return result.config;
  process.stderr.write(`nutfleet ${processName}: invalid configuration: ${result.problems.join('; ')}\n`);
  process.exit(78); // EX_CONFIG
}

/** The listening address as a URL: a wildcard host is reached on loopback, IPv6 goes in brackets. */
function listeningUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
