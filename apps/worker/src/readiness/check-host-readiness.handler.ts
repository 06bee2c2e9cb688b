import { Injectable, Logger } from '@nestjs/common';
import { type Job } from 'bullmq';

import { type ReadinessCheckResult, sshAuthCheck, type SshAccessOutcome } from '@nutfleet/power';
import { JobName, type JobPayload } from '@nutfleet/queue';

import { HostConnector } from '../hosts/host-connector';
import { AuthenticationError, HostKeyMismatchError, UnknownHostKeyError } from '@nutfleet/esxi';

import { HostAccessError, HostNotFoundError, HostNotTrustedError } from '../hosts/host-connector.errors';
import { HandlesJob, type JobHandler } from '../jobs/job-handler';
import { isSessionFailure, probeHostReadiness } from './host-readiness.probe';
import { ReadinessResultsStore } from './readiness-results.store';

type Payload = JobPayload<typeof JobName.CheckHostReadiness>;

/** The checks that need a session: without one they are not known, so they fail and say why. */
const SSH_DEPENDENT = ['ESXI_ANSWERS', 'VIB_IN_SYNC', 'HOST_UPSC', 'VM_TOOLS', 'AUTOSTART'] as const;

export interface CheckHostReadinessResult {
  readonly hostId: string;
  readonly failing: readonly string[];
}

/**
 * Runs one host's SSH readiness checks over its pooled (warm) session — pinned key, stored
 * credentials — and stores every result. A failing check is a result, never a job failure; only
 * the database being unreachable fails the job (the next pass runs it again).
 */
@Injectable()
@HandlesJob(JobName.CheckHostReadiness)
export class CheckHostReadinessHandler implements JobHandler<typeof JobName.CheckHostReadiness> {
  private readonly logger = new Logger(CheckHostReadinessHandler.name);

  public constructor(
    private readonly connector: HostConnector,
    private readonly store: ReadinessResultsStore,
  ) {}

  public async handle(job: Job<Payload>): Promise<CheckHostReadinessResult> {
    const expect = job.data;
    let results: ReadinessCheckResult[];
    try {
      const probed = await this.connector.withHost(expect.hostId, ({ host }) =>
        probeHostReadiness(host, expect, Date.now),
      );
      results = [sshAuthCheck({ kind: 'ok' }, Date.now()), ...probed];
    } catch (error) {
      if (error instanceof HostNotFoundError) return { hostId: expect.hostId, failing: [] };
      if (!(error instanceof HostAccessError) && !isSessionFailure(error)) throw error;
      const at = Date.now();
      const ssh = sshAuthCheck(sshOutcome(error), at);
      results = [
        ssh,
        ...SSH_DEPENDENT.map((code) => ({
          code,
          ok: false,
          message: 'not checked: no SSH session (see SSH_AUTH)',
          checkedAt: at,
        })),
      ];
    }
    await this.store.record(expect.hostId, results);
    const failing = results.filter((r) => !r.ok).map((r) => r.code);
    if (failing.length > 0) this.logger.debug(`readiness of host ${expect.hostId}: failing ${failing.join(', ')}`);
    return { hostId: expect.hostId, failing };
  }
}

/** Typed connection errors → what SSH_AUTH says (the messages name host and port, never a secret). */
export function sshOutcome(error: unknown): SshAccessOutcome {
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof HostNotTrustedError) return { kind: 'not-trusted', detail };
  if (error instanceof AuthenticationError) return { kind: 'auth-refused', detail };
  if (error instanceof HostKeyMismatchError || error instanceof UnknownHostKeyError)
    return { kind: 'host-key-changed', detail };
  return { kind: 'unreachable', detail };
}
