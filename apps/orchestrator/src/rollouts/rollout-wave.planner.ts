/**
 * Splits a rollout's hosts into waves: first `canaryCount` hosts alone (0 = no canary), then
 * waves of `maxInFlight`. Hosts keep the given order (by name), so a rollout is reproducible.
 */
export function planWaves<T>(hosts: readonly T[], canaryCount: number, maxInFlight: number): T[][] {
  if (maxInFlight < 1) throw new RangeError('maxInFlight must be at least 1');
  const waves: T[][] = [];
  const canary = Math.min(Math.max(0, canaryCount), hosts.length);
  if (canary > 0) waves.push(hosts.slice(0, canary));
  for (let i = canary; i < hosts.length; i += maxInFlight) waves.push(hosts.slice(i, i + maxInFlight));
  return waves;
}
