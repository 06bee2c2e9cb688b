import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { type AppConfig } from '@nutfleet/config';
import { type PrismaService } from '@nutfleet/db';
import { ConnectTimeoutError } from '@nutfleet/esxi';

import { type WorkerPlanStore } from '../plans/worker-plan.store';
import { type HostConnector } from './host-connector';
import { HostSessionWarmer } from './host-session.warmer';

/** A warmer over three hosts: one answers, one times out (SSH), one whose row cannot be read. */
function warmer(observed: Array<{ id: string; kind: string }>): HostSessionWarmer {
  const prisma = {
    host: { findMany: () => Promise.resolve([{ id: 'answers' }, { id: 'silent' }, { id: 'db-trouble' }]) },
  } as unknown as PrismaService;
  const connector = {
    withHost: (id: string, work: (session: { host: { exec: () => Promise<unknown> } }) => Promise<unknown>) => {
      if (id === 'silent') return Promise.reject(new ConnectTimeoutError(10_000, { host: 'esx-02' }));
      if (id === 'db-trouble') return Promise.reject(new Error('Unknown error: [object Object]'));
      return work({ host: { exec: () => Promise.resolve({ code: 0 }) } });
    },
  } as unknown as HostConnector;
  const plans = {
    outages: { current: () => Promise.resolve(null) },
    hostPower: {
      observe: (id: string, observation: { kind: string }) => {
        observed.push({ id, kind: observation.kind });
        return Promise.resolve();
      },
    },
  } as unknown as WorkerPlanStore;
  const config = { worker: { sessionWarmIntervalMs: 0, sessionWarmConcurrency: 2 } } as unknown as AppConfig;
  return new HostSessionWarmer(prisma, connector, plans, config);
}

describe('HostSessionWarmer', () => {
  test('only a host whose SSH fails becomes unreachable; one this worker could not try is left as it was', async () => {
    const observed: Array<{ id: string; kind: string }> = [];
    const result = await warmer(observed).warmAll();
    assert.deepEqual(result, { warmed: 1, failed: 1, notTried: 1 }, 'each host tried once, by one of two lanes');
    assert.deepEqual(
      observed.sort((a, b) => a.id.localeCompare(b.id)),
      [
        { id: 'answers', kind: 'ssh-answered' },
        { id: 'silent', kind: 'ssh-unreachable' },
      ],
    );
  });
});
