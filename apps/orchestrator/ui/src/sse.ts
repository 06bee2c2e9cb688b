/**
 * One Server-Sent Events stream read with fetch (EventSource cannot send the Authorization
 * header, and a token in the URL would end up in logs). Resolves when the server ends the
 * stream; rejects when it is refused, dropped or aborted.
 */
import { session } from './api.js';

export async function readSse(
  path: string,
  signal: AbortSignal,
  onEvent: (event: string, data: string) => void,
): Promise<void> {
  const response = await fetch(path, {
    headers: { authorization: `Bearer ${session.token() ?? ''}`, accept: 'text/event-stream' },
    signal,
  });
  if (response.status === 401) window.dispatchEvent(new Event('nutfleet:signed-out'));
  if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data += line.slice(6);
      }
      if (data !== '') onEvent(event, data);
    }
  }
}
