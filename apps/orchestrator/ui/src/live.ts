/**
 * The live stream (GET /events/stream) read with fetch, not EventSource: EventSource cannot
 * send the Authorization header, and a token in the URL would end up in logs. Reconnects with
 * Last-Event-ID so no power event is missed.
 */
import { session } from './api.js';
import { type PowerEventDto, type UpsLiveDto } from './api-types.generated.js';

export interface LiveHandlers {
  ups(ups: UpsLiveDto): void;
  event(event: PowerEventDto): void;
  state(connected: boolean): void;
}

export function connectLive(handlers: LiveHandlers): () => void {
  let stopped = false;
  let lastId: string | null = null;
  let controller = new AbortController();

  const run = async (): Promise<void> => {
    while (!stopped) {
      controller = new AbortController();
      try {
        const headers: Record<string, string> = { authorization: `Bearer ${session.token() ?? ''}` };
        if (lastId !== null) headers['last-event-id'] = lastId;
        const response = await fetch('/events/stream', { headers, signal: controller.signal });
        if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`);
        handlers.state(true);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            dispatch(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        }
      } catch {
        // Dropped or refused: retried below.
      }
      handlers.state(false);
      if (!stopped) await new Promise((r) => setTimeout(r, 2000));
    }
  };

  const dispatch = (block: string): void => {
    let event = 'message';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data += line.slice(6);
      else if (line.startsWith('id: ')) lastId = line.slice(4);
    }
    if (data === '') return;
    if (event === 'ups') handlers.ups(JSON.parse(data) as UpsLiveDto);
    else if (event === 'power-event') handlers.event(JSON.parse(data) as PowerEventDto);
  };

  void run();
  return () => {
    stopped = true;
    controller.abort();
  };
}
