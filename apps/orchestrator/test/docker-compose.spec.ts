import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { parse } from 'yaml';

import { REPO_ROOT } from '@nutfleet/testing';

// No Docker engine runs where the tests run, so the compose file is checked for the properties
// users depend on rather than started.
interface Service {
  profiles?: string[];
  entrypoint?: string[];
  ports?: string[];
  image?: string;
  build?: unknown;
  command?: string[];
  network_mode?: string;
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
  volumes?: string[];
}

const compose = parse(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;

function service(name: string): Service {
  const s = services[name];
  assert.ok(s, `service ${name} is missing`);
  return s;
}

describe('docker-compose.yml', () => {
  test('runs postgres, redis, orchestrator and worker, each with a health check', () => {
    const always = Object.entries(services).filter(([, s]) => s.profiles === undefined);
    assert.deepEqual(always.map(([name]) => name).sort(), ['orchestrator', 'postgres', 'redis', 'worker']);
    for (const [name, s] of Object.entries(services))
      assert.ok(s.healthcheck?.test.length, `${name} has no health check`);
  });

  test('redis is append-only and never evicts queue keys', () => {
    const command = service('redis').command?.join(' ') ?? '';
    assert.match(command, /--appendonly yes/);
    assert.match(command, /--maxmemory-policy noeviction/);
  });

  test('the orchestrator waits for healthy databases and the worker for a migrated schema', () => {
    assert.deepEqual(service('orchestrator').depends_on, {
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    assert.deepEqual(service('worker').depends_on, { orchestrator: { condition: 'service_healthy' } });
    assert.deepEqual(service('orchestrator').command, ['orchestrator']);
    assert.deepEqual(service('worker').command, ['worker']);
    const entrypoint = readFileSync(join(REPO_ROOT, 'docker/entrypoint.sh'), 'utf8');
    assert.match(entrypoint, /orchestrator\)\n\s+node node_modules\/prisma\/build\/index.js migrate deploy/);
  });

  test('the worker uses host networking (Wake-on-LAN broadcasts) and reaches the databases on loopback', () => {
    const worker = service('worker');
    assert.equal(worker.network_mode, 'host');
    assert.match(String(worker.environment?.DATABASE_URL), /@127\.0\.0\.1:/);
    assert.match(String(worker.environment?.REDIS_URL), /@127\.0\.0\.1:/);
  });

  test('every application variable the services set is one nutfleet reads, and the secret key is required', () => {
    const example = readFileSync(join(REPO_ROOT, '.env.example'), 'utf8').split('# --- docker compose only')[0] ?? '';
    const known = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    for (const name of ['orchestrator', 'worker']) {
      for (const variable of Object.keys(service(name).environment ?? {}))
        assert.ok(known.has(variable), `${name} sets unknown ${variable}`);
    }
    assert.match(String(service('orchestrator').environment?.NUTFLEET_SECRET_KEY), /\$\{NUTFLEET_SECRET_KEY:\?/);
  });

  test('orchestrator and worker share the artifact store', () => {
    for (const name of ['orchestrator', 'worker']) {
      const s = service(name);
      assert.equal(s.environment?.ARTIFACT_STORAGE_DIR, '/var/lib/nutfleet/artifacts', name);
      assert.ok(s.volumes?.includes('artifacts:/var/lib/nutfleet/artifacts'), `${name} mounts the artifacts volume`);
    }
  });

  test('stop grace periods outlast the application shutdown deadline', () => {
    for (const name of ['orchestrator', 'worker']) {
      const grace = Number(/^(\d+)s$/.exec(service(name).stop_grace_period ?? '')?.[1]);
      assert.ok(grace > Number(service(name).environment?.SHUTDOWN_TIMEOUT_SECONDS), name);
    }
  });
  test('the sentinel profile: a replica of redis and three Sentinels (quorum 2) that nutfleet can be pointed at', () => {
    const optional = Object.entries(services).filter(([, s]) => s.profiles?.includes('sentinel'));
    assert.deepEqual(optional.map(([name]) => name).sort(), [
      'redis-replica',
      'redis-sentinel-1',
      'redis-sentinel-2',
      'redis-sentinel-3',
    ]);
    for (const [name, s] of optional) assert.deepEqual(s.profiles, ['sentinel'], name);
    assert.match(service('redis-replica').command?.join(' ') ?? '', /--replicaof redis 6379/);
    const ports = new Set<string>();
    for (const n of [1, 2, 3]) {
      const sentinel = service(`redis-sentinel-${n}`);
      assert.match(sentinel.entrypoint?.join(' ') ?? '', /sentinel monitor mymaster redis 6379 2/);
      for (const p of sentinel.ports ?? []) ports.add(p);
    }
    assert.equal(ports.size, 3, 'each Sentinel on its own loopback port for the host-networked worker');
    assert.equal(service('orchestrator').environment?.REDIS_SENTINELS, '${ORCHESTRATOR_REDIS_SENTINELS:-}');
    assert.equal(service('worker').environment?.REDIS_SENTINELS, '${WORKER_REDIS_SENTINELS:-}');
  });

  test('the monitoring profile: Prometheus scrapes /metrics with a token, Grafana is provisioned with the dashboard', () => {
    const optional = Object.entries(services).filter(([, s]) => s.profiles?.includes('monitoring'));
    assert.deepEqual(optional.map(([name]) => name).sort(), ['grafana', 'prometheus']);
    for (const [name, s] of optional) assert.deepEqual(s.profiles, ['monitoring'], name);
    const scrape = parse(readFileSync(join(REPO_ROOT, 'docker/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: {
        metrics_path: string;
        authorization: { credentials_file: string };
        static_configs: { targets: string[] }[];
      }[];
    };
    const job = scrape.scrape_configs[0];
    assert.equal(job?.metrics_path, '/metrics');
    assert.deepEqual(job?.static_configs[0]?.targets, ['orchestrator:3000']);
    assert.match(
      service('prometheus').entrypoint?.join(' ') ?? '',
      new RegExp(job?.authorization.credentials_file ?? '-'),
    );
    assert.ok(
      service('grafana').volumes?.includes('./docker/grafana/dashboards:/var/lib/grafana/dashboards:ro'),
      'the dashboard directory is mounted where the provider reads it',
    );
  });

  test('every metric the Grafana dashboard queries is one the orchestrator exports', () => {
    const dashboard = JSON.parse(readFileSync(join(REPO_ROOT, 'docker/grafana/dashboards/nutfleet.json'), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const exported = new Set<string>();
    const sources = join(REPO_ROOT, 'apps/orchestrator/src');
    for (const file of readdirSync(sources, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')))
      for (const m of readFileSync(join(sources, file), 'utf8').matchAll(/name: '(nutfleet_[a-z_]+)'/g))
        if (m[1] !== undefined) exported.add(m[1]);
    for (const panel of dashboard.panels)
      for (const target of panel.targets)
        for (const m of target.expr.matchAll(/nutfleet_[a-z_]+/g)) {
          const base = m[0].replace(/_(bucket|sum|count)$/, '');
          assert.ok(exported.has(base), `${panel.title} queries ${m[0]}, which nothing exports`);
        }
    const titles = dashboard.panels.map((p) => p.title).join(' | ');
    for (const topic of [/readiness/i, /charge/i, /runtime/i, /plan/i, /on battery/i]) assert.match(titles, topic);
  });

  test('one scrape serves the whole fleet: every UPS panel filters on the site (NUT server) and group variables', () => {
    const dashboard = JSON.parse(readFileSync(join(REPO_ROOT, 'docker/grafana/dashboards/nutfleet.json'), 'utf8')) as {
      templating: { list: { name: string; query: { query: string } }[] };
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const variables = new Map(dashboard.templating.list.map((v) => [v.name, v.query.query]));
    assert.match(variables.get('nut_server') ?? '', /label_values\(nutfleet_ups_[a-z_]+, nut_server\)/);
    assert.match(variables.get('group') ?? '', /label_values\(nutfleet_[a-z_]+, group\)/);
    const upsTargets = dashboard.panels.flatMap((p) =>
      p.targets.filter((t) => t.expr.includes('nutfleet_ups_')).map((t) => ({ title: p.title, expr: t.expr })),
    );
    assert.ok(upsTargets.length >= 3, 'state, charge and runtime per UPS');
    for (const { title, expr } of upsTargets) {
      assert.match(expr, /nut_server=~"\$nut_server"/, title);
      // A UPS powering hosts of several groups has them all in its label, comma-separated.
      assert.ok(expr.includes('group=~"(.*,)?$group(,.*)?"'), `${title}: ${expr}`);
    }
  });
});
