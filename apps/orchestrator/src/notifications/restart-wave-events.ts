/** Pure: a restart plan's wave as "started" (its gate opened) and "finished" notifications. */
import { type RestartWaveRow, RESTART_GATE_ACTION } from '@nutfleet/plan';
import { nameList } from '@nutfleet/notify';

import { type NotificationDraft } from './notification-events';

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED']);

interface HostOutcome {
  name: string;
  outcome: 'back' | 'failed' | 'cancelled';
  error: string | null;
}

/** Per host of the wave: back (every step done or skipped), failed (a step failed), or cancelled. */
function hostOutcomes(wave: RestartWaveRow): HostOutcome[] {
  const byHost = new Map<string, HostOutcome>();
  for (const step of wave.steps) {
    if (step.action === RESTART_GATE_ACTION || step.hostName === null) continue;
    const host = byHost.get(step.hostName) ?? { name: step.hostName, outcome: 'back', error: null };
    if (step.state === 'FAILED') {
      host.outcome = 'failed';
      host.error ??= step.error;
    } else if (step.state === 'CANCELLED' && host.outcome === 'back') host.outcome = 'cancelled';
    byHost.set(step.hostName, host);
  }
  return [...byHost.values()];
}

function hostNames(wave: RestartWaveRow): string[] {
  return [
    ...new Set(
      wave.steps.filter((s) => s.action !== RESTART_GATE_ACTION && s.hostName !== null).map((s) => s.hostName ?? ''),
    ),
  ];
}

const modeLabel = (wave: RestartWaveRow): string => (wave.mode === 'ARMED' ? '' : ' (dry-run)');

/** The wave's gate opened: its hosts are being woken. Null while the gate is closed. */
export function restartWaveStartedDraft(wave: RestartWaveRow): NotificationDraft | null {
  const gate = wave.steps.find((s) => s.action === RESTART_GATE_ACTION);
  if (gate?.state !== 'SUCCEEDED' || gate.finishedAt === null) return null;
  const hosts = hostNames(wave);
  return {
    dedupKey: `plan:${wave.planId}:wave:${wave.wave}:started`,
    message: {
      eventType: 'restart.wave-started',
      severity: 'INFO',
      title: `Restart wave ${wave.wave} started${modeLabel(wave)}: waking ${hosts.length} host(s)`,
      text: `The power gate of wave ${wave.wave} opened: nutfleet wakes ${nameList(hosts)} and waits for each to answer.`,
      fields: [
        { label: 'Plan', value: wave.planId },
        { label: 'Wave', value: String(wave.wave) },
        { label: 'Hosts', value: nameList(hosts) },
      ],
      at: gate.finishedAt.toISOString(),
      refs: { planId: wave.planId },
    },
  };
}

/** Every step of the wave has finished: which hosts are back, which failed and why. */
export function restartWaveFinishedDraft(wave: RestartWaveRow): NotificationDraft | null {
  if (wave.steps.length === 0 || !wave.steps.every((s) => TERMINAL.has(s.state))) return null;
  const hosts = hostOutcomes(wave);
  const back = hosts.filter((h) => h.outcome === 'back');
  const failed = hosts.filter((h) => h.outcome === 'failed');
  const cancelled = hosts.filter((h) => h.outcome === 'cancelled');
  const finishedAt = Math.max(...wave.steps.map((s) => s.finishedAt?.getTime() ?? 0));
  return {
    dedupKey: `plan:${wave.planId}:wave:${wave.wave}:finished`,
    message: {
      eventType: 'restart.wave-finished',
      severity: failed.length > 0 ? 'WARNING' : 'INFO',
      title: `Restart wave ${wave.wave} finished${modeLabel(wave)}: ${back.length} of ${hosts.length} host(s) back`,
      text: [
        `Wave ${wave.wave} is done.`,
        back.length > 0 ? `Back: ${nameList(back.map((h) => h.name))}.` : '',
        failed.length > 0
          ? `Failed: ${failed
              .slice(0, 10)
              .map((h) => `${h.name}${h.error === null ? '' : ` (${h.error.slice(0, 120)})`}`)
              .join('; ')}${failed.length > 10 ? ` and ${failed.length - 10} more` : ''}.`
          : '',
        cancelled.length > 0 ? `Cancelled: ${nameList(cancelled.map((h) => h.name))}.` : '',
      ]
        .filter(Boolean)
        .join(' '),
      fields: [
        { label: 'Plan', value: wave.planId },
        { label: 'Wave', value: String(wave.wave) },
        { label: 'Back', value: nameList(back.map((h) => h.name)) },
        ...(failed.length > 0 ? [{ label: 'Failed', value: nameList(failed.map((h) => h.name)) }] : []),
        ...(cancelled.length > 0 ? [{ label: 'Cancelled', value: nameList(cancelled.map((h) => h.name)) }] : []),
      ],
      at: new Date(finishedAt).toISOString(),
      refs: { planId: wave.planId },
    },
  };
}
