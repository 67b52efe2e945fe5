import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';

/**
 * Where a webhook may post. The factory runs with AWS credentials; a caller-chosen URL must not
 * turn it into a proxy into its own network, so every address outside global unicast is refused:
 * the IANA special-purpose ranges as ipaddr.js classifies them (loopback, private, carrier-grade
 * NAT, link-local with the instance metadata service, benchmarking 198.18.0.0/15, IETF protocol
 * assignments 192.0.0.0/24, documentation, multicast, broadcast, reserved, NAT64 64:ff9b::/96,
 * 6to4 2002::/16, Teredo, site-local fec0::/10, unique-local…), IPv4-compatible `::/96`, and
 * IPv6 outside 2000::/3. IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is judged as the IPv4 it carries.
 */
export interface AddressRules {
  /** Allow RFC 1918, unique-local, carrier-grade NAT and loopback addresses (internal endpoints). */
  allowPrivateNetworks: boolean;
  /** Allow loopback only (a receiver on the same host: the demo). */
  allowLoopback?: boolean;
}

/** The ranges `allowPrivateNetworks` opens; link-local (the metadata service) never is. */
const PRIVATE_NETWORKS: ReadonlySet<string> = new Set([
  'private',
  'uniqueLocal',
  'carrierGradeNat',
  'loopback',
]);

const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * The special-purpose range `host` is in (ipaddr.js's name, e.g. `loopback`, `reserved`,
 * `rfc6052`), or undefined for a global unicast address or a host name (judged by the addresses
 * it resolves to, at delivery time). `localhost` names are loopback.
 */
export function specialRange(host: string): string | undefined {
  const name = host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return 'loopback';
  const family = isIP(name);
  if (family === 0) return undefined;
  // The URL parser's canonical form first: ipaddr.js reads `::a.b.c.d` as IPv4-mapped.
  let address = ipaddr.parse(family === 6 ? new URL(`http://[${name}]`).hostname.slice(1, -1) : name);
  if (address.kind() === 'ipv6') {
    const v6 = address as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) {
      address = v6.toIPv4Address();
    } else {
      const range = v6.range();
      if (range === 'unicast' && v6.match(IPV4_COMPATIBLE)) return 'ipv4Compatible';
      if (range === 'unicast' && !v6.match(GLOBAL_UNICAST_V6)) return 'reserved';
      return range === 'unicast' ? undefined : range;
    }
  }
  const range = address.range();
  return range === 'unicast' ? undefined : range;
}

/** True for `localhost` names and IP literals outside global unicast (whatever the rules). */
export function isPrivateAddress(host: string): boolean {
  return specialRange(host) !== undefined;
}

/** Ranges of one's own network, named "private" in messages; the rest are "special-purpose". */
const OWN_NETWORK: ReadonlySet<string> = new Set([...PRIVATE_NETWORKS, 'linkLocal']);

/** Readable names for ipaddr.js's range names in messages (the others read as they are). */
const LABELS: Readonly<Record<string, string>> = {
  private: 'RFC 1918',
  linkLocal: 'link-local',
  uniqueLocal: 'unique-local',
  carrierGradeNat: 'carrier-grade NAT',
  rfc6052: 'NAT64',
  rfc6145: 'IPv4-translated',
  deprecatedSiteLocal: 'site-local',
  ipv4Compatible: 'IPv4-compatible',
  '6to4': '6to4',
};

/** Why an address is refused: the range it is in, and how to call it in a message. */
export interface AddressRefusal {
  range: string;
  /** `a private address (link-local)`, `a special-purpose address (NAT64)`, … */
  description: string;
}

/** Why the rules refuse `host` (an IP literal or a name), or undefined when they allow it. */
export function addressRefusal(host: string, rules: AddressRules): AddressRefusal | undefined {
  const range = specialRange(host);
  if (range === undefined) return undefined;
  if (range === 'loopback' && rules.allowLoopback) return undefined;
  if (rules.allowPrivateNetworks && PRIVATE_NETWORKS.has(range)) return undefined;
  const kind = OWN_NETWORK.has(range) ? 'private' : 'special-purpose';
  return { range, description: `a ${kind} address (${LABELS[range] ?? range})` };
}
