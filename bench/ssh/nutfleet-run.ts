/** The fan-out done with nutfleet's client: one EsxiHostPool, `esxcli system version get` per host. */
import { readFileSync } from 'node:fs';
import { esxcli, EsxiHostPool } from '../../libs/esxi/src';
import { MemorySampler, percentile, type RunFigures, runBounded } from './measure';
import { type SimulatedHostEntry } from './simulator-process';

export async function runNutfleet(
  hosts: readonly SimulatedHostEntry[],
  privateKeyFile: string,
  concurrency: number,
): Promise<RunFigures> {
  const privateKey = readFileSync(privateKeyFile);
  const pool = new EsxiHostPool({ connectTimeoutMs: 30_000, commandTimeoutMs: 30_000 });
  const sampler = new MemorySampler();
  try {
    const run = await runBounded(hosts, concurrency, async (h) => {
      const host = pool.get({
        address: h.address,
        port: h.port,
        username: h.username,
        auth: { kind: 'privateKey', privateKey },
        fingerprint: h.fingerprint,
      });
      const { product } = await esxcli.systemVersionGet(host);
      return product === 'VMware ESXi';
    });
    return {
      hosts: hosts.length,
      failures: run.failures,
      wallMs: run.wallMs,
      p50Ms: percentile(run.durations, 50),
      p99Ms: percentile(run.durations, 99),
      ...sampler.stop(),
    };
  } finally {
    sampler.stop();
    pool.closeAll();
  }
}
