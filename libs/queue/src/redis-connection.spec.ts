import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { bullConnectionOptions } from './redis-connection';

describe('bullConnectionOptions', () => {
  test('a URL: host, port, credentials and db from it; workers wait, producers fail fast', () => {
    const worker = bullConnectionOptions('redis://u:p%40ss@redis.lan:6380/2', 'worker');
    assert.equal(worker.host, 'redis.lan');
    assert.equal(worker.port, 6380);
    assert.equal(worker.username, 'u');
    assert.equal(worker.password, 'p@ss');
    assert.equal(worker.db, 2);
    assert.equal(worker.maxRetriesPerRequest, null);
    assert.equal(worker.enableOfflineQueue, true);
    const producer = bullConnectionOptions({ url: 'redis://127.0.0.1:6379' }, 'producer');
    assert.equal(producer.maxRetriesPerRequest, 1);
    assert.equal(producer.enableOfflineQueue, false);
    assert.equal(producer.sentinels, undefined);
  });

  test('Sentinels: the master by name, no fixed host, the URL only for credentials and db', () => {
    const options = bullConnectionOptions(
      {
        url: 'redis://:secret@ignored:1/3',
        sentinels: [
          { host: '127.0.0.1', port: 26379 },
          { host: '127.0.0.2', port: 26380 },
        ],
        sentinelMaster: 'nf',
        sentinelPassword: 'spw',
      },
      'worker',
    );
    assert.deepEqual(options.sentinels, [
      { host: '127.0.0.1', port: 26379 },
      { host: '127.0.0.2', port: 26380 },
    ]);
    assert.equal(options.name, 'nf');
    assert.equal(options.sentinelPassword, 'spw');
    assert.equal(options.host, undefined);
    assert.equal(options.password, 'secret');
    assert.equal(options.db, 3);
  });

  test('rediss:// is TLS to the server, and to the Sentinels in Sentinel mode', () => {
    assert.deepEqual(bullConnectionOptions('rediss://redis.lan', 'producer').tls, { servername: 'redis.lan' });
    const viaSentinels = bullConnectionOptions(
      { url: 'rediss://x', sentinels: [{ host: 's', port: 26379 }] },
      'producer',
    );
    assert.equal(viaSentinels.enableTLSForSentinelMode, true);
  });
});
