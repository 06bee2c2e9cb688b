import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, test } from 'node:test';
import { type ClientChannel } from 'ssh2';

import { CommandTimeoutError, ConnectionLostError, type EsxiErrorContext, OutputTooLargeError } from '../esxi-errors';
import { CommandLoop, CommandLoopNotReadyError, fitsCommandLoop, WARM_LOOP_MS } from './command-loop';

/** The host's side of a loop channel: what we wrote, and a way to answer. */
class FakeLoopChannel extends EventEmitter {
  public readonly stderr = new EventEmitter();
  public readonly written: string[] = [];
  public closeCalls = 0;

  public write(text: string): boolean {
    this.written.push(text);
    return true;
  }

  public close(): void {
    this.closeCalls += 1;
  }

  /** The marker of the last command (its line comes after the marker is answered). */
  public marker = '';

  /** The shell read the marker: it answers with it, and the command line follows (or came with it). */
  public ready(): void {
    this.marker = (this.written.at(-1) ?? '').split('\n')[0] ?? '';
    this.out(`${this.marker}\n`);
  }

  public out(text: string): void {
    this.emit('data', Buffer.from(text));
  }

  public err(text: string): void {
    this.stderr.emit('data', Buffer.from(text));
  }
}

const lost = (context: EsxiErrorContext): ConnectionLostError => new ConnectionLostError(true, context);

function loopOn(): { loop: CommandLoop; channel: FakeLoopChannel } {
  const channel = new FakeLoopChannel();
  return { loop: new CommandLoop(channel as unknown as ClientChannel, 'esx1:22', lost), channel };
}

/** `poweroff` on a loop whose shell has answered, its line waiting for a mark still being made. */
function markingPoweroff(): {
  loop: CommandLoop;
  channel: FakeLoopChannel;
  result: Promise<unknown>;
  finishMark: () => void;
} {
  const { loop, channel } = loopOn();
  let finishMark: () => void = () => undefined;
  const result = loop.run('poweroff', 'poweroff', {
    maxOutputBytes: 1024,
    readyTimeoutMs: 1000,
    beforeSend: () => new Promise<void>((resolve) => (finishMark = resolve)),
  });
  channel.ready();
  return { loop, channel, result, finishMark: () => finishMark() };
}

describe('CommandLoop', () => {
  test('writes a marker line and the command, and ends the command at both markers', async () => {
    const { loop, channel } = loopOn();
    const result = loop.run("vim-cmd vmsvc/power.shutdown '3'", 'shown', {
      maxOutputBytes: 1024,
      readyTimeoutMs: 1000,
    });
    assert.match(channel.written[0] ?? '', /^__nutfleet_[0-9a-f]{12}_1\n$/);
    assert.equal(channel.written.length, 1, 'the command waits for the marker to come back');
    channel.ready();
    assert.equal(channel.written[1], "vim-cmd vmsvc/power.shutdown '3'\n");
    assert.equal(loop.idle, false);
    channel.err(`a warning\n${channel.marker}\n`);
    channel.out(`Powering off VM:\n${channel.marker} 0\n`);
    assert.deepEqual(await result, { code: 0, stdout: 'Powering off VM:\n', stderr: 'a warning\n' });
    assert.equal(loop.idle, true);
  });

  test('output without a final newline, markers split across chunks, a non-zero code', async () => {
    const { loop, channel } = loopOn();
    const result = loop.run('false', 'false', { maxOutputBytes: 1024, readyTimeoutMs: 1000 });
    channel.ready();
    const marker = channel.marker;
    channel.out('no newline');
    channel.out(marker.slice(0, 5));
    channel.out(`${marker.slice(5)} 1`);
    channel.out('27\n');
    channel.err(marker.slice(0, 3));
    channel.err(`${marker.slice(3)}\n`);
    assert.deepEqual(await result, { code: 127, stdout: 'no newline', stderr: '' });
  });

  test('a marker from another command (or none yet) does not end this one', async () => {
    const { loop, channel } = loopOn();
    const first = loop.run('a', 'a', { maxOutputBytes: 1024, readyTimeoutMs: 1000 });
    channel.ready();
    const firstMarker = channel.marker;
    channel.out(`${firstMarker} 0\n`);
    channel.err(`${firstMarker}\n`);
    await first;
    let settled = false;
    const second = loop.run('b', 'b', { maxOutputBytes: 1024, readyTimeoutMs: 1000 }).finally(() => (settled = true));
    channel.ready();
    assert.notEqual(channel.marker, firstMarker);
    channel.out(`${firstMarker} 0\n`);
    channel.err(`${channel.marker}\n`);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, false, 'the first marker again is output, not the end');
    channel.out(`${channel.marker} 0\n`);
    assert.deepEqual(await second, { code: 0, stdout: `${firstMarker} 0\n`, stderr: '' });
  });

  test('the channel closing under a command rejects it with the owner’s error and closes the loop', async () => {
    const { loop, channel } = loopOn();
    const result = loop.run('poweroff', 'poweroff', { maxOutputBytes: 1024, readyTimeoutMs: 1000 });
    channel.ready();
    channel.out('partial');
    channel.emit('close');
    await assert.rejects(result, (error: unknown) => error instanceof ConnectionLostError && error.commandMayHaveRun);
    assert.equal(loop.closed, true);
    assert.throws(() => loop.run('true', 'true', { maxOutputBytes: 1024, readyTimeoutMs: 1000 }), /busy or closed/);
  });

  test('output past the limit fails the command and closes the loop', async () => {
    const { loop, channel } = loopOn();
    const result = loop.run('cat big', 'cat big', { maxOutputBytes: 10, readyTimeoutMs: 1000 });
    channel.ready();
    channel.out('x'.repeat(200));
    await assert.rejects(result, OutputTooLargeError);
    assert.equal(channel.closeCalls, 1);
    assert.equal(loop.idle, false);
  });

  test('a loop that closes or answers something else before the marker never gets the line', async () => {
    const closed = loopOn();
    const result = closed.loop.run('poweroff', 'poweroff', { maxOutputBytes: 1024, readyTimeoutMs: 1000 });
    closed.channel.emit('close');
    await assert.rejects(result, CommandLoopNotReadyError);
    assert.deepEqual(closed.channel.written.length, 1);

    const chatty = loopOn();
    const answered = chatty.loop.run('poweroff', 'poweroff', { maxOutputBytes: 1024, readyTimeoutMs: 1000 });
    chatty.channel.out('Welcome to ESXi\n');
    await assert.rejects(answered, /answered "Welcome to ESXi\\n" instead of the marker/);
    assert.equal(chatty.channel.written.length, 1);
    assert.equal(chatty.channel.closeCalls, 1);
  });

  test('a caller giving up: before the marker came back the line was not sent, after it the outcome is unknown', async () => {
    const early = loopOn();
    const before = early.loop.run('poweroff', 'poweroff', { maxOutputBytes: 1024, readyTimeoutMs: 1000 });
    early.loop.fail(new CommandTimeoutError(5, { host: 'esx1:22', command: 'poweroff' }));
    await assert.rejects(before, CommandLoopNotReadyError);

    const late = loopOn();
    const after = late.loop.run('poweroff', 'poweroff', { maxOutputBytes: 1024, readyTimeoutMs: 1000 });
    late.channel.ready();
    late.loop.fail(new CommandTimeoutError(5, { host: 'esx1:22', command: 'poweroff' }));
    await assert.rejects(after, CommandTimeoutError);
    assert.equal(late.channel.closeCalls, 1);
  });

  test('a shell that does not answer the marker in time never gets the line', async () => {
    const { loop, channel } = loopOn();
    const began = Date.now();
    await assert.rejects(
      loop.run('poweroff', 'poweroff', { maxOutputBytes: 1024, readyTimeoutMs: 30 }),
      /did not answer \(no answer within 30 ms\); the command was not sent/,
    );
    assert.ok(Date.now() - began < 1000);
    assert.equal(channel.written.length, 1);
    assert.equal(channel.closeCalls, 1);
  });

  test('beforeSend runs once the marker came back, and the line leaves only after it resolved', async () => {
    const { loop, channel } = loopOn();
    const events: string[] = [];
    let finishMark: () => void = () => undefined;
    const result = loop.run('poweroff', 'poweroff', {
      maxOutputBytes: 1024,
      readyTimeoutMs: 20,
      beforeSend: () => {
        events.push(`mark after ${channel.written.length} write(s)`);
        return new Promise<void>((resolve) => (finishMark = resolve));
      },
    });
    assert.deepEqual(events, [], 'no mark before the host answered');
    channel.ready();
    assert.deepEqual(events, ['mark after 1 write(s)']);
    // Longer than the ready timeout: the host did answer, a slow mark is not a silent shell.
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.equal(channel.written.length, 1, 'the line waits for the mark');
    finishMark();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(channel.written[1], 'poweroff\n');
    channel.err(`${channel.marker}\n`);
    channel.out(`${channel.marker} 0\n`);
    assert.equal((await result).code, 0);
  });

  test('a beforeSend that fails: the line is never sent, the caller gets its error, the loop ends', async () => {
    const { loop, channel } = loopOn();
    const refused = new Error('the mark could not be saved');
    const result = loop.run('poweroff', 'poweroff', {
      maxOutputBytes: 1024,
      readyTimeoutMs: 1000,
      beforeSend: () => Promise.reject(refused),
    });
    channel.ready();
    await assert.rejects(result, (error) => error === refused);
    assert.equal(channel.written.length, 1);
    assert.equal(channel.closeCalls, 1);
  });

  test('while beforeSend runs: a caller giving up gets its own error (the mark may land), the line never leaves', async () => {
    const { loop, channel, result, finishMark } = markingPoweroff();
    loop.fail(new CommandTimeoutError(5, { host: 'esx1:22', command: 'poweroff' }));
    await assert.rejects(result, CommandTimeoutError);
    finishMark();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(channel.written.length, 1);
  });

  test('while beforeSend runs: the channel closing or stray output means not sent (the owner may use a channel)', async () => {
    for (const surprise of ['close', 'output'] as const) {
      const { channel, result, finishMark } = markingPoweroff();
      if (surprise === 'close') channel.emit('close');
      else channel.out('unexpected\n');
      await assert.rejects(result, CommandLoopNotReadyError, surprise);
      finishMark();
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(channel.written.length, 1, surprise);
    }
  });

  describe('a command right after another (warm loop)', () => {
    const limits = { maxOutputBytes: 1024, readyTimeoutMs: 1000 };
    /** A loop that has just finished `true`. */
    async function warmLoop(): Promise<{ loop: CommandLoop; channel: FakeLoopChannel }> {
      const { loop, channel } = loopOn();
      const first = loop.run('true', 'true', limits);
      channel.ready();
      channel.out(`${channel.marker} 0\n`);
      channel.err(`${channel.marker}\n`);
      await first;
      return { loop, channel };
    }

    test('goes out with its marker in one write; the echo may share a packet with the output', async () => {
      const { loop, channel } = await warmLoop();
      const result = loop.run('uptime', 'uptime', limits);
      const [marker, line, rest] = (channel.written.at(-1) ?? '').split('\n');
      assert.match(marker ?? '', /^__nutfleet_[0-9a-f]{12}_2$/);
      assert.deepEqual([line, rest], ['uptime', ''], 'marker and line, nothing waits');
      channel.out(`${marker}\nup 3 days\n${marker} 0\n`);
      channel.err(`${marker}\n`);
      assert.deepEqual(await result, { code: 0, stdout: 'up 3 days\n', stderr: '' });

      const split = loop.run('true', 'true', limits);
      const next = (channel.written.at(-1) ?? '').split('\n')[0] ?? '';
      channel.out(next.slice(0, 7));
      channel.out(`${next.slice(7)}\n${next} 0\n`);
      channel.err(`${next}\n`);
      assert.deepEqual(await split, { code: 0, stdout: '', stderr: '' }, 'an echo split across packets');
    });

    test('a command with beforeSend, or one after a pause, still waits for its marker', async (t) => {
      const { loop, channel } = await warmLoop();
      let marked = 0;
      const guarded = loop.run('poweroff', 'poweroff', {
        ...limits,
        beforeSend: () => {
          marked += 1;
          return Promise.resolve();
        },
      });
      assert.equal(channel.written.at(-1)?.split('\n').length, 2, 'the marker alone');
      channel.ready();
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(marked, 1);
      assert.equal(channel.written.at(-1), 'poweroff\n');
      channel.out(`${channel.marker} 0\n`);
      channel.err(`${channel.marker}\n`);
      await guarded;

      t.mock.timers.enable({ apis: ['Date'], now: Date.now() + WARM_LOOP_MS + 1 });
      const later = loop.run('true', 'true', limits);
      assert.equal(channel.written.at(-1)?.split('\n').length, 2, 'after a pause: the marker alone');
      channel.ready();
      assert.equal(channel.written.at(-1), 'true\n');
      channel.out(`${channel.marker} 0\n`);
      channel.err(`${channel.marker}\n`);
      await later;
    });

    test('the loop closing before the echo: the shell never read the line (it echoes first), so not sent', async () => {
      const { loop, channel } = await warmLoop();
      const result = loop.run('esxcli system maintenanceMode set -e true', 'mm', limits);
      channel.emit('close');
      await assert.rejects(result, CommandLoopNotReadyError);
    });

    test('the loop closing after the echo: the line may have run', async () => {
      const { loop, channel } = await warmLoop();
      const result = loop.run('poweroff', 'poweroff', limits);
      channel.ready();
      channel.emit('close');
      await assert.rejects(result, (error: unknown) => error instanceof ConnectionLostError && error.commandMayHaveRun);
    });

    test('a caller giving up before the echo: the outcome is unknown (the shell may still read the line)', async () => {
      const { loop, channel } = await warmLoop();
      const result = loop.run('true', 'true', limits);
      loop.fail(new CommandTimeoutError(1000, { host: 'esx1:22', command: 'true' }));
      await assert.rejects(result, CommandTimeoutError);
      assert.equal(channel.closeCalls, 1);
    });

    test('an answer other than the marker ends the loop; the line was sent, so the outcome is unknown', async () => {
      const { loop, channel } = await warmLoop();
      const result = loop.run('true', 'true', limits);
      channel.out('sh: syntax error\n');
      await assert.rejects(result, (error: unknown) => error instanceof ConnectionLostError);
      assert.equal(loop.closed, true);
      assert.equal(channel.closeCalls, 1);
    });
  });

  test('only one-line commands fit a loop', () => {
    assert.equal(fitsCommandLoop('esxcli system version get'), true);
    assert.equal(fitsCommandLoop("printf 'a\nb'"), false);
    assert.equal(fitsCommandLoop('a\rb'), false);
  });
});
