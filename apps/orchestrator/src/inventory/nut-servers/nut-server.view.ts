import { type NutServer } from '@nutfleet/db';

import { type NutServerDto } from './nut-server.dto';

/** What an operator should know about how the monitoring password travels. */
export function nutServerWarnings(
  row: Pick<NutServer, 'tlsMode' | 'passwordEnc' | 'username' | 'commandPasswordEnc' | 'commandUsername'>,
): string[] {
  const monitoring = row.passwordEnc !== null && row.username !== null;
  const command = row.commandPasswordEnc !== null && row.commandUsername !== null;
  if (row.tlsMode === 'OFF' && command)
    return [
      `tlsMode is OFF: the ${monitoring ? 'monitoring and power-cycle passwords are' : 'power-cycle password is'} sent to this server in clear text, readable by anyone on the path; use OPPORTUNISTIC or REQUIRED where upsd has a certificate`,
    ];
  if (!monitoring) return [];
  if (row.tlsMode === 'OFF')
    return [
      'tlsMode is OFF: the monitoring password is sent to this server in clear text, readable by anyone on the path; use OPPORTUNISTIC or REQUIRED where upsd has a certificate',
    ];
  if (row.tlsMode === 'OPPORTUNISTIC')
    return [
      'tlsMode is OPPORTUNISTIC: the password is only sent once TLS is up; if the server does not offer STARTTLS, readings continue but the credentials are not checked (REQUIRED makes that an error)',
    ];
  return [];
}

export function nutServerView(row: NutServer): NutServerDto {
  return {
    id: row.id,
    name: row.name,
    host: row.host,
    port: row.port,
    tlsMode: row.tlsMode,
    tlsCaPem: row.tlsCaPem,
    tlsFingerprint: row.tlsFingerprint,
    username: row.username,
    hasPassword: row.passwordEnc !== null,
    commandUsername: row.commandUsername,
    hasCommandPassword: row.commandPasswordEnc !== null,
    warnings: nutServerWarnings(row),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
