import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook must not reach unless the config allows it: loopback, private (RFC 1918,
 * unique-local), carrier-grade NAT, link-local (the instance metadata service at 169.254.169.254)
 * and the unspecified address. The factory runs with AWS credentials; a caller-chosen URL must not
 * turn it into a proxy into its own network.
 */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv6');
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`), if it is one. */
function mappedIpv4(address: string): string | undefined {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match?.[1];
}

/**
 * True for `localhost` names and for IP literals in a blocked range. Other host names are judged
 * by the addresses they resolve to, at delivery time.
 */
export function isPrivateAddress(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  const mapped = mappedIpv4(name);
  if (mapped) return BLOCKED.check(mapped, 'ipv4');
  const family = isIP(name);
  if (family === 4) return BLOCKED.check(name, 'ipv4');
  if (family === 6) return BLOCKED.check(name, 'ipv6');
  return false;
}
