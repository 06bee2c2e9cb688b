import { keyId, openSecret, type PrismaClient, sealSecret, SecretDecryptionError } from '@nutfleet/db';
import { notificationSecretContext } from '@nutfleet/notify';

import { hostSecretContext } from '../inventory/hosts/host-write';
import { nutServerCommandPasswordContext, nutServerPasswordContext } from '../inventory/nut-servers/nut-server.service';

export interface RotationReport {
  /** Re-sealed under the current key, per `<model>.<field>`. */
  resealed: Record<string, number>;
  /** Already under the current key (a second run re-seals nothing). */
  alreadyCurrent: number;
}

export class SecretRotationError extends Error {
  public constructor(
    public readonly failures: string[],
    options?: { cause?: unknown },
  ) {
    super(
      `${failures.length} secret(s) could not be opened, nothing was changed: ${failures.slice(0, 10).join('; ')}`,
      options,
    );
    this.name = 'SecretRotationError';
  }
}

interface SealedValue {
  label: string;
  context: string;
  sealed: string;
  write: (resealed: string) => Promise<unknown>;
}

function sealedKeyId(sealed: string): string | undefined {
  return sealed.split(':')[1];
}

/**
 * Re-seals every stored secret under `current`, opening those sealed under `old`, in one
 * transaction: either every secret moves to the new key or none does. Secrets already under the
 * current key are left alone, so running it twice is harmless.
 */
export async function rotateSecrets(
  prisma: PrismaClient,
  current: Buffer,
  old: Buffer | undefined,
): Promise<RotationReport> {
  const currentId = keyId(current);
  const keys = old ? [current, old] : [current];
  return prisma.$transaction(
    async (tx) => {
      const values: SealedValue[] = [];
      for (const s of await tx.nutServer.findMany({
        where: { OR: [{ passwordEnc: { not: null } }, { commandPasswordEnc: { not: null } }] },
        select: { id: true, passwordEnc: true, commandPasswordEnc: true },
      })) {
        if (s.passwordEnc)
          values.push({
            label: 'nutServer.password',
            context: nutServerPasswordContext(s.id),
            sealed: s.passwordEnc,
            write: (v) => tx.nutServer.update({ where: { id: s.id }, data: { passwordEnc: v } }),
          });
        if (s.commandPasswordEnc)
          values.push({
            label: 'nutServer.commandPassword',
            context: nutServerCommandPasswordContext(s.id),
            sealed: s.commandPasswordEnc,
            write: (v) => tx.nutServer.update({ where: { id: s.id }, data: { commandPasswordEnc: v } }),
          });
      }
      const hosts = await tx.host.findMany({
        where: { OR: [{ passwordEnc: { not: null } }, { privateKeyEnc: { not: null } }] },
        select: { id: true, passwordEnc: true, privateKeyEnc: true },
      });
      for (const h of hosts) {
        if (h.passwordEnc)
          values.push({
            label: 'host.password',
            context: hostSecretContext(h.id, 'password'),
            sealed: h.passwordEnc,
            write: (v) => tx.host.update({ where: { id: h.id }, data: { passwordEnc: v } }),
          });
        if (h.privateKeyEnc)
          values.push({
            label: 'host.privateKey',
            context: hostSecretContext(h.id, 'privateKey'),
            sealed: h.privateKeyEnc,
            write: (v) => tx.host.update({ where: { id: h.id }, data: { privateKeyEnc: v } }),
          });
      }
      for (const c of await tx.notificationChannel.findMany({
        where: { secretEnc: { not: null } },
        select: { id: true, secretEnc: true },
      })) {
        values.push({
          label: 'notificationChannel.secrets',
          context: notificationSecretContext(c.id),
          sealed: c.secretEnc as string,
          write: (v) => tx.notificationChannel.update({ where: { id: c.id }, data: { secretEnc: v } }),
        });
      }

      const report: RotationReport = { resealed: {}, alreadyCurrent: 0 };
      const failures: string[] = [];
      const pending: { value: SealedValue; resealed: string }[] = [];
      for (const value of values) {
        if (sealedKeyId(value.sealed) === currentId) {
          report.alreadyCurrent++;
          continue;
        }
        try {
          const plain = openSecret(value.sealed, keys, value.context);
          pending.push({ value, resealed: sealSecret(plain, current, value.context) });
        } catch (error) {
          if (!(error instanceof SecretDecryptionError)) throw error;
          // The context names the record; the message says why; neither holds the secret.
          failures.push(`${value.context}: ${error.message}`);
        }
      }
      if (failures.length > 0) throw new SecretRotationError(failures);
      for (const { value, resealed } of pending) {
        await value.write(resealed);
        report.resealed[value.label] = (report.resealed[value.label] ?? 0) + 1;
      }
      return report;
    },
    { timeout: 600_000, maxWait: 10_000 },
  );
}
