import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

import { loadConfigOrExit } from '@nutfleet/config';
import { createPrismaClient, type PrismaClientWithPool } from '@nutfleet/db';
import { planReportUrl, PlanStore } from '@nutfleet/plan';

import { compareDemoWithReplay } from './demo-replay.check';
import { readDemoState } from './demo-state';
import {
  formatTimeline,
  type GateDecision,
  gateEntries,
  restartEntries,
  shutdownEntries,
  type TimelineEntry,
  type TimelineStep,
  wakeOrder,
} from './demo-timeline';

/**
 * `npm run demo:outage` (scripts/demo-outage.mjs prepares like `npm start`, then runs this): plays
 * a whole outage against the demo (started with `npm start` if it is not running): both UPSes on
 * battery, then low battery → the planned shutdown; power back with a low charge that rises → the
 * gated restart, wave by wave. Prints the timeline.
 */
const say = (line: string): void => void process.stdout.write(`[demo:outage] ${line}\n`);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const root = process.cwd();
/**
 * Aborted when the demo this run started can no longer come (it failed to start, there is no demo
 * inventory, `npm start` exited): every wait stops at once with the reason instead of running
 * into its timeout (10 minutes for the start).
 */
const demoGone = new AbortController();

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs: number,
  everyMs = 500,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    demoGone.signal.throwIfAborted();
    const value = await probe().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

async function controlPort(databaseUrl: string): Promise<number | undefined> {
  const state = readDemoState(databaseUrl);
  if (!state) return undefined;
  const response = await fetch(`http://127.0.0.1:${state.controlPort}/health`).catch(() => undefined);
  return response?.ok ? state.controlPort : undefined;
}

async function setUps(port: number, ups: string, variables: Record<string, string>): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/ups/${ups}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(variables),
  });
  if (!response.ok)
    throw new Error(`demo control refused ${ups} ${JSON.stringify(variables)}: ${await response.text()}`);
}

async function main(): Promise<void> {
  // scripts/demo-outage.mjs (the npm script) has loaded .env, creating it as `npm start` would.
  // Read first: the demo's state file is per installation (its database).
  const config = loadConfigOrExit('demo:outage');
  let started: ChildProcess | undefined;
  if ((await controlPort(config.databaseUrl)) === undefined) {
    say('the demo is not running: starting it (npm start)...');
    started = spawn(process.execPath, [join(root, 'scripts/start.mjs')], {
      cwd: root,
      env: { ...process.env, LOG_FORMAT: process.env.LOG_FORMAT ?? 'json', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const gone = (why: string): void => {
      if (!demoGone.signal.aborted) demoGone.abort(new Error(why));
    };
    started.stdout?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (/^\[(nutfleet|demo)\]/.test(line)) say(line);
        if (/^\[demo\] no demo inventory/.test(line))
          gone('there is no demo inventory to play the outage on (a real fleet is configured, or NUTFLEET_DEMO=off)');
      }
    });
    started.stderr?.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      const failed = /^\[demo\] failed to start: (.*)$/m.exec(chunk.toString('utf8'));
      if (failed) gone(`the demo failed to start: ${failed[1] ?? ''}`);
    });
    started.once('exit', (code, signal) =>
      gone(`npm start exited (${signal ?? `exit ${code}`}) before the outage was played`),
    );
  }
  const stopStarted = async (): Promise<void> => {
    // Already exited: signalling its group would throw ESRCH over the error that ended the run.
    if (!started?.pid || started.exitCode !== null || started.signalCode !== null) return;
    const exited = new Promise((resolve) => started?.once('exit', resolve));
    process.kill(-started.pid, 'SIGINT');
    await Promise.race([exited, sleep(20_000)]);
  };
  try {
    const port = await waitFor('the demo to start', () => controlPort(config.databaseUrl), 10 * 60_000, 1000);
    if (!readDemoState(config.databaseUrl)?.nut)
      throw new Error('the demo runs without a NUT server (install nut-server): no outage can be played');
    const prisma = createPrismaClient({ databaseUrl: config.databaseUrl });
    try {
      await play(prisma, port, config.powerMonitor.pollIntervalMs, config.http.publicUrl);
    } finally {
      await prisma.$disconnect();
    }
  } finally {
    await stopStarted();
  }
}

async function play(
  prisma: PrismaClientWithPool,
  port: number,
  pollIntervalMs: number,
  publicUrl: string,
): Promise<void> {
  const plans = new PlanStore(prisma);
  const hosts = await prisma.host.findMany({
    where: { tags: { has: 'demo' } },
    include: { feeds: { include: { ups: true } } },
  });
  const upses = [...new Map(hosts.flatMap((h) => h.feeds.map((f) => [f.ups.id, f.ups] as const))).values()];
  const names = upses.map((u) => u.name).sort();
  say(`${hosts.length} demo hosts on ${names.join(', ')}; waiting for the monitor to read the UPSes on line...`);
  for (const ups of names)
    await setUps(port, ups, { 'ups.status': 'OL', 'battery.charge': '100', 'battery.runtime': '1800' });
  const since = new Date();
  await waitFor(
    'the power monitor to read every demo UPS on line',
    async () => {
      const rows = await prisma.ups.findMany({ where: { id: { in: upses.map((u) => u.id) } } });
      return rows.every((u) => u.commState === 'OK' && u.status === 'OL' && (u.lastSeenAt ?? new Date(0)) >= since);
    },
    120_000,
  );
  await waitFor(
    'the worker',
    async () => (await prisma.host.count({ where: { tags: { has: 'demo' }, trustState: 'TRUSTED' } })) === hosts.length,
    60_000,
  );
  await sleep(2000);

  const t0 = Date.now();
  say('power fails: every demo UPS on battery (OB DISCHRG)');
  for (const ups of names)
    await setUps(port, ups, { 'ups.status': 'OB DISCHRG', 'battery.charge': '80', 'battery.runtime': '900' });
  await sleep(4000);
  say('the batteries run low (OB LB): nutfleet shuts the fleet down');
  for (const ups of names)
    await setUps(port, ups, { 'ups.status': 'OB DISCHRG LB', 'battery.charge': '15', 'battery.runtime': '120' });
  const shutdown = await waitFor(
    'the automatic shutdown plan',
    () => plans.reads.firstCreatedSince('SHUTDOWN', new Date(t0)).then((p) => p ?? undefined),
    60_000,
  );
  const down = await waitFor(
    'the shutdown plan to finish',
    () =>
      plans.reads.find(shutdown.id).then((p) => (p && p.state !== 'PENDING' && p.state !== 'RUNNING' ? p : undefined)),
    180_000,
  );
  say(`shutdown plan ${down.state}`);

  // Runtime kept short of a second full shutdown (+ margin), so only the charge can open the battery gate.
  say('power returns (OL CHRG) with the batteries at 30 %: the restart waits for 50 % and 10 s of stable power');
  for (const ups of names)
    await setUps(port, ups, { 'ups.status': 'OL CHRG', 'battery.charge': '30', 'battery.runtime': '30' });
  const restart = await waitFor(
    'the automatic restart plan',
    () => plans.reads.firstCreatedSince('RESTART', new Date(t0)).then((p) => p ?? undefined),
    60_000,
  );
  let charge = 30;
  const finished = async (): Promise<boolean> => {
    const p = await plans.reads.find(restart.id);
    return p !== null && p.state !== 'PENDING' && p.state !== 'RUNNING';
  };
  const deadline = Date.now() + 240_000;
  while (!(await finished())) {
    demoGone.signal.throwIfAborted();
    if (Date.now() > deadline) throw new Error('the restart plan did not finish within 4 minutes');
    await sleep(3000);
    if (charge < 100) {
      charge = Math.min(100, charge + 5);
      for (const ups of names)
        await setUps(port, ups, { 'battery.charge': String(charge), 'battery.runtime': String(charge) });
    }
  }
  await printTimeline(prisma, plans, t0, [shutdown.id, restart.id], upses);
  // The replay of what was recorded must decide as the live product did: it is what an
  // administrator uses to try a policy against a past outage.
  const check = await compareDemoWithReplay(prisma, plans, shutdown.id, new Date(t0 - 5000), pollIntervalMs);
  if (check.differences.length === 0)
    say(
      `replay of the recorded outage (npm run replay -- --from --to): ${check.matching}/${check.hosts} hosts critical within one poll of the live decision, the same ${check.steps} steps`,
    );
  else say(`replay of the recorded outage differs: ${check.differences.join('; ')}`);
  // Each plan's report (the dashboard's page; sign in with the admin token npm start printed).
  say(`shutdown report: ${planReportUrl(publicUrl, shutdown.id)}`);
  say(`restart report: ${planReportUrl(publicUrl, restart.id)}`);
}

async function printTimeline(
  prisma: PrismaClientWithPool,
  plans: PlanStore,
  t0: number,
  [shutdownId, restartId]: [string, string],
  upses: ReadonlyArray<{ id: string; name: string }>,
): Promise<void> {
  const names = new Map(upses.map((u) => [u.id, u.name]));
  const power = await prisma.powerEvent.findMany({
    where: {
      upsId: { in: [...names.keys()] },
      type: { in: ['STATUS_CHANGE', 'COMM_LOST', 'COMM_RESTORED'] },
      receivedAt: { gte: new Date(t0) },
    },
    orderBy: { id: 'asc' },
  });
  const planEvents = await prisma.powerEvent.findMany({
    where: { planId: { in: [shutdownId, restartId] } },
    orderBy: { id: 'asc' },
  });
  const steps = async (planId: string): Promise<TimelineStep[]> =>
    ((await plans.reads.withSteps(planId))?.steps ?? []).map((s) => ({
      action: s.action,
      stage: s.stage,
      state: s.state,
      hostName: s.host?.name ?? null,
      startedAt: s.startedAt?.getTime() ?? null,
      finishedAt: s.finishedAt?.getTime() ?? null,
      error: s.error,
    }));
  const [down, up] = await Promise.all([steps(shutdownId), steps(restartId)]);
  const finished = (await Promise.all([shutdownId, restartId].map((id) => plans.reads.find(id)))).filter(
    (p): p is NonNullable<typeof p> => p !== null,
  );
  const entries: TimelineEntry[] = [
    ...power.map((e) => ({
      at: (e.observedAt ?? e.receivedAt).getTime(),
      text: `power     ${names.get(e.upsId ?? '') ?? '?'}: ${e.type === 'STATUS_CHANGE' ? `${e.previousStatus ?? '?'} → ${e.status ?? '?'}` : e.type}`,
    })),
    ...finished.map((p) => ({
      at: p.createdAt.getTime(),
      text: `plan      ${p.kind} plan created (${p.reason ?? ''})`,
    })),
    ...finished
      .filter((p) => p.finishedAt !== null)
      .map((p) => ({ at: p.finishedAt?.getTime() ?? 0, text: `plan      ${p.kind} plan finished: ${p.state}` })),
    ...shutdownEntries(down),
    ...gateEntries(
      planEvents
        .map((e) => e.data as { event?: string; wave?: number; open?: boolean; checks?: GateDecision['checks'] } | null)
        .map((d, i) => ({ d, at: planEvents[i]?.receivedAt.getTime() ?? 0 }))
        .filter(({ d }) => d?.event === 'restart-gate')
        .map(({ d, at }) => ({ at, wave: d?.wave ?? 0, open: d?.open === true, checks: d?.checks ?? [] })),
    ),
    ...restartEntries(up),
  ];
  // Decisions name UPSes and hosts by id: the timeline shows their names.
  const hostNames = await prisma.host.findMany({ where: { tags: { has: 'demo' } }, select: { id: true, name: true } });
  const named = [...names.entries(), ...hostNames.map((h) => [h.id, h.name] as const)];
  const readable = (line: string): string => named.reduce((text, [id, name]) => text.replaceAll(id, name), line);
  process.stdout.write(`\n=== nutfleet demo outage timeline (t0 = ${new Date(t0).toISOString()}) ===\n`);
  for (const line of formatTimeline(t0, entries)) process.stdout.write(`${readable(line)}\n`);
  const order = wakeOrder(up);
  const verified = up.filter((s) => s.action === 'verify-esxi' && s.state === 'SUCCEEDED').length;
  const woken = up.filter((s) => s.action === 'wake').length;
  process.stdout.write(
    `\nrestart waves in the order they were woken: ${order.join(' → ')}; ${verified}/${woken} hosts verified\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`[demo:outage] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
