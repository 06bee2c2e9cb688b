/**
 * Pure: turns rows of the event sources (power events, plans, host events) into notification
 * messages. Each draft has a dedupKey naming its source row, so whichever replica sees the row
 * first creates the delivery and every other sighting is a no-op.
 */
import { feedsSentence, nameList, type NotificationMessage } from '@nutfleet/notify';

export interface NotificationDraft {
  dedupKey: string;
  message: NotificationMessage;
}

export interface PowerEventSource {
  id: bigint;
  type: string;
  upsId: string | null;
  status: string | null;
  previousStatus: string | null;
  receivedAt: Date;
  /** `name@host:port`, or null when the UPS is gone. */
  upsAddress: string | null;
  charge: string | null;
  runtime: string | null;
  /** Names of the hosts the UPS feeds. */
  hosts: readonly string[];
}

const flagsOf = (status: string | null): Set<string> => new Set((status ?? '').split(/\s+/).filter(Boolean));

export function powerEventDrafts(e: PowerEventSource): NotificationDraft[] {
  const ups = e.upsAddress ?? 'a removed UPS';
  const base = { at: e.receivedAt.toISOString(), refs: e.upsId === null ? {} : { upsId: e.upsId } };
  const fields = [
    { label: 'UPS', value: ups },
    ...(e.status === null ? [] : [{ label: 'Status', value: e.status }]),
    ...(e.charge === null ? [] : [{ label: 'Battery charge', value: `${e.charge} %` }]),
    ...(e.runtime === null ? [] : [{ label: 'Runtime left', value: `${e.runtime} s` }]),
    { label: 'Hosts fed', value: nameList(e.hosts) },
  ];
  const feeds = e.upsAddress === null ? '' : ` ${feedsSentence(e.hosts)}`;
  const key = (suffix: string): string => `power-event:${e.id}:${suffix}`;
  if (e.type === 'COMM_LOST') {
    return [
      {
        dedupKey: key('comm-lost'),
        message: {
          ...base,
          eventType: 'ups.comm-lost',
          severity: 'WARNING',
          title: `Communication lost with UPS ${ups}`,
          text: `The NUT server stopped answering for ${ups}. Communication loss alone never shuts hosts down while the UPS was last seen on line power.${feeds}`,
          fields,
        },
      },
    ];
  }
  if (e.type === 'COMM_RESTORED') {
    return [
      {
        dedupKey: key('comm-restored'),
        message: {
          ...base,
          eventType: 'ups.comm-restored',
          severity: 'INFO',
          title: `Communication restored with UPS ${ups}`,
          text: `The NUT server answers again for ${ups}.${feeds}`,
          fields,
        },
      },
    ];
  }
  if (e.type !== 'STATUS_CHANGE') return [];
  const now = flagsOf(e.status);
  const before = flagsOf(e.previousStatus);
  const drafts: NotificationDraft[] = [];
  if (now.has('LB') && !before.has('LB')) {
    drafts.push({
      dedupKey: key('low-battery'),
      message: {
        ...base,
        eventType: 'ups.low-battery',
        severity: 'CRITICAL',
        title: `UPS ${ups} reports LOW BATTERY`,
        text: `${ups} is on battery and its battery is low: hosts it feeds are shut down according to their policies.${feeds}`,
        fields,
      },
    });
  }
  if (now.has('OB') && !before.has('OB')) {
    drafts.push({
      dedupKey: key('on-battery'),
      message: {
        ...base,
        eventType: 'ups.on-battery',
        severity: 'WARNING',
        title: `UPS ${ups} is on battery`,
        text: `Mains power to ${ups} failed; it runs on battery. Shutdown plans start when a host's policy triggers.${feeds}`,
        fields,
      },
    });
  }
  if (now.has('OL') && before.has('OB')) {
    drafts.push({
      dedupKey: key('on-line'),
      message: {
        ...base,
        eventType: 'ups.on-line',
        severity: 'INFO',
        title: `Power restored on UPS ${ups}`,
        text: `${ups} is back on line power. Shutdown steps not started before the point of no return are cancelled.${feeds}`,
        fields,
      },
    });
  }
  return drafts;
}

export interface PlanSource {
  id: string;
  kind: 'SHUTDOWN' | 'RESTART' | 'ROLLOUT';
  mode: 'ARMED' | 'DRY_RUN';
  state: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  reason: string | null;
  createdBy: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  steps: number;
  failedSteps: number;
}

const KIND_LABEL: Record<PlanSource['kind'], string> = { SHUTDOWN: 'Shutdown', RESTART: 'Restart', ROLLOUT: 'Rollout' };

export function planCreatedDraft(p: PlanSource): NotificationDraft | null {
  if (p.kind === 'ROLLOUT') return null;
  const mode = p.mode === 'ARMED' ? 'armed' : 'dry-run';
  return {
    dedupKey: `plan:${p.id}:created`,
    message: {
      eventType: 'plan.created',
      // An armed shutdown powers hosts off: people need to know now. A dry run only reads.
      severity: p.mode === 'ARMED' && p.kind === 'SHUTDOWN' ? 'CRITICAL' : 'INFO',
      title: `${KIND_LABEL[p.kind]} plan started (${mode}, ${p.steps} steps)`,
      text: `${KIND_LABEL[p.kind]} plan ${p.id} was created${p.createdBy === null ? '' : ` by ${p.createdBy}`}: ${p.reason ?? 'no reason given'}.`,
      fields: planFields(p, mode),
      at: p.createdAt.toISOString(),
      refs: { planId: p.id },
    },
  };
}

/**
 * `reportUrl`: where the plan's report opens (see planReportUrl); shutdown and restart plans
 * carry it as a field every channel shows.
 */
export function planFinishedDraft(p: PlanSource, reportUrl?: string): NotificationDraft | null {
  if (p.finishedAt === null || (p.state !== 'SUCCEEDED' && p.state !== 'FAILED' && p.state !== 'CANCELLED'))
    return null;
  const mode = p.mode === 'ARMED' ? 'armed' : 'dry-run';
  const rollout = p.kind === 'ROLLOUT';
  if (rollout && p.state === 'CANCELLED') return null;
  const eventType = rollout
    ? p.state === 'SUCCEEDED'
      ? 'rollout.succeeded'
      : 'rollout.failed'
    : p.state === 'SUCCEEDED'
      ? 'plan.succeeded'
      : p.state === 'FAILED'
        ? 'plan.failed'
        : 'plan.cancelled';
  const verb = p.state === 'SUCCEEDED' ? 'finished' : p.state === 'FAILED' ? 'FAILED' : 'was cancelled';
  const report = rollout || reportUrl === undefined ? [] : [{ label: 'Report', value: reportUrl }];
  return {
    dedupKey: `plan:${p.id}:finished`,
    message: {
      eventType,
      severity: p.state === 'FAILED' ? 'CRITICAL' : 'INFO',
      title: `${KIND_LABEL[p.kind]} plan ${verb} (${mode})`,
      text: `${KIND_LABEL[p.kind]} plan ${p.id} ${verb}${p.failedSteps > 0 ? ` with ${p.failedSteps} failed step(s)` : ''}: ${p.reason ?? 'no reason given'}.${report.length > 0 ? ` Report: ${reportUrl}` : ''}`,
      fields: [...planFields(p, mode), ...report],
      at: p.finishedAt.toISOString(),
      refs: { planId: p.id },
    },
  };
}

function planFields(p: PlanSource, mode: string): NotificationMessage['fields'] {
  return [
    { label: 'Plan', value: p.id },
    { label: 'Mode', value: mode },
    { label: 'State', value: p.state },
    { label: 'Steps', value: String(p.steps) },
    ...(p.failedSteps > 0 ? [{ label: 'Failed steps', value: String(p.failedSteps) }] : []),
  ];
}

export interface HostEventSource {
  id: bigint;
  type: string;
  hostId: string;
  hostName: string;
  message: string;
  at: Date;
}

export function hostEventDraft(e: HostEventSource): NotificationDraft | null {
  if (e.type !== 'HOST_KEY_MISMATCH') return null;
  return {
    dedupKey: `host-event:${e.id}`,
    message: {
      eventType: 'host.key-mismatch',
      severity: 'CRITICAL',
      title: `SSH host key of ${e.hostName} changed`,
      text: `${e.message} nutfleet no longer connects to this host until an administrator accepts the new key: it cannot be shut down automatically.`,
      fields: [{ label: 'Host', value: e.hostName }],
      at: e.at.toISOString(),
      refs: { hostId: e.hostId },
    },
  };
}

export function testDraft(channelName: string, actor: string, now: Date, nonce: string): NotificationDraft {
  return {
    dedupKey: `test:${nonce}`,
    message: {
      eventType: 'test',
      severity: 'INFO',
      title: `nutfleet test notification for ${channelName}`,
      text: `This is a test sent by ${actor}. If you read this, the channel works.`,
      fields: [{ label: 'Channel', value: channelName }],
      at: now.toISOString(),
      refs: {},
    },
  };
}
