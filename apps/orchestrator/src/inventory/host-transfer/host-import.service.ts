import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

import { APP_CONFIG, AppConfig, TargetNetworks } from '@nutfleet/config';
import { Prisma, PrismaService } from '@nutfleet/db';

import { type AuditContext, type AuditRecord, AuditService } from '../../audit/audit.service';
import { ApiError } from '../../http/api-error';
import { flattenValidationErrors } from '../../http/validation-errors';
import { upsDirectory } from '../common/ups-address';
import { HostReader } from '../hosts/host.reader';
import { assertAdminWrites, writtenFields } from '../common/secret-binding';
import { targetRefusal } from '../common/target-check';
import { bindHostSecrets } from '../hosts/host-secret-binding';
import { hostColumns, type HostWriteInput } from '../hosts/host-write';
import { CsvSyntaxError, parseCsv } from './csv';
import {
  csvCellsToObject,
  FEED_PATTERN,
  HOST_COLUMNS,
  ImportHostRow,
  parseFeed,
  SECRET_COLUMNS,
} from './host-import.row';

export const MAX_IMPORT_ROWS = 5000;

export interface RowError {
  /** CSV: line of the file (header = 1); JSON: position in the array, from 1. */
  row: number;
  /** The row's host name, when it has one: people find their row by name, not by line number. */
  host: string | null;
  field: string;
  reason: string;
}

export interface ImportReport {
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  groupsCreated: string[];
}

/** A problem as the checks find it; the host name is added when the report is made. */
type RowProblem = Omit<RowError, 'host'>;

/** The `name` a row gives, if it gives a usable one. */
function nameOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const name = (value as { name?: unknown }).name;
  return typeof name === 'string' && name.trim() !== '' ? name.trim() : null;
}

interface ParsedRow {
  row: number;
  data: ImportHostRow;
}

/** The import was refused: nothing was written; every problem is listed by row and field. */
export class ImportRejectedError extends ApiError {
  public constructor(public readonly errors: RowError[]) {
    super(422, `${new Set(errors.map((e) => e.row)).size} row(s) have errors; nothing was imported`);
    const body = this.getResponse() as Record<string, unknown>;
    body.errors = errors;
  }
}

/**
 * Bulk import: all rows are checked (syntax, then references) before anything is written, then
 * written in one transaction. Hosts are matched by name: a known name updates that host (its
 * credentials only when the row carries some), an unknown one creates it. Unknown groups are
 * created; unknown policies and UPSes are errors. Credentials and host keys follow the API's
 * rules: only admins write them, and a row that moves a host (address, SSH port, key) drops the
 * credentials it does not carry itself.
 */
@Injectable()
export class HostImportService {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly reader: HostReader,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly targets: TargetNetworks,
  ) {}

  public async import(body: unknown, contentType: string, dryRun: boolean, ctx: AuditContext): Promise<ImportReport> {
    const rows = this.parse(body, contentType);
    const hostNames = new Map(rows.map(({ row, value }) => [row, nameOf(value)]));
    const errors: RowProblem[] = [];
    const parsed: ParsedRow[] = [];
    // Rows with syntax errors still get their references checked: one report lists everything.
    const checked: ParsedRow[] = [];
    for (const { row, value } of rows) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        errors.push({ row, field: '(row)', reason: 'must be an object with the host columns' });
        continue;
      }
      const data = plainToInstance(ImportHostRow, value);
      const problems = validateSync(data, {
        whitelist: true,
        forbidNonWhitelisted: true,
        stopAtFirstError: true,
        forbidUnknownValues: true,
      });
      checked.push({ row, data });
      if (problems.length > 0) for (const f of flattenValidationErrors(problems)) errors.push({ row, ...f });
      else parsed.push({ row, data });
    }
    const withSecrets = parsed.filter(
      ({ data }) => writtenFields({ ...data }, ['password', 'privateKey', 'hostKeyFingerprint']).length > 0,
    );
    if (withSecrets.length > 0 && ctx.role !== 'admin') {
      const fields = [
        ...new Set(
          withSecrets.flatMap(({ data }) =>
            writtenFields({ ...data }, ['password', 'privateKey', 'hostKeyFingerprint']),
          ),
        ),
      ];
      const rowList = withSecrets
        .slice(0, 10)
        .map((r) => r.row)
        .join(', ');
      assertAdminWrites(
        ctx.role ?? null,
        fields,
        ` (rows ${rowList}${withSecrets.length > 10 ? ', …' : ''})`,
        ': import without those columns, or as an admin',
      );
    }
    // ALLOWED_TARGET_NETWORKS: each distinct address checked (and resolved) once.
    const refusals = new Map<string, Promise<string | null>>();
    for (const { row, data } of parsed) {
      if (!refusals.has(data.address)) refusals.set(data.address, targetRefusal(this.targets, data.address));
      const reason = await refusals.get(data.address);
      if (reason) errors.push({ row, field: 'address', reason });
    }
    const seen = new Map<string, number>();
    for (const { row, data } of parsed) {
      const first = seen.get(data.name);
      if (first !== undefined) errors.push({ row, field: 'name', reason: `"${data.name}" is also on row ${first}` });
      else seen.set(data.name, row);
    }

    return this.prisma.$transaction(
      async (tx) => {
        const resolved = await this.resolve(tx, checked, errors);
        if (errors.length > 0) {
          const named = errors.map((e) => ({ ...e, host: hostNames.get(e.row) ?? null }));
          throw new ImportRejectedError(named.sort((a, b) => a.row - b.row)); // stable: field order kept
        }
        const existing = new Map(
          (
            await tx.host.findMany({
              where: { name: { in: parsed.map((p) => p.data.name) } },
              select: { id: true, name: true },
            })
          ).map((h) => [h.name, h.id]),
        );
        const report: ImportReport = {
          dryRun,
          rows: parsed.length,
          created: parsed.filter((p) => !existing.has(p.data.name)).length,
          updated: parsed.filter((p) => existing.has(p.data.name)).length,
          groupsCreated: resolved.newGroups,
        };
        if (dryRun) return report;
        await this.write(tx, parsed, resolved, existing, ctx);
        return report;
      },
      { timeout: 120_000, maxWait: 10_000 },
    );
  }

  private parse(body: unknown, contentType: string): { row: number; value: unknown }[] {
    let rows: { row: number; value: unknown }[];
    if (/^text\/(csv|plain)/i.test(contentType)) {
      if (typeof body !== 'string') throw ApiError.badRequest('expected a CSV body');
      rows = this.parseCsvBody(body);
    } else if (/^application\/json/i.test(contentType)) {
      const list = Array.isArray(body) ? body : (body as { hosts?: unknown } | undefined)?.hosts;
      if (!Array.isArray(list))
        throw ApiError.fields(400, [
          { field: '(body)', reason: 'must be a JSON array of hosts (or {"hosts": [...]})' },
        ]);
      rows = list.map((value: unknown, i) => ({ row: i + 1, value }));
    } else {
      throw new ApiError(415, 'send the hosts as application/json (array) or text/csv');
    }
    if (rows.length === 0) throw ApiError.fields(400, [{ field: '(body)', reason: 'contains no host' }]);
    if (rows.length > MAX_IMPORT_ROWS)
      throw ApiError.fields(413, [{ field: '(body)', reason: `more than ${MAX_IMPORT_ROWS} hosts: split the import` }]);
    return rows;
  }

  private parseCsvBody(text: string): { row: number; value: unknown }[] {
    let records;
    try {
      records = parseCsv(text);
    } catch (error) {
      if (error instanceof CsvSyntaxError)
        throw ApiError.fields(400, [{ field: `line ${error.line}`, reason: error.message }]);
      throw error;
    }
    const [head, ...data] = records;
    if (!head) throw ApiError.fields(400, [{ field: '(body)', reason: 'contains no header line' }]);
    const header = head.cells.map((c) => c.trim());
    const known = new Set<string>([...HOST_COLUMNS, ...SECRET_COLUMNS]);
    const unknown = header.filter((c) => !known.has(c));
    const missing = ['name', 'address'].filter((c) => !header.includes(c));
    if (unknown.length > 0 || missing.length > 0) {
      throw ApiError.fields(400, [
        ...unknown.map((c) => ({
          field: `header.${c}`,
          reason: `is not a known column (known: ${[...known].join(', ')})`,
        })),
        ...missing.map((c) => ({ field: `header.${c}`, reason: 'is a required column' })),
      ]);
    }
    return data.map((r) => ({ row: r.line, value: csvCellsToObject(header, r.cells) }));
  }

  private async resolve(
    tx: Prisma.TransactionClient,
    rows: ParsedRow[],
    errors: RowProblem[],
  ): Promise<{
    groups: Map<string, string | null>;
    policies: Map<string, string>;
    ups: Map<string, string>;
    newGroups: string[];
  }> {
    const groups = new Map<string, string | null>(
      (await tx.hostGroup.findMany({ select: { id: true, name: true } })).map((g) => [g.name, g.id]),
    );
    const policies = new Map(
      (await tx.policy.findMany({ select: { id: true, name: true } })).map((p) => [p.name, p.id]),
    );
    const ups = await upsDirectory(tx);
    const newGroups = new Set<string>();
    for (const { row, data } of rows) {
      if (typeof data.group === 'string' && !groups.has(data.group)) newGroups.add(data.group);
      if (typeof data.policy === 'string' && !policies.has(data.policy))
        errors.push({ row, field: 'policy', reason: `no policy named "${data.policy}"` });
      const feedUps = new Set<string>();
      const feeds: unknown[] = Array.isArray(data.feeds) ? data.feeds : [];
      feeds.forEach((feed, i) => {
        if (typeof feed !== 'string' || !FEED_PATTERN.test(feed)) return; // already reported
        const { ups: address, powerValue } = parseFeed(feed);
        if (!ups.has(address)) errors.push({ row, field: `feeds[${i}]`, reason: `no UPS ${address}` });
        else if (feedUps.has(address)) errors.push({ row, field: `feeds[${i}]`, reason: `${address} is listed twice` });
        if (powerValue < 1 || powerValue > 100)
          errors.push({ row, field: `feeds[${i}]`, reason: 'power value must be from 1 to 100' });
        feedUps.add(address);
      });
    }
    for (const name of newGroups) groups.set(name, null);
    return { groups, policies, ups, newGroups: [...newGroups].sort() };
  }

  private async write(
    tx: Prisma.TransactionClient,
    rows: ParsedRow[],
    resolved: {
      groups: Map<string, string | null>;
      policies: Map<string, string>;
      ups: Map<string, string>;
      newGroups: string[];
    },
    existing: Map<string, string>,
    ctx: AuditContext,
  ): Promise<void> {
    const records: AuditRecord[] = [];
    for (const name of resolved.newGroups) {
      const group = await tx.hostGroup.create({ data: { name } });
      resolved.groups.set(name, group.id);
      records.push({
        action: 'group.create',
        resourceType: 'group',
        resourceId: group.id,
        after: { id: group.id, name, via: 'host import' },
      });
    }
    const updatedIds = rows.map((r) => existing.get(r.data.name)).filter((id): id is string => id !== undefined);
    if (updatedIds.length > 0)
      await tx.$queryRaw`SELECT 1 FROM "Host" WHERE id IN (${Prisma.join(updatedIds.map((id) => Prisma.sql`${id}::uuid`))}) FOR UPDATE`;
    const before = await this.reader.views(updatedIds, tx);
    const ids: string[] = [];
    const creates: Prisma.HostCreateManyInput[] = [];
    const credentialAudit = new Map<string, Record<string, string>>();
    for (const { data } of rows) {
      const id = existing.get(data.name) ?? randomUUID();
      ids.push(id);
      // A row that moves an existing host drops the credentials it does not carry.
      const binding = bindHostSecrets(before.get(id) ?? null, this.toWriteInput(data, resolved));
      if (Object.keys(binding.audit).length > 0) credentialAudit.set(id, binding.audit);
      const columns = hostColumns(id, binding.input, this.config.secretKey);
      if (existing.has(data.name)) await tx.host.update({ where: { id }, data: columns });
      else creates.push({ id, ...(columns as Prisma.HostCreateManyInput) });
    }
    if (creates.length > 0) await tx.host.createMany({ data: creates });
    // Feeds: replaced for every imported host that lists them (an empty list clears them).
    const feedRows: Prisma.PowerFeedCreateManyInput[] = [];
    const withFeeds: string[] = [];
    rows.forEach(({ data }, i) => {
      if (data.feeds === undefined) return;
      const hostId = ids[i] as string;
      withFeeds.push(hostId);
      for (const feed of data.feeds) {
        const { ups, powerValue } = parseFeed(feed);
        feedRows.push({ hostId, upsId: resolved.ups.get(ups) as string, powerValue });
      }
    });
    if (withFeeds.length > 0) await tx.powerFeed.deleteMany({ where: { hostId: { in: withFeeds } } });
    if (feedRows.length > 0) await tx.powerFeed.createMany({ data: feedRows });
    const after = await this.reader.views(ids, tx);
    for (const id of ids) {
      const prior = before.get(id);
      records.push({
        action: prior ? 'host.import.update' : 'host.import.create',
        resourceType: 'host',
        resourceId: id,
        ...(prior ? { before: prior } : {}),
        after: { ...after.get(id), ...credentialAudit.get(id) },
      });
    }
    await this.audit.recordMany(tx, ctx, records);
  }

  private toWriteInput(
    data: ImportHostRow,
    resolved: { groups: Map<string, string | null>; policies: Map<string, string> },
  ): HostWriteInput {
    const input: HostWriteInput = { name: data.name, address: data.address };
    const copy = [
      'sshPort',
      'username',
      'password',
      'privateKey',
      'hostKeyFingerprint',
      'macAddresses',
      'wolBroadcast',
      'wolPort',
      'tags',
      'shutdownStage',
      'restartWave',
      'minSupplies',
    ] as const;
    for (const key of copy) if (data[key] !== undefined) (input as Record<string, unknown>)[key] = data[key];
    if (data.group !== undefined) input.groupId = resolved.groups.get(data.group) ?? null;
    if (data.policy !== undefined) input.policyId = resolved.policies.get(data.policy) ?? null;
    return input;
  }
}
