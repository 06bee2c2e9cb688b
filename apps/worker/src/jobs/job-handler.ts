import { SetMetadata } from '@nestjs/common';
import { type Job } from 'bullmq';

import { type JobName, type JobPayload } from '@nutfleet/queue';

export const JOB_HANDLER_METADATA = 'nutfleet:job-handler';

/** A provider that runs one kind of job. Mark it with @HandlesJob(name). */
export interface JobHandler<N extends JobName = JobName> {
  handle(job: Job<JobPayload<N>>): Promise<unknown>;
}

/** Declares which job a provider handles; the worker checks at start that every job has one. */
export const HandlesJob = (name: JobName): ClassDecorator => SetMetadata(JOB_HANDLER_METADATA, name);
