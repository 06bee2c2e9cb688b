/** One live-stream connection per tab, shared by whichever views are listening. */
import { type PowerEventDto, type UpsLiveDto } from './api-types.generated.js';
import { connectLive } from './live.js';

interface Listener {
  ups?: (ups: UpsLiveDto) => void;
  event?: (event: PowerEventDto) => void;
}
const listeners = new Set<Listener>();
let disconnect: (() => void) | null = null;

export function startLive(indicator: HTMLElement): void {
  disconnect?.();
  disconnect = connectLive({
    ups: (ups) => listeners.forEach((l) => l.ups?.(ups)),
    event: (event) => listeners.forEach((l) => l.event?.(event)),
    state: (connected) => {
      indicator.textContent = connected ? '● live' : '○ reconnecting';
      indicator.className = connected ? 'live on' : 'live off';
    },
  });
}

export function stopLive(): void {
  disconnect?.();
  disconnect = null;
}

export function onLive(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
