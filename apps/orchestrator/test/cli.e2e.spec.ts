import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { keyId, openSecret, sealSecret } from '@nutfleet/db';
import { notificationSecretContext } from '@nutfleet/notify';
import { createTestDatabase, REPO_ROOT, type TestDatabase } from '@nutfleet/testing';

import { hashApiToken } from '../src/auth/api-token.codec';
import { SECRETS } from './support/fixtures';

function runCli(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'dist/apps/orchestrator/src/cli', script), ...args], {
      cwd: '/',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('CLIs: token:create and secrets:rotate', () => {
  let db: TestDatabase;
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const hostIds = [randomUUID(), randomUUID(), randomUUID()];
  const serverId = randomUUID();
  const channelId = randomUUID();
  const channelSecrets = JSON.stringify({ webhookUrl: 'https://hooks.example/services/T0/B0/rotate-me' });

  before(async () => {
    db = await createTestDatabase();
    await db.prisma.nutServer.create({
      data: {
        id: serverId,
        name: 'nut',
        host: '10.0.0.1',
        passwordEnc: sealSecret(SECRETS.nutPassword, oldKey, `nutServer:${serverId}:password`),
      },
    });
    await db.prisma.notificationChannel.create({
      data: {
        id: channelId,
        name: 'slack',
        kind: 'SLACK',
        settings: { urlHost: 'hooks.example' },
        secretEnc: sealSecret(channelSecrets, oldKey, notificationSecretContext(channelId)),
      },
    });
    for (const [i, id] of hostIds.entries()) {
      await db.prisma.host.create({
        data: {
          id,
          name: `esx-${i}`,
          address: `10.0.1.${i + 1}`,
          passwordEnc: sealSecret(SECRETS.hostPassword, oldKey, `host:${id}:password`),
          privateKeyEnc: i === 0 ? sealSecret(SECRETS.privateKey, oldKey, `host:${id}:privateKey`) : null,
        },
      });
    }
  });
  after(async () => db?.drop());

  test('token:create prints a working token once and stores only its hash', async () => {
    const env = { DATABASE_URL: db.url, NUTFLEET_SECRET_KEY: newKey.toString('hex') };
    const r = await runCli('token-create.cli.js', ['--name', 'admin', '--role', 'admin'], env);
    assert.equal(r.code, 0, r.stderr);
    const token = r.stdout.trim();
    assert.match(token, /^nf_[A-Za-z0-9_-]{43}$/);
    const row = await db.prisma.apiToken.findUniqueOrThrow({ where: { name: 'admin' } });
    assert.equal(row.tokenHash, hashApiToken(token));
    assert.equal(row.role, 'ADMIN');
    assert.equal(await db.prisma.auditEntry.count({ where: { action: 'token.create', resourceId: row.id } }), 1);
    const again = await runCli('token-create.cli.js', ['--name', 'admin', '--role', 'admin'], env);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists/);
    const bad = await runCli('token-create.cli.js', ['--name', 'x', '--role', 'root'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--role must be one of viewer, operator, admin/);
  });

  test('secrets:rotate with a wrong old key changes nothing and names the records', async () => {
    const before = await db.prisma.host.findMany({ orderBy: { name: 'asc' } });
    const r = await runCli('secrets-rotate.cli.js', ['--old-key', randomBytes(32).toString('hex')], {
      DATABASE_URL: db.url,
      NUTFLEET_SECRET_KEY: newKey.toString('hex'),
    });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /could not be opened, nothing was changed/);
    assert.match(r.stderr, new RegExp(`host:${hostIds[0]}:password`));
    assert.ok(!r.stderr.includes(SECRETS.hostPassword));
    assert.deepEqual(await db.prisma.host.findMany({ orderBy: { name: 'asc' } }), before);
  });

  test('secrets:rotate re-seals every secret under the new key, once', async () => {
    const env = {
      DATABASE_URL: db.url,
      NUTFLEET_SECRET_KEY: newKey.toString('hex'),
      NUTFLEET_OLD_SECRET_KEY: oldKey.toString('hex'),
    };
    const r = await runCli('secrets-rotate.cli.js', [], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /re-sealed 6 secret\(s\) under the current key \(nutServer\.password: 1, host\.password: 3, host\.privateKey: 1, notificationChannel\.secrets: 1\); 0 already under it/,
    );
    const channel = await db.prisma.notificationChannel.findUniqueOrThrow({ where: { id: channelId } });
    assert.equal(
      openSecret(channel.secretEnc as string, [newKey], notificationSecretContext(channelId)),
      channelSecrets,
    );
    const server = await db.prisma.nutServer.findUniqueOrThrow({ where: { id: serverId } });
    assert.equal(
      openSecret(server.passwordEnc as string, [newKey], `nutServer:${serverId}:password`),
      SECRETS.nutPassword,
    );
    for (const h of await db.prisma.host.findMany()) {
      assert.equal(h.passwordEnc?.split(':')[1], keyId(newKey));
      assert.equal(openSecret(h.passwordEnc as string, [newKey], `host:${h.id}:password`), SECRETS.hostPassword);
    }
    const h0 = await db.prisma.host.findUniqueOrThrow({ where: { id: hostIds[0] as string } });
    assert.equal(openSecret(h0.privateKeyEnc as string, [newKey], `host:${h0.id}:privateKey`), SECRETS.privateKey);

    const again = await runCli('secrets-rotate.cli.js', [], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /re-sealed 0 secret\(s\) under the current key; 6 already under it/);
  });
});
