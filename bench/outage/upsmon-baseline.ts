/**
 * The stock upsmon baseline: Debian's NUT 2.8.0 upsmon configured like the NutClient-ESXi VIB
 * (POLLFREQ 5, POLLFREQALERT 5, FINALDELAY 5, DEADTIME 15), as the one primary of the UPS (it
 * sets FSD when the UPS turns critical), with a SHUTDOWNCMD that only writes a timestamp.
 *
 * Why this is the fair counterpart of nutfleet's "first shutdown command": on each ESXi host the
 * VIB's upsmon is what starts the host's shutdown. From the moment the UPS says OB LB it (1) sees
 * LB at its next poll (0–5 s later), (2) declares the UPS critical, sets FSD on upsd and — being
 * the only client logged in, no secondary to wait for — (3) sleeps FINALDELAY (5 s), then (4)
 * runs SHUTDOWNCMD, the script whose first action is the first shutdown command. The timestamp
 * written as SHUTDOWNCMD's first action is thus a lower bound of upsmon's first shutdown command.
 *
 * NUT 2.8.0 runs one upsmon per machine (its PID file path is compiled in), so the runs are
 * sequential, each with a fresh upsmon flipped at a random phase of its 5 s poll cycle: the
 * distribution over runs is the distribution over a fleet of hosts whose upsmons poll out of
 * phase. upsd is restarted between runs to clear the FSD flag the previous run set.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type NutTestbed, waitFor } from '@nutfleet/testing';

import { UPSMON, UpsmonProcess } from '../common/upsmon-process';
import { watchStatusServed } from './status-served-watch';

const POLLFREQ_S = 5;
const FINALDELAY_S = 5;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface UpsmonRun {
  /** upsd first serves OB LB → SHUTDOWNCMD's timestamp (the same zero as nutfleet's). */
  readonly reactionMs: number;
  /** Data file changed → SHUTDOWNCMD's timestamp (adds dummy-ups' pickup of the file). */
  readonly fromFileChangeMs: number;
  /** upsd first serves OB LB → upsmon's LOWBATT notification (LB seen at a poll). */
  readonly lowBatterySeenMs: number | undefined;
}

export const UPSMON_DESCRIPTION =
  `${UPSMON} (NUT 2.8.0), MONITOR … 1 admin … primary, POLLFREQ ${POLLFREQ_S}, POLLFREQALERT ${POLLFREQ_S}, ` +
  `FINALDELAY ${FINALDELAY_S}, DEADTIME 15, HOSTSYNC 15, SHUTDOWNCMD = timestamping script`;

/** Runs upsmon `runs` times against `ups` of `bed`; the UPS must be OL and nothing else logged in. */
export async function runUpsmonBaseline(
  bed: NutTestbed,
  ups: string,
  runs: number,
  log: (line: string) => void,
): Promise<UpsmonRun[]> {
  const results: UpsmonRun[] = [];
  for (let run = 0; run < runs; run += 1) {
    const dir = mkdtempSync(join(tmpdir(), 'nfbench-upsmon-'));
    const upsmon = new UpsmonProcess(dir);
    try {
      upsmon.start(upsmonConfig(dir, bed, ups));
      // upsmon polls at start, then every POLLFREQ: flip at a random phase of its cycle.
      await sleep(1500 + Math.random() * POLLFREQ_S * 1000);
      if (!upsmon.running) throw new Error(`upsmon exited early:\n${upsmon.output}`);
      const watch = await watchStatusServed(bed, ups, (status) => status.split(' ').includes('LB'));
      const fileChangedAt = Date.now();
      bed.setStatus(ups, 'OB LB');
      const changedAt = await watch.servedAt;
      await waitFor('upsmon SHUTDOWNCMD', () => Promise.resolve(shutdownAt(dir) !== undefined), 30_000, 50);
      const reactionMs = (shutdownAt(dir) ?? 0) - changedAt;
      const lowBattery = upsmon.notifications().find((n) => n.type === 'LOWBATT')?.at;
      results.push({
        reactionMs,
        fromFileChangeMs: (shutdownAt(dir) ?? 0) - fileChangedAt,
        lowBatterySeenMs: lowBattery === undefined ? undefined : lowBattery - changedAt,
      });
      log(
        `  upsmon run ${run + 1}/${runs}: LB seen after ${fmt(lowBattery === undefined ? undefined : lowBattery - changedAt)}, ` +
          `SHUTDOWNCMD after ${fmt(reactionMs)}`,
      );
    } finally {
      await upsmon.stop();
      rmSync(dir, { recursive: true, force: true });
      bed.setStatus(ups, 'OL');
      // The run's FSD flag lives in upsd's memory until it restarts.
      await bed.restartUpsd();
      await bed.waitForVariable(ups, 'ups.status', 'OL', 15_000);
    }
  }
  return results;
}

function fmt(ms: number | undefined): string {
  return ms === undefined ? '?' : `${(ms / 1000).toFixed(2)} s`;
}

/** A primary configured like the VIB; its SHUTDOWNCMD writes a timestamp (ns) as its first action. */
function upsmonConfig(dir: string, bed: NutTestbed, ups: string): string[] {
  const shutdown = join(dir, 'shutdown.sh');
  // A real one would stop VMs next.
  writeFileSync(shutdown, `#!/bin/sh\ndate +%s.%N > ${stampFile(dir)}\n`);
  chmodSync(shutdown, 0o755);
  return [
    `MONITOR ${ups}@${bed.host}:${bed.port} 1 ${bed.admin.username} ${bed.admin.password} primary`,
    'MINSUPPLIES 1',
    `SHUTDOWNCMD "${shutdown}"`,
    'NOTIFYFLAG ONBATT EXEC',
    'NOTIFYFLAG LOWBATT EXEC',
    'NOTIFYFLAG FSD EXEC',
    'NOTIFYFLAG SHUTDOWN EXEC',
    `POLLFREQ ${POLLFREQ_S}`,
    `POLLFREQALERT ${POLLFREQ_S}`,
    'HOSTSYNC 15',
    'DEADTIME 15',
    `FINALDELAY ${FINALDELAY_S}`,
  ];
}

function stampFile(dir: string): string {
  return join(dir, 'shutdown.stamp');
}

/** When SHUTDOWNCMD ran (epoch ms), once it has. */
function shutdownAt(dir: string): number | undefined {
  if (!existsSync(stampFile(dir))) return undefined;
  const stamp = Number(readFileSync(stampFile(dir), 'utf8').trim());
  return Number.isFinite(stamp) && stamp > 0 ? Math.round(stamp * 1000) : undefined;
}
