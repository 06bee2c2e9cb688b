/**
 * nutfleet's side: the worker's deploy path (`HostDeployer`, as DeployHostHandler runs it) over
 * one pooled, key-authenticated SSH connection per host. Not through BullMQ/PostgreSQL: the
 * journal is in memory, so the figures are those of the deploy engine and the SSH layer.
 */
import { readFileSync } from 'node:fs';

import { EsxiHostPool } from '../../libs/esxi/src';
import { HostDeployer } from '../../libs/vib/src';
import { MemorySampler, percentile, type RunFigures, runBounded } from '../ssh/measure';
import { type SimulatedHostEntry } from '../ssh/simulator-process';
import { type BenchArtifact } from './rollout-fixture';

export async function runNutfleetDeploy(
  hosts: readonly SimulatedHostEntry[],
  privateKeyFile: string,
  bench: BenchArtifact,
  concurrency: number,
): Promise<RunFigures & { firstError?: string }> {
  const privateKey = readFileSync(privateKeyFile);
  const pool = new EsxiHostPool({ connectTimeoutMs: 30_000, commandTimeoutMs: 60_000 });
  const sampler = new MemorySampler();
  let firstError: string | undefined;
  try {
    const run = await runBounded(hosts, concurrency, async (h) => {
      const host = pool.get({
        address: h.address,
        port: h.port,
        username: h.username,
        auth: { kind: 'privateKey', privateKey },
        fingerprint: h.fingerprint,
      });
      try {
        const report = await new HostDeployer(host, {
          action: 'install',
          artifact: bench.artifact,
          userVars: bench.userVars,
          allowAcceptanceChange: true,
        }).run();
        return report.steps.find((s) => s.step === 'install')?.outcome === 'done';
      } catch (error) {
        firstError ??= error instanceof Error ? error.message : String(error);
        return false;
      } finally {
        host.close();
      }
    });
    return {
      hosts: hosts.length,
      failures: run.failures,
      wallMs: run.wallMs,
      p50Ms: percentile(run.durations, 50),
      p99Ms: percentile(run.durations, 99),
      ...sampler.stop(),
      ...(firstError ? { firstError } : {}),
    };
  } finally {
    sampler.stop();
    pool.closeAll();
  }
}
