import { type NutServer } from '@nutfleet/db';

import { type NutServerDto } from './nut-server.dto';

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
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
