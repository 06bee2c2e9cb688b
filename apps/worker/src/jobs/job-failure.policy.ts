import { UnrecoverableError } from 'bullmq';

import { EsxiError } from '@nutfleet/esxi';
import { PlanDetailError } from '@nutfleet/plan';
import { errorText } from '@nutfleet/runtime';
import { DeployError } from '@nutfleet/vib';

import { HostAccessError } from '../hosts/host-connector.errors';
import { NotificationSendError } from '../notifications/notification-senders';
import { WakeTargetError } from '../plans/restart/wake-target';
import { UnknownStepActionError } from '../plans/step-handler.registry';

/** Whether trying a failed job again may help. */
export type FailureDecision = 'retry' | 'final';

/** Errors that say themselves whether a retry can help (a refused key never fixes itself; a timeout may). */
const SELF_DECLARING: ReadonlyArray<abstract new (...args: never[]) => Error & { readonly retryable: boolean }> = [
  EsxiError,
  DeployError,
  HostAccessError,
  WakeTargetError,
  NotificationSendError,
];

/** Errors of the code or of stored data, not of the moment: the same input fails the same way. */
const PERMANENT: ReadonlyArray<abstract new (...args: never[]) => Error> = [
  UnrecoverableError,
  PlanDetailError,
  UnknownStepActionError,
  TypeError,
  RangeError,
  SyntaxError,
];

/**
 * The one place that decides whether a failed job is retried. Errors that know (SSH, deploy,
 * host access, Wake-on-LAN targets) decide; errors of code or data never retry; anything else
 * (PostgreSQL or Redis hiccups, a network error outside a host session) is treated as transient.
 */
export function failureDecision(error: unknown): FailureDecision {
  for (const type of SELF_DECLARING) if (error instanceof type) return error.retryable ? 'retry' : 'final';
  for (const type of PERMANENT) if (error instanceof type) return 'final';
  return 'retry';
}

/** Retry while attempts remain and the failure may pass; `attemptsMade` counts the attempts before this one. */
export function shouldRetry(error: unknown, attemptsMade: number, attempts: number | undefined): boolean {
  return failureDecision(error) === 'retry' && attemptsMade + 1 < (attempts ?? 1);
}

/**
 * What the queue receives when a handler throws: a failure a retry cannot help becomes BullMQ's
 * UnrecoverableError (no further attempts, no backoff), anything else is rethrown for a retry.
 */
export function toQueueFailure(error: unknown): Error {
  if (error instanceof UnrecoverableError) return error;
  if (failureDecision(error) === 'final') return new UnrecoverableError(errorText(error));
  return error instanceof Error ? error : new Error(errorText(error));
}
