import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * ALLOWED_TARGET_NETWORKS: the networks NUT servers and ESXi hosts may live in. Credentials and
 * probes only go to addresses inside them, so an API caller cannot aim the product at the
 * database, Redis or a metadata service. Empty means unrestricted.
 */

export type NetworkParse = { ok: true; cidrs: string[] } | { ok: false; reason: string };

/** `10.0.0.0/8, 192.168.1.7, fd00::/8` → normalised CIDRs (a bare address is one host). */
export function parseTargetNetworks(text: string): NetworkParse {
  const cidrs: string[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const [address = '', prefixText, extra] = item.split('/');
    const family = isIP(address);
    if (family === 0 || extra !== undefined)
      return { ok: false, reason: `"${item}" is not an IPv4/IPv6 address or CIDR (e.g. 10.0.0.0/8)` };
    const max = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (!/^\d{1,3}$/.test(prefixText ?? String(max)) || prefix > max)
      return { ok: false, reason: `"${item}": the prefix length must be 0-${max}` };
    cidrs.push(`${address.toLowerCase()}/${prefix}`);
  }
  return { ok: true, cidrs };
}

/** "::ffff:10.0.0.1" is 10.0.0.1: checked against the IPv4 networks. */
function unmapped(ip: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return match?.[1] ?? ip;
}

export class TargetNotAllowedError extends Error {
  public constructor(
    public readonly address: string,
    detail: string,
  ) {
    super(detail);
    this.name = 'TargetNotAllowedError';
  }
}

export type AddressResolver = (hostname: string) => Promise<string[]>;

const systemResolver: AddressResolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/** The allow-list as a checker; built once from the configuration. */
export class TargetNetworks {
  private readonly list = new BlockList();

  public constructor(
    public readonly cidrs: readonly string[],
    private readonly resolve: AddressResolver = systemResolver,
  ) {
    for (const cidr of cidrs) {
      const [address = '', prefix = ''] = cidr.split('/');
      this.list.addSubnet(address, Number(prefix), isIP(address) === 6 ? 'ipv6' : 'ipv4');
    }
  }

  /** False when ALLOWED_TARGET_NETWORKS is empty: every address may be used. */
  public get restricted(): boolean {
    return this.cidrs.length > 0;
  }

  /** Whether an IP literal is inside the allowed networks (always true when unrestricted). */
  public allowsIp(ip: string): boolean {
    if (!this.restricted) return true;
    const plain = unmapped(ip);
    const family = isIP(plain);
    if (family === 0) return false;
    return this.list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  }

  /**
   * The address to connect to: the IP itself, or what a name resolves to now — every address
   * it resolves to must be allowed (a name cannot smuggle one outside). Unrestricted: `address`
   * unchanged, with no lookup. Throws TargetNotAllowedError.
   */
  public async resolveAllowed(address: string): Promise<string> {
    if (!this.restricted) return address;
    if (isIP(address) !== 0) {
      if (this.allowsIp(address)) return address;
      throw new TargetNotAllowedError(address, `${address} is outside ALLOWED_TARGET_NETWORKS (${this.describe()})`);
    }
    let resolved: string[];
    try {
      resolved = await this.resolve(address);
    } catch (error) {
      throw new TargetNotAllowedError(
        address,
        `${address} does not resolve (${error instanceof Error ? error.message : String(error)}); with ALLOWED_TARGET_NETWORKS set, a name must resolve to allowed addresses`,
      );
    }
    const outside = resolved.filter((ip) => !this.allowsIp(ip));
    if (resolved.length === 0 || outside.length > 0)
      throw new TargetNotAllowedError(
        address,
        `${address} resolves to ${outside.join(', ') || 'nothing'}, outside ALLOWED_TARGET_NETWORKS (${this.describe()})`,
      );
    return resolved[0] as string;
  }

  public describe(): string {
    return this.cidrs.join(', ');
  }
}
