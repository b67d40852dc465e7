/**
 * The SSRF guard on outbound webhook URLs (ADR 028): a receiver must be on the public internet.
 * A URL whose host is, or resolves to, a loopback, private (RFC 1918, ULA), link-local (the cloud
 * metadata service 169.254.169.254 among them), CGNAT, multicast, unspecified or otherwise reserved
 * address is refused, at registration and again before every delivery (DNS answers change).
 *
 * A deployment whose receivers sit on its own network says so explicitly: `WEBHOOK_ALLOW_PRIVATE`
 * (every address) or `WEBHOOK_ALLOW_HOSTS` (these host names only, exactly as written in the URL).
 *
 * The residual window: the address is checked, then fetch resolves the name again; a name that
 * flips between the two lookups could still reach an internal address. The delivery-time check
 * narrows it to milliseconds; closing it needs a pinned connection (a custom dispatcher).
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { DomainError } from '../errors.js';

export interface UrlPolicy {
  /** Every address allowed (tests' local receivers, an on-premises deployment). */
  allowPrivate: boolean;
  /** Host names allowed whatever they resolve to (lower case). */
  allowHosts: readonly string[];
}

export type Lookup = (host: string) => Promise<{ address: string; family: number }[]>;

const defaultLookup: Lookup = (host) => dnsLookup(host, { all: true, verbatim: true });

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // CGNAT (RFC 6598)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12], // RFC 1918
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.168.0.0', 16], // RFC 1918
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b::', 96], // NAT64 of an IPv4 address (checked as the IPv4 too, below)
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const)
  blocked.addSubnet(net, bits, 'ipv6');

/** The IPv4 address an IPv6 one carries (mapped ::ffff:a.b.c.d or NAT64), or null. */
function embeddedIpv4(address: string): string | null {
  const m = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (m) return m[1]!;
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return null;
  const hi = Number.parseInt(hex[1]!, 16);
  const lo = Number.parseInt(hex[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** True when a webhook must not be sent to this address. */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    if (v4) return blocked.check(v4, 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return true; // not an address at all: refuse
}

const refused = (key: string) => new DomainError('validation', key, { fieldErrors: { url: [key] } });

/**
 * Throws a DomainError (`webhooks.privateAddress`, `webhooks.unresolvable`) unless the URL's host
 * resolves only to public addresses, or the policy allows it.
 */
export async function assertPublicUrl(
  raw: string,
  policy: UrlPolicy,
  lookup: Lookup = defaultLookup,
): Promise<void> {
  if (policy.allowPrivate) return;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refused('webhooks.badUrl');
  }
  const host = url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (policy.allowHosts.includes(host)) return;
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host)).map((a) => a.address);
    } catch {
      throw refused('webhooks.unresolvable');
    }
    if (addresses.length === 0) throw refused('webhooks.unresolvable');
  }
  // Every answer must be public: a name with one private address among public ones is refused.
  if (addresses.some(isForbiddenAddress)) throw refused('webhooks.privateAddress');
}

/** The policy from the configuration. */
export function urlPolicyOf(config: {
  WEBHOOK_ALLOW_PRIVATE: boolean;
  WEBHOOK_ALLOW_HOSTS: string[];
}): UrlPolicy {
  return {
    allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
    allowHosts: config.WEBHOOK_ALLOW_HOSTS.map((h) => h.toLowerCase()),
  };
}
