import { type Queue } from 'bullmq';

/** How long a close may wait for Redis before the client is simply let go. */
const CLOSE_WAIT_MS = 2000;

/**
 * Closes a BullMQ queue whatever the state of Redis. With Redis down, close() throws (a
 * fail-fast client cannot send QUIT) or waits forever (a worker client queues it): either way the
 * client is then disconnected, or it would keep reconnecting — and keep the process alive —
 * after the application meant to stop.
 */
export async function closeQueue(queue: Queue): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    queue.close().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_WAIT_MS);
    }),
  ]);
  clearTimeout(timer);
  await queue.disconnect().catch(() => undefined);
}
