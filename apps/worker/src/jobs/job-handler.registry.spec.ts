import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { ALL_JOBS, type JobName } from '@nutfleet/queue';

import { type JobHandler } from './job-handler';
import { JobHandlerRegistrationError, resolveJobHandlers } from './job-handler.registry';

const handler: JobHandler = { handle: async () => undefined };
const all = ALL_JOBS.map((name) => ({ name, handler, provider: `${name}Handler` }));

describe('resolveJobHandlers', () => {
  test('maps every job to its handler', () => {
    assert.equal(resolveJobHandlers(all).size, ALL_JOBS.length);
  });

  test('refuses a job without a handler and names the job and the fix', () => {
    const expected = [...ALL_JOBS, 'demo.missing' as JobName];
    assert.throws(
      () => resolveJobHandlers(all, expected),
      (e: Error) =>
        e instanceof JobHandlerRegistrationError &&
        /no handler for "demo.missing"/.test(e.message) &&
        /@HandlesJob/.test(e.message),
    );
  });

  test('refuses two handlers for one job', () => {
    const first = all[0];
    assert.ok(first);
    assert.throws(() => resolveJobHandlers([...all, { ...first, provider: 'Twin' }]), /two handlers/);
  });

  test('refuses a handler for a job nobody enqueues', () => {
    assert.throws(
      () => resolveJobHandlers([...all, { name: 'ghost.job' as JobName, handler, provider: 'Ghost' }]),
      /unknown job "ghost.job"/,
    );
  });
});
