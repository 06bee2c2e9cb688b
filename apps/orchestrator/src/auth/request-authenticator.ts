import { Inject, Injectable } from '@nestjs/common';
import { type Request } from 'express';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';

import { parseBearer, recognitionPrefix, TOKEN_PREFIX } from './api-token.codec';
import { ApiTokenService } from './api-token.service';
import { AuthFailureThrottle } from './auth-failure.throttle';
import { type Principal } from './principal';

const REASONS: Record<string, string> = {
  missing: 'missing bearer token: send "Authorization: Bearer <token>"',
  malformed: 'malformed Authorization header: expected "Bearer <token>"',
  unknown: 'invalid token',
  expired: 'token expired',
  revoked: 'token revoked',
};

export type AuthOutcome =
  | { ok: true; principal: Principal; token: string }
  | {
      ok: false;
      status: 401 | 429;
      reason: string;
      message: string;
      /** WWW-Authenticate or Retry-After, to send with the refusal. */
      headers: Record<string, string>;
    };

/** Where the token comes from when it is not the request's Authorization header. */
export interface TokenSource {
  /** A token found elsewhere (the queue inspector's session cookie); null: none was sent. */
  token: string | null;
  /** Message when no token was sent at all. */
  missingMessage?: string;
}

/**
 * Authenticates a request once, for every surface alike: the API's guard, /metrics, the queue
 * inspector and the check made before a request body is read. A valid token always passes;
 * failures are counted per client address (`req.ip`, which honours TRUST_PROXY) and per token
 * prefix presented, and once either is past AUTH_FAILURE_LIMIT in the window further failures
 * get 429 instead of 401. The outcome is kept on the request: a request is counted once.
 */
@Injectable()
export class RequestAuthenticator {
  private readonly throttle: AuthFailureThrottle;
  private readonly outcomes = new WeakMap<Request, Promise<AuthOutcome>>();

  public constructor(
    private readonly tokens: ApiTokenService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.throttle = new AuthFailureThrottle({
      maxFailures: config.auth.failureLimit,
      windowMs: config.auth.failureWindowMs,
    });
  }

  public authenticate(request: Request, source?: TokenSource): Promise<AuthOutcome> {
    const known = this.outcomes.get(request);
    if (known) return known;
    const outcome = this.run(request, source);
    this.outcomes.set(request, outcome);
    return outcome;
  }

  private async run(request: Request, source: TokenSource | undefined): Promise<AuthOutcome> {
    const now = Date.now();
    const client = `address:${request.ip ?? request.socket.remoteAddress ?? 'unknown'}`;
    let token: string;
    if (source !== undefined && source.token !== null) {
      token = source.token;
    } else {
      const bearer = parseBearer(request.headers.authorization);
      if (!bearer.ok) {
        const message = bearer.reason === 'missing' && source?.missingMessage ? source.missingMessage : undefined;
        return this.refuse([client], now, bearer.reason, message);
      }
      token = bearer.token;
    }
    const result = await this.tokens.authenticate(token, now);
    if (result.ok) return { ok: true, principal: result.principal, token };
    // A guessed token shares its clear prefix with the real one it targets: counted apart from
    // the address, so spreading guesses over many addresses does not escape the limit.
    const keys = token.startsWith(TOKEN_PREFIX) ? [client, `prefix:${recognitionPrefix(token)}`] : [client];
    return this.refuse(keys, now, result.reason);
  }

  private refuse(keys: string[], now: number, reason: string, message?: string): AuthOutcome {
    for (const key of keys) this.throttle.recordFailure(key, now);
    const wait = this.throttle.longestWait(keys, now);
    if (wait > 0)
      return {
        ok: false,
        status: 429,
        reason,
        message: `too many failed authentications from this address or with this token prefix: retry in ${wait} s (a valid token is always accepted)`,
        headers: { 'Retry-After': String(wait) },
      };
    const description = REASONS[reason] ?? 'invalid token';
    return {
      ok: false,
      status: 401,
      reason,
      message: message ?? description,
      // RFC 6750: no error code when no credentials were sent at all.
      headers: {
        'WWW-Authenticate':
          reason === 'missing'
            ? 'Bearer realm="nutfleet"'
            : `Bearer realm="nutfleet", error="invalid_token", error_description="${description}"`,
      },
    };
  }
}
