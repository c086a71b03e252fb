import { domainToASCII } from 'node:url';
import { EarshotError } from '../domain/errors.js';
import {
  cidrContains,
  formatIp,
  ipv4At,
  parseCidr,
  parseIp,
  parseLegacyIpv4,
  type Cidr,
  type IpAddress,
  type IpFamily,
} from './ip-address.js';

/**
 * Which addresses a user-supplied URL may reach. Only `public` addresses are reachable by default;
 * the operator's allow-list (EARSHOT_ALLOWED_PRIVATE_HOSTS) opens specific private targets.
 */

/** Each category with the phrase used in refusal messages ("10.0.0.5 is a private address"). */
export const AddressCategories = {
  public: 'a public address',
  unspecified: 'an unspecified ("this network") address',
  loopback: 'a loopback address',
  private: 'a private address',
  sharedAddressSpace: 'a shared (carrier-grade NAT) address',
  linkLocal: 'a link-local address',
  metadata: 'a cloud metadata service address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  documentation: 'a documentation address',
  benchmarking: 'a benchmarking address',
  reserved: 'a reserved address',
  uniqueLocal: 'a unique-local (private IPv6) address',
  siteLocal: 'a site-local (private IPv6) address',
  teredo: 'a Teredo tunnel address',
} as const;

export type AddressCategory = keyof typeof AddressCategories;

/**
 * Categories that no allow-list entry opens: a connection to 0.0.0.0 lands on this machine, and
 * multicast or broadcast are never a server to download from.
 */
const NEVER_ALLOWED: ReadonlySet<AddressCategory> = new Set(['unspecified', 'multicast', 'broadcast']);

export interface AddressClassification {
  /** Canonical text of the address (dotted quad, RFC 5952 IPv6 without zone). */
  address: string;
  family: IpFamily;
  category: AddressCategory;
  /**
   * The IPv4 address carried inside an IPv6 one (mapped, compatible, NAT64, 6to4) when it decided
   * the category, e.g. `127.0.0.1` for `::ffff:7f00:1`.
   */
  embeddedIpv4: string | undefined;
}

type Rule = [cidr: Cidr, category: AddressCategory];

function rules(table: [string, AddressCategory][]): Rule[] {
  return table.map(([text, category]) => {
    const cidr = parseCidr(text);
    if (!cidr) throw new Error(`bad built-in CIDR ${text}`);
    return [cidr, category];
  });
}

// First match wins, so the single metadata addresses come before the ranges that hold them.
const IPV4_RULES = rules([
  ['169.254.169.254/32', 'metadata'], // AWS, GCP, Azure, OpenStack, DigitalOcean…
  ['169.254.170.2/32', 'metadata'], // AWS ECS task metadata
  ['100.100.100.200/32', 'metadata'], // Alibaba Cloud
  ['192.0.0.192/32', 'metadata'], // Oracle Cloud
  ['168.63.129.16/32', 'metadata'], // Azure WireServer: public-looking, but the host platform
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'sharedAddressSpace'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'linkLocal'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'], // IETF protocol assignments
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', 'reserved'], // deprecated 6to4 relay anycast
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['255.255.255.255/32', 'broadcast'],
  ['240.0.0.0/4', 'reserved'],
]);

const IPV6_RULES = rules([
  ['fd00:ec2::254/128', 'metadata'], // AWS IMDS over IPv6
  ['2001::/32', 'teredo'], // the real client address is hidden in it, so it cannot be checked
  ['2001:2::/48', 'benchmarking'],
  ['2001:db8::/32', 'documentation'],
  ['3fff::/20', 'documentation'],
  ['2001::/23', 'reserved'], // IETF protocol assignments
  ['100::/64', 'reserved'], // discard-only
  ['5f00::/16', 'reserved'], // SRv6 SIDs
  ['fc00::/7', 'uniqueLocal'],
  ['fe80::/10', 'linkLocal'],
  ['fec0::/10', 'siteLocal'],
  ['ff00::/8', 'multicast'],
]);

const [IPV4_MAPPED, IPV4_TRANSLATED, IPV4_COMPATIBLE, NAT64, NAT64_LOCAL, SIX_TO_FOUR, GLOBAL_UNICAST] = [
  '::ffff:0:0/96',
  '::ffff:0:0:0/96',
  '::/96',
  '64:ff9b::/96',
  '64:ff9b:1::/48',
  '2002::/16',
  '2000::/3',
].map((text) => parseCidr(text)!) as [Cidr, Cidr, Cidr, Cidr, Cidr, Cidr, Cidr];

/** Parses an address in any notation a resolver would accept: IPv4, IPv6 or legacy IPv4. */
export function parseAnyIp(text: string): IpAddress | undefined {
  const strict = parseIp(text);
  if (strict) return strict;
  const legacy = parseLegacyIpv4(text);
  return legacy && { family: 4, bytes: legacy, zone: undefined };
}

/**
 * Classifies an IP address given as text. Returns undefined when the text is not an address at
 * all, i.e. a host name that must be resolved (and its answers classified) before connecting.
 *
 * @example classifyAddress('::ffff:7f00:1') // { category: 'loopback', embeddedIpv4: '127.0.0.1', … }
 */
export function classifyAddress(text: string): AddressClassification | undefined {
  const ip = parseAnyIp(text);
  return ip && classifyIp(ip);
}

export function classifyIp(ip: IpAddress): AddressClassification {
  const address = formatIp(ip);
  if (ip.family === 4) return { address, family: 4, category: categoryOfIpv4(ip), embeddedIpv4: undefined };
  const { category, embedded } = categoryOfIpv6(ip);
  return { address, family: 6, category, embeddedIpv4: embedded && formatIp(embedded) };
}

function categoryOfIpv4(ip: IpAddress): AddressCategory {
  return IPV4_RULES.find(([cidr]) => cidrContains(cidr, ip))?.[1] ?? 'public';
}

function categoryOfIpv6(ip: IpAddress): { category: AddressCategory; embedded?: IpAddress } {
  const b = ip.bytes;
  if (b.every((byte) => byte === 0)) return { category: 'unspecified' };
  if (b.every((byte, i) => byte === (i === 15 ? 1 : 0))) return { category: 'loopback' };

  // Addresses that carry an IPv4 address: the system (or a translator) talks to that IPv4
  // address, so it decides. `::ffff:127.0.0.1` is loopback, `64:ff9b::a00:1` is 10.0.0.1.
  for (const prefix of [IPV4_MAPPED, IPV4_TRANSLATED, NAT64]) {
    if (cidrContains(prefix, ip)) {
      const embedded = ipv4At(b, 12);
      return { category: categoryOfIpv4(embedded), embedded };
    }
  }
  // The rest of these are deprecated or local-only, so they are never public; the embedded
  // address still names the reason when it is itself non-public.
  const nonPublic = (embedded: IpAddress, otherwise: AddressCategory) => {
    const category = categoryOfIpv4(embedded);
    return category === 'public' ? { category: otherwise } : { category, embedded };
  };
  if (cidrContains(IPV4_COMPATIBLE, ip)) return nonPublic(ipv4At(b, 12), 'reserved');
  // RFC 8215 lets operators place the IPv4 address anywhere after the /48; the /96 layout is the
  // common one, and the prefix is local-use anyway.
  if (cidrContains(NAT64_LOCAL, ip)) return nonPublic(ipv4At(b, 12), 'private');
  if (cidrContains(SIX_TO_FOUR, ip)) {
    // 2002:AABB:CCDD::/48 belongs to the 6to4 site whose IPv4 address is AA.BB.CC.DD.
    const embedded = ipv4At(b, 2);
    const category = categoryOfIpv4(embedded);
    return category === 'public' ? { category } : { category, embedded };
  }
  const rule = IPV6_RULES.find(([cidr]) => cidrContains(cidr, ip));
  if (rule) return { category: rule[1] };
  if (!cidrContains(GLOBAL_UNICAST, ip)) return { category: 'reserved' };
  return { category: 'public' };
}

/** Lower case, no trailing dot, punycode: the form `new URL().hostname` gives. */
export function normalizeHostname(hostname: string): string {
  let h = hostname.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.endsWith('.')) h = h.slice(0, -1);
  return h;
}

/** `localhost` and `*.localhost` are loopback by definition (RFC 6761), whatever DNS says. */
export function isLocalhostName(hostname: string): boolean {
  const h = normalizeHostname(hostname);
  return h === 'localhost' || h.endsWith('.localhost');
}

export type PolicyDecision =
  | { allowed: true; classification: AddressClassification; via: 'public' | 'allowList' }
  | {
      allowed: false;
      /** Undefined when the "address" was not an IP address at all. */
      classification: AddressClassification | undefined;
      /** The phrase for the message: "a private address". */
      reason: string;
      /** False for categories the allow-list cannot open, so messages do not suggest it. */
      operatorCanAllow: boolean;
    };

export interface AddressPolicy {
  /** Whether `address` (an answer for `hostname`, or `hostname` itself) may be contacted. */
  check(hostname: string, address: string): PolicyDecision;
  /** Whether the host name itself is on the allow-list (exact match). */
  allowsHostname(hostname: string): boolean;
}

interface AllowList {
  hostnames: Set<string>;
  cidrs: Cidr[];
}

const HOSTNAME_RE =
  /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

function parseAllowList(entries: readonly string[]): { list: AllowList; problems: string[] } {
  const list: AllowList = { hostnames: new Set(), cidrs: [] };
  const problems: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === '') continue;
    if (entry.includes('/')) {
      const cidr = parseCidr(entry);
      if (cidr) list.cidrs.push(cidr);
      else problems.push(`"${entry}" is not a valid CIDR (like 10.0.0.0/8 or fd00::/8)`);
      continue;
    }
    const ip = parseAnyIp(entry);
    if (ip) {
      list.cidrs.push({ family: ip.family, bytes: ip.bytes, prefix: ip.family === 4 ? 32 : 128 });
      continue;
    }
    if (entry.includes('*')) {
      problems.push(`"${entry}": wildcards are not supported; list each host name`);
      continue;
    }
    const host = domainToASCII(normalizeHostname(entry));
    if (host !== '' && HOSTNAME_RE.test(host)) list.hostnames.add(host);
    else problems.push(`"${entry}" is not a host name, an IP address or a CIDR`);
  }
  return { list, problems };
}

/**
 * The problems in an allow-list, one message per bad entry; empty when it is valid. Config loading
 * can call this to fail fast at startup.
 */
export function validateAllowedPrivateHosts(entries: readonly string[]): string[] {
  return parseAllowList(entries).problems;
}

/**
 * Builds the policy for an operator allow-list of host names (exact, case-insensitive, trailing
 * dot ignored, never a suffix match), IP addresses and CIDRs.
 *
 * A host-name entry opens every address that name resolves to, except cloud metadata addresses:
 * those open only through an exact IP entry, so that a hijacked DNS answer for an allowed name cannot
 * reach credentials.
 *
 * @example createAddressPolicy(['media.internal', '10.20.0.0/16', 'fd12::7'])
 */
export function createAddressPolicy(allowedPrivateHosts: readonly string[]): AddressPolicy {
  const { list, problems } = parseAllowList(allowedPrivateHosts);
  if (problems.length > 0) {
    throw new EarshotError('internal', `EARSHOT_ALLOWED_PRIVATE_HOSTS is invalid: ${problems.join('; ')}`);
  }
  const allowsHostname = (hostname: string) => list.hostnames.has(normalizeHostname(hostname));

  const ipAllowed = (ip: IpAddress, classification: AddressClassification): boolean => {
    const candidates = [ip];
    // An allow-listed 10.0.0.0/8 also covers ::ffff:10.0.0.5, which reaches the same host.
    if (classification.embeddedIpv4) candidates.push(parseIp(classification.embeddedIpv4)!);
    const exactOnly = classification.category === 'metadata';
    return list.cidrs.some(
      (cidr) =>
        (!exactOnly || cidr.prefix === (cidr.family === 4 ? 32 : 128)) &&
        candidates.some((candidate) => cidrContains(cidr, candidate)),
    );
  };

  return {
    allowsHostname,
    check(hostname, address) {
      const ip = parseAnyIp(address);
      if (!ip) {
        return {
          allowed: false,
          classification: undefined,
          reason: 'not an IP address',
          operatorCanAllow: false,
        };
      }
      const classification = classifyIp(ip);
      const { category } = classification;
      if (category === 'public') return { allowed: true, classification, via: 'public' };
      const reason = AddressCategories[category];
      if (NEVER_ALLOWED.has(category)) {
        return { allowed: false, classification, reason, operatorCanAllow: false };
      }
      if (ipAllowed(ip, classification) || (category !== 'metadata' && allowsHostname(hostname))) {
        return { allowed: true, classification, via: 'allowList' };
      }
      return { allowed: false, classification, reason, operatorCanAllow: category !== 'metadata' };
    },
  };
}
