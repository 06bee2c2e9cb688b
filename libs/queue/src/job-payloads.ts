import { type JobName } from './job-names';

/**
 * Job data, per job. Only ids and plain parameters: job data sits in Redis in clear text, so a
 * secret never goes here; handlers load credentials from PostgreSQL and decrypt them there.
 */
export interface JobPayloads {
  [JobName.PrunePowerEvents]: { retentionDays: number };
}

export type JobPayload<N extends JobName> = JobPayloads[N];
