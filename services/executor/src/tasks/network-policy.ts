import { BlockList, isIP } from 'node:net';

/**
 * Where `call` tasks may connect. Workflow documents are user input, so by default a call may not
 * reach link-local addresses (cloud metadata services live there), private networks or other
 * internal ranges; an operator opens specific ranges with HTTP_CALL_ALLOWED_NETWORKS (allowed
 * wins over blocked). Loopback is not blocked by default (local development and sidecars); add
 * 127.0.0.0/8 and ::1/128 to HTTP_CALL_BLOCKED_NETWORKS to close it.
 */
export const DEFAULT_BLOCKED_NETWORKS: readonly string[] = [
  '0.0.0.0/8', // "this network"
  '10.0.0.0/8', // private
  '100.64.0.0/10', // carrier-grade NAT
  '169.254.0.0/16', // link-local, incl. 169.254.169.254 (metadata)
  '172.16.0.0/12', // private
  '192.0.0.0/24', // IETF protocol assignments
  '192.168.0.0/16', // private
  '198.18.0.0/15', // benchmarking
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, broadcast
  '::/128', // unspecified
  'fc00::/7', // unique local, incl. fd00:ec2::254 (metadata)
  'fe80::/10', // link-local
  'ff00::/8', // multicast
];

export class InvalidNetworkError extends Error {}

/** An address-level allow/deny decision; IPv4-mapped IPv6 addresses are judged as IPv4. */
export class NetworkPolicy {
  private readonly blocked = new BlockList();
  private readonly allowed = new BlockList();

  constructor(
    readonly blockedNetworks: readonly string[] = DEFAULT_BLOCKED_NETWORKS,
    readonly allowedNetworks: readonly string[] = [],
  ) {
    for (const cidr of blockedNetworks) addSubnet(this.blocked, cidr);
    for (const cidr of allowedNetworks) addSubnet(this.allowed, cidr);
  }

  /** Why `address` may not be reached, or undefined when it may. */
  refusal(address: string): string | undefined {
    const ip = unmapped(address);
    const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    if (this.allowed.check(ip, family)) return undefined;
    if (this.blocked.check(ip, family)) return `${address} is in a blocked network`;
    return undefined;
  }
}

function unmapped(address: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match?.[1] ?? address;
}

function addSubnet(list: BlockList, cidr: string): void {
  const [network = '', bits = ''] = cidr.trim().split('/');
  const family = isIP(network);
  const prefix = Number(bits);
  const max = family === 6 ? 128 : 32;
  if (family === 0 || !/^\d+$/.test(bits) || prefix > max) {
    throw new InvalidNetworkError(`'${cidr}' is not a network in CIDR notation (e.g. 10.0.0.0/8, fd00::/8)`);
  }
  list.addSubnet(network, prefix, family === 6 ? 'ipv6' : 'ipv4');
}
