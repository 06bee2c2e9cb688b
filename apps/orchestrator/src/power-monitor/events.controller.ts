import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { type Response } from 'express';

import { EventStreams } from '../auth/event-streams';
import { type ApiRequest, principalOrThrow as principalOf } from '../auth/principal';
import { RequireRole } from '../auth/require-role.decorator';
import { ApiError } from '../http/api-error';
import { EventsCursorError, parseEventsCursor, parseEventsLimit } from './events-cursor';
import { type FeedMessage, PowerEventFeed } from './power-event.feed';
import { PowerEventPageDto } from './power-monitor.dto';
import { type PowerEventPage, PowerEventsService } from './power-events.service';
import { UpsLiveStateService } from './ups-live-state.service';

/** Sent when nothing else was, so clients and proxies know the stream is alive. */
export const SSE_HEARTBEAT_MS = 15_000;

function parseOrThrow<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof EventsCursorError) throw ApiError.badRequest(error.message);
    throw error;
  }
}

@ApiTags('power')
@ApiBearerAuth()
@RequireRole('viewer')
@Controller('events')
export class EventsController {
  public constructor(
    private readonly events: PowerEventsService,
    private readonly feed: PowerEventFeed,
    private readonly upses: UpsLiveStateService,
    private readonly streams: EventStreams,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Power events in id order, after `since` (an event id or an ISO-8601 time)' })
  @ApiQuery({
    name: 'since',
    required: false,
    description: 'Event id (exclusive) or ISO-8601 time (receivedAt, exclusive)',
  })
  @ApiQuery({ name: 'limit', required: false, description: '1-1000, default 100' })
  @ApiQuery({ name: 'upsId', required: false, description: 'Only the events of this UPS' })
  @ApiOkResponse({ type: PowerEventPageDto })
  @ApiBadRequestResponse({ description: 'since or limit malformed' })
  public list(
    @Query('since') since?: string,
    @Query('limit') limit?: string,
    @Query('upsId') upsId?: string,
  ): Promise<PowerEventPage> {
    const cursor = parseOrThrow(() => parseEventsCursor(since));
    const size = parseOrThrow(() => parseEventsLimit(limit));
    if (upsId !== undefined && !/^[0-9a-f-]{36}$/i.test(upsId)) throw ApiError.badRequest('upsId: expected a UUID');
    return this.events.page(cursor, size, upsId);
  }

  @Get('stream')
  @ApiOperation({
    summary: 'Live stream (Server-Sent Events) of new power events and UPS state changes',
    description:
      'Events: `ups` (the current state of every UPS first, then each change), `power-event` (with `id:`, the event id), ' +
      '`heartbeat` every 15 s. Send `Last-Event-ID` (or `?since=<id>`) to resume after an event without missing any.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event id' })
  @ApiQuery({ name: 'since', required: false, description: 'Event id to resume after (like Last-Event-ID)' })
  @ApiOkResponse({ description: 'text/event-stream' })
  @ApiTooManyRequestsResponse({ description: 'This token already has SSE_MAX_STREAMS_PER_TOKEN streams open' })
  @ApiServiceUnavailableResponse({ description: 'This process already serves SSE_MAX_STREAMS streams' })
  public async stream(
    @Req() request: ApiRequest,
    @Res() response: Response,
    @Headers('last-event-id') lastEventId?: string,
    @Query('since') since?: string,
  ): Promise<void> {
    const resumeFrom = lastEventId ?? since;
    let lastSent: bigint | null = null;
    if (resumeFrom !== undefined && resumeFrom !== '') {
      if (!/^\d{1,19}$/.test(resumeFrom)) throw ApiError.badRequest('Last-Event-ID / since: expected an event id');
      lastSent = BigInt(resumeFrom);
    }
    let closed = false;
    // Admitted (or refused with 429/503) before anything is written.
    const release = this.streams.admit(principalOf(request), (reason) => {
      write(`event: error\ndata: ${JSON.stringify({ message: `stream closed: ${reason}` })}\n\n`);
      close();
      response.end();
    });
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    request.socket.setNoDelay(true);
    let lastWrite = Date.now();
    const write = (text: string): void => {
      if (closed) return;
      response.write(text);
      lastWrite = Date.now();
    };
    const send = (message: FeedMessage): void => {
      if (message.kind === 'event') {
        const id = BigInt(message.event.id);
        if (lastSent !== null && id <= lastSent) return;
        lastSent = id;
        write(`id: ${message.event.id}\nevent: power-event\ndata: ${JSON.stringify(message.event)}\n\n`);
      } else {
        write(`event: ups\ndata: ${JSON.stringify(message.ups)}\n\n`);
      }
    };
    // Messages that arrive while we catch up are held, then sent in order without duplicates.
    let held: FeedMessage[] | null = [];
    const unsubscribe = this.feed.subscribe((message) => {
      if (held !== null) held.push(message);
      else send(message);
    });
    const heartbeat = setInterval(() => {
      if (Date.now() - lastWrite >= SSE_HEARTBEAT_MS - 50)
        write(`event: heartbeat\ndata: {"at":"${new Date().toISOString()}"}\n\n`);
    }, SSE_HEARTBEAT_MS / 3);
    const close = (): void => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      release();
    };
    // The response's 'close', not the request's: a GET's request stream ends (and may emit
    // 'close') as soon as its empty body is read, long before the client goes away.
    response.on('close', close);
    response.on('error', close);
    try {
      write('retry: 2000\n\n');
      for (const ups of await this.upses.list()) send({ kind: 'ups', ups });
      if (lastSent !== null) {
        for (;;) {
          const batch = await this.events.after(lastSent, 500);
          for (const event of batch) send({ kind: 'event', event });
          if (batch.length < 500 || closed) break;
        }
      }
      const pending: FeedMessage[] = held;
      held = null;
      for (const message of pending) send(message);
    } catch (error) {
      write(
        `event: error\ndata: ${JSON.stringify({ message: error instanceof Error ? error.message : String(error) })}\n\n`,
      );
      close();
      response.end();
    }
  }
}
