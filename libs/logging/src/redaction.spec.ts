import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';

import pino from 'pino';

import { pinoOptions } from './pino-options';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
}

test('passwords, keys and tokens are censored at every depth we log', () => {
  const { lines, stream } = capture();
  const logger = pino(pinoOptions({ level: 'info', format: 'json', processName: 'test' }), stream);
  logger.info(
    {
      password: 'p0',
      host: { address: '10.0.0.1', password: 'p1', credentials: { privateKey: 'k2', nested: { token: 't3' } } },
      req: { headers: { authorization: 'Bearer t4', cookie: 'c5', accept: 'json' } },
      res: { statusCode: 204, headers: { 'set-cookie': 'nutfleet_queues=c7; Path=/admin/queues' } },
      items: [{ secretKey: 's6' }],
      context: { response: { headers: { 'set-cookie': ['c8=1'] } } },
    },
    'connecting',
  );
  const line = lines.join('');
  for (const secret of ['p0', 'p1', 'k2', 't3', 'Bearer t4', 'c5', 's6', 'c7', 'c8']) {
    assert.ok(!line.includes(`"${secret}"`) && !line.includes(`${secret}=`), `${secret} leaked: ${line}`);
  }
  assert.ok(line.includes('10.0.0.1'), 'non-secret fields stay readable');
  assert.ok(line.includes('"accept":"json"'));
});
