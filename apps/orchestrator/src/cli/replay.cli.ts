// npm run replay -- FILE [--summary]
// npm run replay -- --from <ISO time> --to <ISO time> [--override '<policy JSON>'] [--summary]
// Runs a what-if: UPS timelines and a fleet (a JSON file in the format of the README's "Replay"
// section), or what the monitor recorded between two instants with the current inventory and its
// policies (optionally overridden), through the same monitor semantics, decision engine, outage
// lifecycle and plan builder as the live product. Prints the result as JSON (or a summary).
import { readFileSync } from 'node:fs';

import { loadConfigOrExit } from '@nutfleet/config';
import { createPrismaClient } from '@nutfleet/db';
import { parseReplayInput, PowerInputError, type ReplayInput, type ReplayOutput, runReplay } from '@nutfleet/power';

import { loadRecordedReplayInput, RecordedRangeError } from '../plans/replay/recorded-replay.loader';
import { CliUsageError, loadDotEnv, parseCliOptions } from './cli-args';

const USAGE =
  'usage: npm run replay -- FILE [--summary]\n       npm run replay -- --from <ISO> --to <ISO> [--override <policy JSON>] [--summary]';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const summary = args.includes('--summary');
  const rest = args.filter((a) => a !== '--summary');
  const file = rest[0] !== undefined && !rest[0].startsWith('--') ? rest[0] : undefined;
  const input = file !== undefined ? fromFile(file, rest.slice(1)) : await fromRecording(rest);
  const output = runReplay(input);
  process.stdout.write(summary ? summaryText(output) : `${JSON.stringify(output, null, 2)}\n`);
}

function fromFile(file: string, extra: readonly string[]): ReplayInput {
  if (extra.length > 0) throw new CliUsageError(`unexpected argument "${extra[0] ?? ''}" after the file`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliUsageError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseReplayInput(json);
}

async function fromRecording(argv: readonly string[]): Promise<ReplayInput> {
  const options = parseCliOptions(argv, ['from', 'to', 'override']);
  const from = new Date(options.get('from') ?? '');
  const to = new Date(options.get('to') ?? '');
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()))
    throw new CliUsageError('--from and --to must be ISO times (e.g. 2026-12-04T06:00:00Z)');
  const override = options.get('override');
  let policyOverrides: object | undefined;
  if (override !== undefined) {
    try {
      policyOverrides = JSON.parse(override) as object;
    } catch {
      throw new CliUsageError('--override must be JSON, e.g. \'{"triggers":{"onBatterySeconds":120}}\'');
    }
  }
  loadDotEnv();
  const config = loadConfigOrExit('replay');
  const prisma = createPrismaClient({ databaseUrl: config.databaseUrl, maxConnections: 2 });
  try {
    const recorded = await loadRecordedReplayInput(prisma, {
      from,
      to,
      ...(policyOverrides !== undefined ? { policyOverrides } : {}),
      pollIntervalMs: config.powerMonitor.pollIntervalMs,
      commLossReportSeconds: config.powerMonitor.commLossReportMs / 1000,
    });
    // Validated like a file: the same limits and messages.
    return parseReplayInput(JSON.parse(JSON.stringify(recorded)));
  } finally {
    await prisma.$disconnect();
  }
}

function summaryText(output: ReplayOutput): string {
  const lines: string[] = [];
  for (const o of output.outages)
    lines.push(
      `outage ${o.openedAt} s → ${o.closedAt === null ? 'open' : `${o.closedAt} s (${o.closeReason ?? ''})`}: ${o.upsIds.join(', ')}`,
    );
  for (const h of output.hosts) {
    if (h.criticalAt === null) {
      lines.push(`${h.name}: never critical`);
      continue;
    }
    const why = h.reasons.filter((r) => r.code !== 'SUPPLIES_INSUFFICIENT').map((r) => r.message);
    lines.push(
      `${h.name}: critical at ${h.criticalAt} s, poweroff ${h.powerOffAt === null ? 'not sent' : `at ${h.powerOffAt} s`} (${h.steps.length} step(s)); ${why.join('; ')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

main().catch((error: unknown) => {
  if (error instanceof CliUsageError) {
    console.error(`replay: ${error.message}\n${USAGE}`);
    process.exit(2);
  }
  if (error instanceof PowerInputError || error instanceof RecordedRangeError) {
    console.error(`replay: ${error.message}`);
    process.exit(2);
  }
  console.error(`replay failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
