/**
 * Fuzz: thousands of hostile replies through real sockets and straight into the parse layer.
 * Every request must end in a value or a typed NutError within its timeout, with no crash and
 * bounded memory. Seeded, so any failure replays identically.
 */
import assert from 'node:assert/strict';
import { type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  NutClient,
  NutError,
  NutLineReader,
  parseCommandAck,
  parseErrReply,
  parseTrackingStatusReply,
  parseTypeReply,
  tokenizeNutLine,
} from '../src';
import { startFakeNutServer } from './fake-nut-server';
import { fuzzRandom, generateFuzzReply, type FuzzReply } from './fuzz-replies';

const SEED = 20260811;
const SOCKET_CASES = 10_000;
const LANES = 25;
const MAX_LINE = 512;
const TIMEOUT_MS = 250;

function forceGc(): () => void {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  return typeof gc === 'function' ? () => void gc() : () => undefined;
}

type Request = (client: NutClient) => Promise<unknown>;
const REQUESTS: readonly Request[] = [
  (client) => client.ver(),
  (client) => client.getVar('u', 'v'),
  (client) => client.listVars('u'),
  (client) => client.listUps(),
  (client) => client.listCommands('u'),
  (client) => client.listRange('u', 'v'),
  (client) => client.getUpsDesc('u'),
  (client) => client.getNumLogins('u'),
  (client) => client.getType('u', 'v'),
  (client) => client.getTracking('id'),
  (client) => client.setVar('u', 'v', 'x'),
  (client) => client.protocolVersion(),
  (client) => client.login('u'),
];

interface Outcome {
  ok: number;
  errors: Map<string, number>;
}

/** Runs `count` cases one after the other on one fake server (one lane). */
async function runLane(lane: number, count: number, outcome: Outcome): Promise<void> {
  const random = fuzzRandom(SEED + lane);
  let current: FuzzReply | undefined;
  const server = await startFakeNutServer((_request: string, socket: Socket) => {
    const reply = current;
    if (reply === undefined) return;
    // Split into random chunks to exercise reassembly.
    let offset = 0;
    while (offset < reply.bytes.length) {
      const size = 1 + random.int(reply.bytes.length);
      socket.write(reply.bytes.subarray(offset, offset + size));
      offset += size;
    }
    if (reply.close) socket.end();
  });
  try {
    for (let i = 0; i < count; i += 1) {
      current = generateFuzzReply(random, MAX_LINE);
      const request = random.pick(REQUESTS);
      const client = await NutClient.connect({
        host: '127.0.0.1',
        port: server.port,
        timeoutMs: TIMEOUT_MS,
        maxLineLength: MAX_LINE,
        maxListBytes: 16 * 1024,
      });
      const started = Date.now();
      let watchdog: NodeJS.Timeout | undefined;
      const hang = new Promise<'hang'>((resolve) => {
        watchdog = setTimeout(() => resolve('hang'), TIMEOUT_MS + 2000);
      });
      const result = await Promise.race([
        request(client).then(
          () => 'ok' as const,
          (error: unknown) => error,
        ),
        hang,
      ]);
      clearTimeout(watchdog);
      client.destroy();
      assert.notEqual(result, 'hang', `lane ${lane} case ${i} (${current.kind}) hung`);
      // Up to two requests (PROTVER then NETVER) may each use the timeout.
      assert.ok(Date.now() - started <= 2 * TIMEOUT_MS + 500, `lane ${lane} case ${i} took ${Date.now() - started} ms`);
      if (result === 'ok') {
        outcome.ok += 1;
      } else {
        assert.ok(
          result instanceof NutError,
          `lane ${lane} case ${i} (${current.kind}): untyped error ${String(result)}`,
        );
        outcome.errors.set(result.name, (outcome.errors.get(result.name) ?? 0) + 1);
      }
    }
  } finally {
    await server.close();
  }
}

describe('fuzz', () => {
  it(`${SOCKET_CASES} hostile replies through real sockets: typed outcome, no hang, bounded heap`, async (t) => {
    const gc = forceGc();
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const outcome: Outcome = { ok: 0, errors: new Map() };
    const perLane = Math.ceil(SOCKET_CASES / LANES);
    await Promise.all(Array.from({ length: LANES }, (_, lane) => runLane(lane, perLane, outcome)));
    gc();
    const growth = process.memoryUsage().heapUsed - heapBefore;
    const total = outcome.ok + [...outcome.errors.values()].reduce((a, b) => a + b, 0);
    assert.ok(total >= SOCKET_CASES);
    assert.ok(outcome.ok > 0, 'some valid replies succeed');
    for (const name of ['NutProtocolError', 'NutLineTooLongError', 'NutConnectionClosedError', 'NutTimeoutError']) {
      assert.ok((outcome.errors.get(name) ?? 0) > 0, `${name} was produced`);
    }
    t.diagnostic(
      `ok ${outcome.ok}; ${[...outcome.errors].map(([name, n]) => `${name} ${n}`).join(', ')}; heap growth ${Math.round(growth / 1024)} KiB`,
    );
    assert.ok(growth < 20 * 1024 * 1024, `heap grew by ${growth} bytes`);
  });

  it('20000 random replies straight into framing and parsers: only typed errors, bounded buffer', () => {
    const random = fuzzRandom(SEED);
    const reader = (): NutLineReader => new NutLineReader(MAX_LINE);
    let lineReader = reader();
    let lines = 0;
    for (let i = 0; i < 20_000; i += 1) {
      const reply = generateFuzzReply(random, MAX_LINE);
      let produced: string[];
      try {
        produced = lineReader.push(reply.bytes);
      } catch (error) {
        assert.ok(error instanceof NutError);
        lineReader = reader();
        continue;
      }
      assert.ok(lineReader.bufferedBytes <= MAX_LINE);
      // List floods repeat one row hundreds of times: parsing the first rows covers them.
      for (const line of produced.slice(0, 8)) {
        lines += 1;
        for (const parse of [
          tokenizeNutLine,
          parseErrReply,
          parseCommandAck,
          parseTrackingStatusReply,
          (l: string) => parseTypeReply(l, 'u', 'v'),
        ]) {
          try {
            parse(line);
          } catch (error) {
            assert.ok(error instanceof NutError, `untyped error for ${JSON.stringify(line)}: ${String(error)}`);
          }
        }
      }
    }
    assert.ok(lines > 10_000, `${lines} lines parsed`);
  });
});
