/** The artifact and the configuration both runs deploy: an ~800 KB NutClient VIB and all nine UserVars. */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { resolveShutdownPolicy } from '../../libs/power/src';
import { buildVibFixture } from '../../libs/testing/src/esxi-sim/vib-fixture.builder';
import { buildDesiredUserVars, type DeployArtifact, type NutUserVars, parseArtifactFile } from '../../libs/vib/src';

export interface BenchArtifact {
  readonly artifact: DeployArtifact;
  readonly sizeBytes: number;
  readonly userVars: NutUserVars;
}

export async function buildBenchArtifact(dir: string): Promise<BenchArtifact> {
  // Random bytes do not compress: the .vib ends up about as large as a real NutClient build (~800 KB).
  const blob = randomBytes(800 * 1024).toString('base64');
  const fixture = buildVibFixture({ files: { '/opt/nut/bin/upsmon.bench-padding': blob } });
  const path = join(dir, fixture.fileName);
  writeFileSync(path, fixture.bytes);
  const parsed = await parseArtifactFile(path);
  if (parsed.kind !== 'vib') throw new Error('bench fixture is not a vib');
  const desired = buildDesiredUserVars({
    vibVersion: parsed.descriptor.version,
    hostName: 'bench',
    minSupplies: 1,
    feeds: [
      {
        upsName: 'ups1',
        nutServer: {
          name: 'nut1',
          host: 'nut1.lan',
          port: 3493,
          credentials: { username: 'monuser', password: 'Bench-secret1' },
        },
      },
      {
        upsName: 'ups2',
        nutServer: {
          name: 'nut2',
          host: 'nut2.lan',
          port: 3493,
          credentials: { username: 'monuser', password: 'Bench-secret1' },
        },
      },
    ],
    policy: resolveShutdownPolicy({ id: 'bench', triggers: { onBatterySeconds: 300 } }),
    plannedShutdownDeadlineSeconds: 400,
    mail: { to: 'ops@example.com', smtpRelay: 'smtp.example.com' },
  });
  if (!desired.ok) throw new Error(JSON.stringify(desired.problems));
  return {
    artifact: {
      kind: 'vib',
      localPath: path,
      fileName: fixture.fileName,
      sha256: parsed.sha256,
      descriptor: parsed.descriptor,
    },
    sizeBytes: parsed.sizeBytes,
    userVars: desired.userVars,
  };
}
