/**
 * How long mains must hold before an outage counts as over: the longest confirmation among the
 * policies that govern a host. A policy no host follows has no say — it would otherwise hold every
 * outage open (and every restart back) for a setting that applies to nothing.
 */
export function outagePowerBackConfirmSeconds(
  policies: ReadonlyArray<{ readonly id: string; readonly powerBackConfirmSeconds: number }>,
  hosts: ReadonlyArray<{ readonly policyId: string }>,
): number {
  const inUse = new Set(hosts.map((h) => h.policyId));
  return Math.max(0, ...policies.filter((p) => inUse.has(p.id)).map((p) => p.powerBackConfirmSeconds));
}
