/** The alert and recovery messages of a threshold, naming the UPS and the hosts it feeds. */
import { feedsSentence, nameList } from '../host-list';
import { type NotificationMessage, type NotificationSeverityName } from '../notification-message';
import {
  describeRule,
  formatReading,
  recoveryPoint,
  THRESHOLD_METRIC_INFO,
  type ThresholdRule,
} from './threshold-rule';

export interface ThresholdEvent {
  readonly thresholdId: string;
  readonly rule: ThresholdRule;
  readonly severity: NotificationSeverityName;
  readonly upsId: string;
  /** `name@host:port`. */
  readonly ups: string;
  /** Names of the hosts the UPS feeds. */
  readonly hosts: readonly string[];
  /** The reading that crossed or recovered, in the rule's unit. */
  readonly value: number;
  readonly at: Date;
}

function fields(e: ThresholdEvent): NotificationMessage['fields'] {
  const info = THRESHOLD_METRIC_INFO[e.rule.metric];
  return [
    { label: 'UPS', value: e.ups },
    { label: capitalized(info.label), value: formatReading(e.rule.metric, e.value) },
    { label: 'Threshold', value: describeRule(e.rule) },
    { label: 'Recovers at', value: formatReading(e.rule.metric, recoveryPoint(e.rule)) },
    { label: 'Hosts fed', value: nameList(e.hosts) },
  ];
}

function capitalized(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

export function thresholdAlertMessage(e: ThresholdEvent): NotificationMessage {
  const info = THRESHOLD_METRIC_INFO[e.rule.metric];
  const value = formatReading(e.rule.metric, e.value);
  const limit = formatReading(e.rule.metric, e.rule.value);
  return {
    eventType: 'threshold.alert',
    severity: e.severity,
    title: `UPS ${e.ups} ${info.label} ${value} is ${info.direction} ${limit}`,
    text:
      `${e.ups} reports a ${info.label} of ${value}, ${info.direction} the ${limit} threshold. ${feedsSentence(e.hosts)} ` +
      `A recovery message follows once it is back ${info.direction === 'above' ? 'at or under' : 'at or over'} ${formatReading(e.rule.metric, recoveryPoint(e.rule))}.`,
    fields: fields(e),
    at: e.at.toISOString(),
    refs: { upsId: e.upsId, thresholdId: e.thresholdId },
  };
}

/** Same severity as the alert: whoever was told of the alert is told it is over. */
export function thresholdRecoveryMessage(e: ThresholdEvent): NotificationMessage {
  const info = THRESHOLD_METRIC_INFO[e.rule.metric];
  const value = formatReading(e.rule.metric, e.value);
  return {
    eventType: 'threshold.recovered',
    severity: e.severity,
    title: `UPS ${e.ups} ${info.label} back to ${value} (threshold: ${describeRule(e.rule)})`,
    text: `${e.ups} reports a ${info.label} of ${value} again, back past ${formatReading(e.rule.metric, recoveryPoint(e.rule))}: the alert "${describeRule(e.rule)}" is over. ${feedsSentence(e.hosts)}`,
    fields: fields(e),
    at: e.at.toISOString(),
    refs: { upsId: e.upsId, thresholdId: e.thresholdId },
  };
}
