import { Injectable, Logger } from '@nestjs/common';
import { type Job } from 'bullmq';

import { JobName, type JobPayload } from '@nutfleet/queue';

import { HostConnector } from '../hosts/host-connector';
import { HostNotFoundError, HostNotTrustedError } from '../hosts/host-connector.errors';
import { shouldRetry } from '../jobs/job-failure.policy';
import { HandlesJob, type JobHandler } from '../jobs/job-handler';
import { DiscoveryResultRecorder } from './discovery-result.recorder';
import { collectHostReadings } from './host-facts.collector';
import { buildDiscoveredHost } from './host-facts.mapper';

type Payload = JobPayload<typeof JobName.DiscoverHost>;

export interface DiscoverHostResult {
  readonly state: 'SUCCEEDED' | 'FAILED';
  readonly error?: string;
  /** Reads that failed while the others were recorded. */
  readonly failedReads?: readonly string[];
}

/**
 * Discovers one host of a DiscoveryRun over SSH and records the outcome, fact by fact: a read
 * that fails (unknown command, unreadable output, a fault) is recorded as failed in the facts and
 * the others are kept. Transient session failures (timeouts, refused or lost connections) are
 * thrown so BullMQ retries them with backoff; refused trust, wrong credentials or a changed host
 * key are recorded on the Host (`lastError`) and the run, and the job completes: retrying would
 * not help.
 */
@Injectable()
@HandlesJob(JobName.DiscoverHost)
export class DiscoverHostHandler implements JobHandler<typeof JobName.DiscoverHost> {
  private readonly logger = new Logger(DiscoverHostHandler.name);

  public constructor(
    private readonly connector: HostConnector,
    private readonly recorder: DiscoveryResultRecorder,
  ) {}

  public async handle(job: Job<Payload>): Promise<DiscoverHostResult> {
    const { runId, hostId } = job.data;
    try {
      const readings = await this.connector.withHost(hostId, ({ host }) => collectHostReadings(host));
      const at = new Date();
      const discovered = buildDiscoveredHost(readings, at);
      const state = await this.recorder.recorded(runId, hostId, discovered, at);
      if (discovered.failedReads.length === 0) return { state };
      const failedReads = discovered.failedReads.map((f) => f.read);
      this.logger.warn(`discovery of host ${hostId}: reads failed: ${failedReads.join(', ')}`);
      return { state, failedReads };
    } catch (error) {
      const retry = shouldRetry(error, job.attemptsMade, job.opts.attempts);
      const message = discoveryErrorMessage(error);
      const refused = error instanceof HostNotTrustedError || error instanceof HostNotFoundError;
      await this.recorder.failed(runId, hostId, message, { final: !retry, onHost: !refused, at: new Date() });
      if (retry) throw error;
      this.logger.warn(`discovery of host ${hostId} failed: ${message}`);
      return { state: 'FAILED', error: message };
    }
  }
}

/** "Discovery failed (AuthenticationError): Authentication to 10.0.0.5:22 was refused: check ..." */
export function discoveryErrorMessage(error: unknown): string {
  if (error instanceof Error) return `Discovery failed (${error.name}): ${error.message}`;
  return `Discovery failed: ${String(error)}`;
}
