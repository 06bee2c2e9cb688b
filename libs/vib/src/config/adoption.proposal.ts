/**
 * Adoption: hosts that already run the NutClient VIB, configured by hand. Their UserVars
 * (NutUpsName "ups@server[:port] …", NutUser) say which NUT servers and UPSes feed them; this
 * proposes the inventory rows that would make nutfleet's desired NutUpsName equal to what each
 * host already has, so adopted hosts start in sync. Pure: the caller reads and writes.
 */

/** What discovery read on one host (`nutUserVars`), reduced to what adoption needs. */
export interface AdoptionHost {
  readonly hostId: string;
  readonly hostName: string;
  /** UserVars.NutUpsName, null when unset or never read. */
  readonly nutUpsName: string | null;
  readonly nutUser: string | null;
  /** UserVars.NutMinSupplies, NutFinalDelay, NutOnBatteryDelay; null when absent (older VIB) or unread. */
  readonly nutMinSupplies?: number | null;
  readonly nutFinalDelay?: number | null;
  readonly nutOnBatteryDelay?: number | null;
  /** The host's minSupplies in the inventory today. */
  readonly minSupplies?: number;
}

export interface AdoptionInventory {
  readonly servers: readonly { id: string; name: string; host: string; port: number }[];
  readonly upses: readonly { id: string; nutServerId: string; name: string }[];
  readonly feeds: readonly { hostId: string; upsId: string }[];
}

export interface ProposedServer {
  /** host:port, how the proposal's UPSes and feeds name it. */
  readonly key: string;
  readonly host: string;
  readonly port: number;
  /** A name for the new row (unique among servers), or the existing server's. */
  readonly name: string;
  /** Set when the inventory already has this server: nothing to create. */
  readonly existingId: string | null;
  /** The NutUser the hosts use with it (the first, when they disagree: see problems). */
  readonly username: string | null;
  readonly hostNames: readonly string[];
}

export interface ProposedUps {
  readonly serverKey: string;
  readonly name: string;
  readonly existingId: string | null;
  readonly hostNames: readonly string[];
}

export interface ProposedFeed {
  readonly hostId: string;
  readonly hostName: string;
  readonly serverKey: string;
  readonly upsName: string;
}

/**
 * What an adopted host keeps of its hand-set settings. `minSupplies` is written to the host when it
 * differs (null: nothing to change); the timings are stored as the host's adopted values, which its
 * desired UserVars keep while they are safe (libs/vib fallback-timing): judged by the caller, which
 * knows the host's deadline in nutfleet's plan.
 */
export interface ProposedHostSettings {
  readonly hostId: string;
  readonly hostName: string;
  readonly minSupplies: number | null;
  readonly finalDelaySeconds: number | null;
  readonly onBatteryDelaySeconds: number | null;
}

export interface AdoptionProblem {
  readonly hostName: string;
  readonly message: string;
}

export interface AdoptionProposal {
  readonly servers: readonly ProposedServer[];
  readonly upses: readonly ProposedUps[];
  /** Only the missing ones. */
  readonly feeds: readonly ProposedFeed[];
  /** Hosts adopted (with at least one UPS understood). */
  readonly hostNames: readonly string[];
  /** The hand-set settings each adopted host keeps (see ProposedHostSettings). */
  readonly hostSettings: readonly ProposedHostSettings[];
  readonly problems: readonly AdoptionProblem[];
}

/** The value the VIB installs NutUpsName with: not configured yet. */
export const UNCONFIGURED_UPS_NAME = 'upsname@nutserver';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const ENTRY =
  /^([A-Za-z0-9_.-]{1,64})@(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)(?::(\d{1,5}))?$/;

export interface UpsEntry {
  readonly ups: string;
  /** Without IPv6 brackets, as the inventory stores it. */
  readonly host: string;
  readonly port: number;
}

/** One NutUpsName entry, as the VIB reads it (upsmon's MONITOR ups@host[:port]); null when it is not one. */
export function parseUpsEntry(entry: string, defaultPort: number): UpsEntry | null {
  const m = ENTRY.exec(entry);
  if (!m?.[1] || !m[2]) return null;
  const port = m[3] === undefined ? defaultPort : Number(m[3]);
  if (port < 1 || port > 65535) return null;
  return { ups: m[1], host: m[2].replace(/^\[(.*)\]$/, '$1'), port };
}

/** A server name from its address: "nut1.lan" → "nut1.lan", "fd00::1" → "fd00-1", then made unique. */
function nameFor(host: string, port: number, taken: Set<string>, defaultPort: number): string {
  let base = host.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  if (port !== defaultPort) base = `${base}-${port}`;
  if (!NAME.test(base)) base = `nut-${base}`.slice(0, 90);
  let name = base;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base}-${i}`;
  taken.add(name.toLowerCase());
  return name;
}

export function proposeAdoption(
  hosts: readonly AdoptionHost[],
  inventory: AdoptionInventory,
  defaultPort = 3493,
): AdoptionProposal {
  const problems: AdoptionProblem[] = [];
  const servers = new Map<
    string,
    {
      host: string;
      port: number;
      existingId: string | null;
      name: string | null;
      users: Map<string, string[]>;
      hostNames: string[];
    }
  >();
  const upses = new Map<string, { serverKey: string; name: string; hostNames: string[] }>();
  const wanted: ProposedFeed[] = [];
  const adopted: string[] = [];
  const hostSettings: ProposedHostSettings[] = [];
  const existingServer = new Map(inventory.servers.map((s) => [`${s.host.toLowerCase()}:${s.port}`, s]));

  for (const host of hosts) {
    const value = host.nutUpsName?.trim() ?? '';
    if (value === '' || value === UNCONFIGURED_UPS_NAME) {
      problems.push({
        hostName: host.hostName,
        message: 'NutUpsName is not set (the VIB is not configured): nothing to adopt',
      });
      continue;
    }
    let understood = 0;
    for (const entry of value.split(/\s+/)) {
      const parsed = parseUpsEntry(entry, defaultPort);
      if (!parsed) {
        problems.push({
          hostName: host.hostName,
          message: `"${entry}" in NutUpsName is not ups@server[:port]: left out`,
        });
        continue;
      }
      understood += 1;
      const key = `${parsed.host.toLowerCase()}:${parsed.port}`;
      const known = existingServer.get(key);
      const server = servers.get(key) ?? {
        host: known?.host ?? parsed.host,
        port: parsed.port,
        existingId: known?.id ?? null,
        name: known?.name ?? null,
        users: new Map<string, string[]>(),
        hostNames: [],
      };
      servers.set(key, server);
      if (!server.hostNames.includes(host.hostName)) server.hostNames.push(host.hostName);
      if (host.nutUser !== null && host.nutUser !== '')
        server.users.set(host.nutUser, [...(server.users.get(host.nutUser) ?? []), host.hostName]);
      const upsKey = `${key}/${parsed.ups}`;
      const ups = upses.get(upsKey) ?? { serverKey: key, name: parsed.ups, hostNames: [] };
      upses.set(upsKey, ups);
      if (!ups.hostNames.includes(host.hostName)) ups.hostNames.push(host.hostName);
      wanted.push({ hostId: host.hostId, hostName: host.hostName, serverKey: key, upsName: parsed.ups });
    }
    if (understood > 0) {
      adopted.push(host.hostName);
      hostSettings.push(settingsOf(host, understood, problems));
    }
  }

  const taken = new Set(inventory.servers.map((s) => s.name.toLowerCase()));
  const proposedServers: ProposedServer[] = [...servers.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, s]) => {
      const users = [...s.users.entries()];
      if (users.length > 1)
        problems.push({
          hostName: users.map(([, names]) => names[0]).join(', '),
          message: `hosts use different NutUser values for ${s.host}:${s.port} (${users.map(([u, names]) => `${u}: ${names.join(', ')}`).join('; ')}); the inventory keeps one`,
        });
      return {
        key,
        host: s.host,
        port: s.port,
        name: s.name ?? nameFor(s.host, s.port, taken, defaultPort),
        existingId: s.existingId,
        username: users[0]?.[0] ?? null,
        hostNames: s.hostNames,
      };
    });

  const serverId = new Map(proposedServers.map((s) => [s.key, s.existingId]));
  const existingUps = (serverKey: string, name: string): string | null => {
    const id = serverId.get(serverKey);
    return id === null || id === undefined
      ? null
      : (inventory.upses.find((u) => u.nutServerId === id && u.name === name)?.id ?? null);
  };
  const proposedUpses: ProposedUps[] = [...upses.values()]
    .sort((a, b) => `${a.serverKey}/${a.name}`.localeCompare(`${b.serverKey}/${b.name}`))
    .map((u) => ({ ...u, existingId: existingUps(u.serverKey, u.name) }));
  const fed = new Set(inventory.feeds.map((f) => `${f.hostId}/${f.upsId}`));
  const feeds = wanted.filter((f) => {
    const upsId = existingUps(f.serverKey, f.upsName);
    return upsId === null || !fed.has(`${f.hostId}/${upsId}`);
  });

  return { servers: proposedServers, upses: proposedUpses, feeds, hostNames: adopted, hostSettings, problems };
}

/** NutMinSupplies becomes the host's minSupplies when upsmon could run with it (1..UPSes monitored). */
function settingsOf(host: AdoptionHost, upsCount: number, problems: AdoptionProblem[]): ProposedHostSettings {
  const hand = host.nutMinSupplies ?? null;
  let minSupplies: number | null = null;
  if (hand !== null && hand !== (host.minSupplies ?? 1)) {
    if (hand >= 1 && hand <= upsCount) minSupplies = hand;
    else
      problems.push({
        hostName: host.hostName,
        message: `NutMinSupplies ${hand} set by hand but NutUpsName names ${upsCount} UPS(es): upsmon refuses to start with more supplies than it monitors; the host keeps minSupplies ${host.minSupplies ?? 1}, so NutMinSupplies drifts`,
      });
  }
  return {
    hostId: host.hostId,
    hostName: host.hostName,
    minSupplies,
    finalDelaySeconds: host.nutFinalDelay ?? null,
    onBatteryDelaySeconds: host.nutOnBatteryDelay ?? null,
  };
}

/** The VIB's mail options as a host runs them (discovery), and as nutfleet's mail settings want them. */
export interface HandSetMail {
  readonly sendMail: number | null;
  readonly mailTo: string | null;
  readonly smtpRelay: string | null;
}

/**
 * Mail is a fleet default with per-group overrides, not a host setting: adoption does not change
 * it (that would move every host it covers), so a host mailing differently is named, with where to
 * change it, and drifts until then. Null when the host's mail options already match.
 */
export function adoptedMailProblem(
  hand: HandSetMail,
  wanted: { readonly to: string; readonly smtpRelay?: string; readonly verbose?: boolean } | undefined,
  offWhy: string | undefined,
): string | null {
  const sendMail = hand.sendMail ?? 0;
  if (wanted === undefined)
    return sendMail === 0
      ? null
      : `NutSendMail ${sendMail} (mail to ${hand.mailTo ?? '?'}) set by hand, but nutfleet's mail settings for this host are off (${offWhy ?? 'none set'}): set the fleet default or the group's override (Settings, VIB mail) to keep it; until then NutSendMail drifts to 0`;
  const want = { sendMail: wanted.verbose === true ? 2 : 1, to: wanted.to, relay: wanted.smtpRelay ?? 'none' };
  const differs: string[] = [];
  if (sendMail !== want.sendMail) differs.push(`NutSendMail ${sendMail} → ${want.sendMail}`);
  if (hand.mailTo !== want.to) differs.push(`NutMailTo ${hand.mailTo ?? '(unset)'} → ${want.to}`);
  if (hand.smtpRelay !== null && hand.smtpRelay !== want.relay)
    differs.push(`NutSmtpRelay ${hand.smtpRelay} → ${want.relay}`);
  return differs.length === 0
    ? null
    : `mail set by hand differs from nutfleet's mail settings for this host (${differs.join(', ')}): change those settings (Settings, VIB mail) to keep the host's; until then these drift`;
}
