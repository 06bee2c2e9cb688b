import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { type Response } from 'express';

import { type ApiRequest, principalOrThrow, RequireRole } from '../auth';
import { EventStreams } from '../auth/event-streams';
import { ApiError } from '../http/api-error';
import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { uuidPipe } from '../http/uuid.pipe';
import { journalEntries } from './deploy-journal.view';

const POLL_MS = 500;
const HEARTBEAT_MS = 15_000;

/**
 * Live per-host progress of one rollout (Server-Sent Events). It tails the rollout's PlanStep rows
 * in PostgreSQL — the worker writes them — so any orchestrator replica streams what any worker does.
 */
@ApiTags('rollouts')
@Controller('rollouts')
export class RolloutEventsController {
  public constructor(
    private readonly store: OrchestratorPlanStore,
    private readonly streams: EventStreams,
  ) {}

  @Get(':id/events')
  @RequireRole('viewer')
  @ApiOperation({
    summary:
      'Live stream (SSE) of a rollout: `host` (wave, state, current deploy step, error) on every change, `rollout` on state changes',
    description: 'Starts with every host once; ends after the rollout finishes.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream' })
  @ApiTooManyRequestsResponse({ description: 'This token already has SSE_MAX_STREAMS_PER_TOKEN streams open' })
  @ApiServiceUnavailableResponse({ description: 'This process already serves SSE_MAX_STREAMS streams' })
  public async stream(
    @Param('id', uuidPipe('id')) id: string,
    @Req() request: ApiRequest,
    @Res() response: Response,
  ): Promise<void> {
    const rollout = await this.store.rollouts.findRollout(id);
    if (!rollout) throw ApiError.notFound('rollout', id);
    let closed = false;
    const release = this.streams.admit(principalOrThrow(request), (reason) => {
      if (closed) return;
      write('error', { message: `stream closed: ${reason}` });
      closed = true;
      response.end();
    });
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    request.socket.setNoDelay(true);
    let since = new Date(0);
    let planState = '';
    let lastWrite = Date.now();
    const write = (event: string, data: unknown): void => {
      if (closed) return;
      response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      lastWrite = Date.now();
    };
    const tick = async (): Promise<boolean> => {
      const started = new Date();
      const steps = await this.store.rollouts.stepsChangedSince(rollout.planId, since);
      // Rows updated during this read reappear next time (gte): a repeat is harmless, a miss is not.
      since = new Date(started.getTime() - 1000);
      for (const s of steps) {
        const journal = journalEntries(s.progress, s.detail);
        write('host', {
          rolloutId: rollout.id,
          hostId: s.hostId,
          hostName: (s.detail as { hostName?: string } | null)?.hostName ?? null,
          wave: s.stage,
          state: s.state,
          currentStep: journal.at(-1)?.step ?? null,
          attempts: s.attempts,
          error: s.error,
        });
      }
      const plan = await this.store.execution.findPlan(rollout.planId);
      if (plan && plan.state !== planState) {
        planState = plan.state;
        write('rollout', { rolloutId: rollout.id, state: plan.state });
      }
      if (Date.now() - lastWrite >= HEARTBEAT_MS) write('heartbeat', { at: new Date().toISOString() });
      return plan === null || !['PENDING', 'RUNNING'].includes(plan.state);
    };
    response.on('close', () => {
      closed = true;
      release();
    });
    while (!closed) {
      let done = false;
      try {
        done = await tick();
      } catch {
        // PostgreSQL unavailable for a moment: keep the stream, try again.
      }
      if (done) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    release();
    if (!closed) response.end();
  }
}
