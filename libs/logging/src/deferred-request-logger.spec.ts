import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';

import pino, { type Logger } from 'pino';

import { deferRequestChildren } from './deferred-request-logger';
import { pinoOptions } from './pino-options';

function setup(level: 'info' | 'warn', defer = true): { logger: Logger; lines: string[]; serialized: () => number } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  let serialized = 0;
  const options = pinoOptions({ level, format: 'json', processName: 'test' });
  options.timestamp = false;
  options.serializers = {
    req: (req: { url: string; headers: Record<string, string> }) => {
      serialized++;
      return { url: req.url, headers: req.headers };
    },
  };
  const logger = pino(options, stream);
  return { logger: defer ? deferRequestChildren(logger) : logger, lines, serialized: () => serialized };
}

const request = { url: '/hosts', headers: { authorization: 'Bearer secret-token', accept: 'json' } };

test('a request child is not serialized while nothing is logged at an enabled level', () => {
  const { logger, lines, serialized } = setup('warn');
  const child = logger.child({ req: request });
  child.info({ res: { statusCode: 200 } }, 'request completed');
  child.debug('details');
  assert.equal(serialized(), 0);
  assert.deepEqual(lines, []);
});

test('once it logs, a request child writes what an eager child writes, redacted the same', () => {
  const deferred = setup('warn');
  const eager = setup('warn', false);
  for (const { logger } of [deferred, eager]) logger.child({ req: request }).error({ status: 500 }, 'request errored');
  assert.equal(deferred.serialized(), 1);
  assert.deepEqual(deferred.lines, eager.lines);
  const line = JSON.parse(deferred.lines[0] ?? '{}') as Record<string, unknown>;
  assert.deepEqual(line.req, { url: '/hosts', headers: { authorization: '[redacted]', accept: 'json' } });
  assert.ok(!deferred.lines.join('').includes('secret-token'));
});

test('children of a request child, other children and options children behave as in pino', () => {
  const { logger, lines, serialized } = setup('info');
  const child = logger.child({ req: request });
  const grandChild = child.child({ userId: 'u1' });
  grandChild.info('hello');
  assert.equal(serialized(), 1);
  const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
  assert.equal(line.userId, 'u1');
  assert.deepEqual(line.req, { url: '/hosts', headers: { authorization: '[redacted]', accept: 'json' } });

  const plain = logger.child({ component: 'x', password: 'p' });
  plain.info('plain');
  assert.match(lines[1] ?? '', /"component":"x","password":"\[redacted\]"/);
  const withOptions = logger.child({ req: request }, { level: 'error' });
  assert.equal(serialized(), 2, 'a child with options is made at once');
  withOptions.info('dropped');
  assert.equal(lines.length, 2);
  assert.equal(logger.child({ req: request }).level, 'info');
  assert.equal(logger.child({ req: request }).isLevelEnabled('debug'), false);
});
