import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Set while a step runs straight from PostgreSQL (Redis down): before each command it sends, the
 * step checks there that its plan was not cancelled meanwhile — no queue can bring the cancel.
 */
export interface DirectRun {
  readonly planId: string;
  planCancelled(): Promise<boolean>;
}

export const directRun = new AsyncLocalStorage<DirectRun>();
