import { randomUUID } from 'node:crypto';

import { type PrismaClient, sealSecret } from '@nutfleet/db';
import { type NutTestbed } from '@nutfleet/testing';

export interface NutServerRowOptions {
  readonly name: string;
  readonly host: string;
  /** Default: the column's default (3493). */
  readonly port?: number;
  readonly username: string;
  readonly password: string;
  readonly upses: readonly string[];
}

export interface InsertedNutServer {
  readonly serverId: string;
  /** The id of one of its UPSes, by name. */
  upsId(name: string): string;
}

/** A NUT server row with sealed monitoring credentials and its UPSes, as the API stores them. */
export async function insertNutServer(
  prisma: PrismaClient,
  key: Buffer,
  options: NutServerRowOptions,
): Promise<InsertedNutServer> {
  const serverId = randomUUID();
  await prisma.nutServer.create({
    data: {
      id: serverId,
      name: options.name,
      host: options.host,
      ...(options.port !== undefined ? { port: options.port } : {}),
      username: options.username,
      passwordEnc: sealSecret(options.password, key, `nutServer:${serverId}:password`),
      upses: { create: options.upses.map((name) => ({ name })) },
    },
  });
  const ids = new Map(
    (await prisma.ups.findMany({ where: { nutServerId: serverId } })).map((ups) => [ups.name, ups.id] as const),
  );
  return {
    serverId,
    upsId: (name) => {
      const id = ids.get(name);
      if (id === undefined) throw new Error(`NUT server ${options.name} has no UPS ${name}`);
      return id;
    },
  };
}

/** A NUT test bed as a server row: its address and monitoring account, every UPS unless told. */
export function testbedServerRow(
  bed: NutTestbed,
  name: string,
  upses: readonly string[] = bed.upsNames,
): NutServerRowOptions {
  return {
    name,
    host: bed.host,
    port: bed.port,
    username: bed.monitor.username,
    password: bed.monitor.password,
    upses,
  };
}
