/** The request an HTTP channel sends for one message, by kind. */
import { type HttpChannelKind, type NotificationChannelSecrets } from '../channel-kinds';
import { type NotificationMessage } from '../notification-message';
import { discordRequest } from './discord.format';
import { gotifyRequest } from './gotify.format';
import { type OutboundHttpRequest } from './http-request';
import { ntfyRequest } from './ntfy.format';
import { slackRequest } from './slack.format';
import { teamsRequest } from './teams.format';
import { webhookRequest } from './webhook-json.format';

/** A channel that cannot send as configured (a secret missing): retrying does not help. */
export class ChannelConfigError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ChannelConfigError';
  }
}

export function channelRequest(
  kind: HttpChannelKind,
  secrets: NotificationChannelSecrets,
  message: NotificationMessage,
  delivery: { id: string; test: boolean },
): OutboundHttpRequest {
  const url = secrets.webhookUrl;
  if (url === undefined) throw new ChannelConfigError('the channel has no URL');
  switch (kind) {
    case 'WEBHOOK':
      return webhookRequest(url, message, delivery, secrets.webhookSigningSecret);
    case 'SLACK':
      return slackRequest(url, message);
    case 'NTFY':
      return ntfyRequest(url, message, secrets.webhookToken);
    case 'GOTIFY':
      if (secrets.webhookToken === undefined) throw new ChannelConfigError('the channel has no Gotify app token');
      return gotifyRequest(url, message, secrets.webhookToken);
    case 'TEAMS':
      return teamsRequest(url, message);
    case 'DISCORD':
      return discordRequest(url, message);
  }
}
