#!/usr/bin/env node
/**
 * node scripts/cpu-profile-summary.mjs FILE.cpuprofile [--last SECONDS] [--top N]
 *
 * Summarizes a V8 CPU profile (node --cpu-prof) by self time per function, optionally only over
 * the last SECONDS of the recording (benches stop the apps right after the part they measure),
 * and prints the busy share of that window. A development aid for the benches; not used in tests.
 */
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
if (!file) {
  console.error('usage: cpu-profile-summary.mjs FILE.cpuprofile [--last SECONDS] [--top N]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const lastUs = option('last', Infinity) * 1e6;
const top = option('top', 30);
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const times = [];
let t = profile.startTime;
for (const delta of profile.timeDeltas) times.push((t += delta));
const from = profile.endTime - lastUs;
const self = new Map();
let total = 0;
let idle = 0;
profile.samples.forEach((id, i) => {
  if (times[i] < from) return;
  const dt = (times[i + 1] ?? profile.endTime) - times[i];
  const node = nodes.get(id);
  const frame = node.callFrame;
  const name = frame.functionName || '(anonymous)';
  if (name === '(idle)') idle += dt;
  total += dt;
  const url = frame.url.replace(/^.*node_modules\//, '~/').replace(/^file:\/\/.*?\/dist\//, '');
  const key = `${name} ${url}:${frame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + dt);
});
console.log(`window ${(total / 1e6).toFixed(2)} s, busy ${(((total - idle) / total) * 100).toFixed(0)} %`);
for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);
