import { Injectable, Logger } from '@nestjs/common';

import { PrismaService } from '@nutfleet/db';

import { type AuditContext, AuditService } from '../audit/audit.service';
import { ApiError } from '../http/api-error';
import { hashApiToken, looksLikeApiToken } from './api-token.codec';
import { apiTokenView, type ApiTokenView, issueApiToken, type IssueTokenInput } from './api-token.issuer';
import { type Principal } from './principal';
import { EventStreams } from './event-streams';
import { roleFromDb } from './role';

export type AuthenticationResult =
  { ok: true; principal: Principal } | { ok: false; reason: 'unknown' | 'expired' | 'revoked' };

interface CachedToken {
  principal: Principal;
  expiresAt: number | null;
  cachedAt: number;
}

/**
 * How long a validated token is trusted without asking the database again. Revocation through
 * this replica takes effect at once (the cache entry is dropped); on other replicas within this.
 */
const CACHE_MS = 5000;
/** lastUsedAt is a hint for administrators: written at most this often per token. */
const LAST_USED_WRITE_MS = 60_000;

type Lookup = CachedToken | { reason: 'unknown' | 'revoked' };

@Injectable()
export class ApiTokenService {
  private readonly logger = new Logger(ApiTokenService.name);
  private readonly cache = new Map<string, CachedToken>();
  /** Database lookups under way, by token hash: concurrent requests with one token share one. */
  private readonly lookups = new Map<string, Promise<Lookup>>();
  /** Bumped by every revocation: a lookup that started before it is not cached. */
  private generation = 0;
  private readonly lastUsedWritten = new Map<string, number>();

  public constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly streams: EventStreams,
  ) {}

  public async authenticate(token: string, now = Date.now()): Promise<AuthenticationResult> {
    // Anything that is not shaped like one of our tokens cannot match: no database round trip.
    if (!looksLikeApiToken(token)) return { ok: false, reason: 'unknown' };
    const hash = hashApiToken(token);
    const cached = this.cache.get(hash);
    const found = cached && now - cached.cachedAt < CACHE_MS ? cached : await this.lookup(hash, now);
    if ('reason' in found) return { ok: false, reason: found.reason };
    if (found.expiresAt !== null && found.expiresAt <= now) return { ok: false, reason: 'expired' };
    return { ok: true, principal: found.principal };
  }

  private lookup(hash: string, now: number): Promise<Lookup> {
    const running = this.lookups.get(hash);
    if (running) return running;
    const generation = this.generation;
    const promise = this.prisma.apiToken
      .findUnique({ where: { tokenHash: hash } })
      .then((row): Lookup => {
        if (!row) return { reason: 'unknown' };
        if (row.revokedAt) return { reason: 'revoked' };
        const found: CachedToken = {
          principal: { tokenId: row.id, tokenName: row.name, role: roleFromDb(row.role) },
          expiresAt: row.expiresAt?.getTime() ?? null,
          cachedAt: now,
        };
        if (generation === this.generation) {
          if (this.cache.size > 1000) this.cache.clear();
          this.cache.set(hash, found);
        }
        if (found.expiresAt === null || found.expiresAt > now) this.touch(row.id, now);
        return found;
      })
      .finally(() => {
        if (this.lookups.get(hash) === promise) this.lookups.delete(hash);
      });
    this.lookups.set(hash, promise);
    return promise;
  }

  public async create(input: IssueTokenInput, ctx: AuditContext): Promise<{ token: string; view: ApiTokenView }> {
    const existing = await this.prisma.apiToken.findUnique({ where: { name: input.name } });
    if (existing) throw ApiError.conflict('name', `a token named "${input.name}" already exists`);
    return this.prisma.$transaction(async (tx) => {
      const { row, token } = await issueApiToken(tx, input);
      const view = apiTokenView(row);
      await this.audit.record(tx, ctx, {
        action: 'token.create',
        resourceType: 'apiToken',
        resourceId: row.id,
        after: view,
      });
      return { token, view };
    });
  }

  public async list(): Promise<ApiTokenView[]> {
    const rows = await this.prisma.apiToken.findMany({ orderBy: { name: 'asc' } });
    return rows.map(apiTokenView);
  }

  public async revoke(id: string, ctx: AuditContext): Promise<ApiTokenView> {
    const updated = await this.prisma.$transaction(async (tx) => {
      const before = await tx.apiToken.findUnique({ where: { id } });
      if (!before) throw ApiError.notFound('token', id);
      if (before.revokedAt) return before;
      const after = await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
      await this.audit.record(tx, ctx, {
        action: 'token.revoke',
        resourceType: 'apiToken',
        resourceId: id,
        before: apiTokenView(before),
        after: apiTokenView(after),
      });
      return after;
    });
    this.generation++;
    this.cache.clear();
    this.lookups.clear();
    this.streams.cutToken(id, 'token revoked');
    return apiTokenView(updated);
  }

  private touch(id: string, now: number): void {
    const last = this.lastUsedWritten.get(id) ?? 0;
    if (now - last < LAST_USED_WRITE_MS) return;
    this.lastUsedWritten.set(id, now);
    this.prisma.apiToken
      .update({ where: { id }, data: { lastUsedAt: new Date(now) } })
      .catch((error: unknown) => this.logger.warn(`could not record last use of token ${id}: ${String(error)}`));
  }
}
