import { type Queue } from 'bullmq';

/**
 * What Redis holds for a deterministic job id: a job still to run or running (`alive`), a
 * finished one kept by the retention settings (`finished`: remove it before adding the id
 * again, or the add is a no-op), or nothing (`missing`: Redis lost it, or it was never added).
 */
export type JobPresence = 'alive' | 'finished' | 'missing';

export async function jobPresence(queue: Queue, id: string): Promise<JobPresence> {
  const state = await queue.getJobState(id);
  if (state === 'unknown') return 'missing';
  if (state === 'completed' || state === 'failed') return 'finished';
  return 'alive';
}
