import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EsxiHost } from '../../../src';
import { buildOfflineBundleFixture, buildVibFixture, type VibFixture, type VibFixtureOptions } from './simulated-fleet';

/** A temp folder for VIB fixtures; `remove()` in `after`. */
export class VibFiles {
  readonly dir = mkdtempSync(join(tmpdir(), 'nutfleet-sim-vibs-'));

  /** Builds a VIB with the simulator's builder and uploads it (SFTP + sha256) to /tmp on the host. */
  async uploadVib(host: EsxiHost, options: VibFixtureOptions = {}): Promise<{ fixture: VibFixture; path: string }> {
    const fixture = buildVibFixture(options);
    const local = join(this.dir, fixture.fileName);
    writeFileSync(local, fixture.bytes);
    const path = `/tmp/${fixture.fileName}`;
    await host.upload(local, path);
    return { fixture, path };
  }

  async uploadBundle(host: EsxiHost, fixture: VibFixture): Promise<string> {
    const name = `NutClient-ESXi-${fixture.version}-x86_64-offline_bundle.zip`;
    const local = join(this.dir, name);
    writeFileSync(local, buildOfflineBundleFixture([fixture]));
    await host.upload(local, `/tmp/${name}`);
    return `/tmp/${name}`;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
