import { isIPv4, isIPv6 } from 'node:net';

/**
 * IP address parsing, formatting and CIDR matching on raw bytes. The SSRF guard compares bytes,
 * never strings, so `::ffff:7f00:1`, `::ffff:127.0.0.1` and `0:0:0:0:0:ffff:7f00:1` are the same
 * address to it.
 */

export type IpFamily = 4 | 6;

export interface IpAddress {
  family: IpFamily;
  /** 4 bytes for IPv4, 16 for IPv6, network order. */
  bytes: Uint8Array;
  /** IPv6 zone id (`eth0` in `fe80::1%eth0`); it does not change what kind of address it is. */
  zone: string | undefined;
}

export interface Cidr {
  family: IpFamily;
  bytes: Uint8Array;
  prefix: number;
}

/**
 * Parses a strict IP literal: dotted-quad IPv4 (no leading zeros, as `net.isIPv4`) or IPv6 with
 * optional brackets and zone id. Returns undefined for anything else, including host names and the
 * legacy IPv4 notations (see {@link parseLegacyIpv4}).
 */
export function parseIp(text: string): IpAddress | undefined {
  let s = text.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  if (isIPv4(s)) return { family: 4, bytes: Uint8Array.from(s.split('.').map(Number)), zone: undefined };
  const percent = s.indexOf('%');
  const zone = percent === -1 ? undefined : s.slice(percent + 1);
  const bare = percent === -1 ? s : s.slice(0, percent);
  if (zone === '' || !isIPv6(bare)) return undefined;
  const bytes = parseValidIpv6(bare);
  return bytes && { family: 6, bytes, zone };
}

/** Expands an IPv6 string that `net.isIPv6` already accepted into 16 bytes. */
function parseValidIpv6(s: string): Uint8Array | undefined {
  const words: number[] = [];
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const toWords = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const group of part.split(':')) {
      if (group.includes('.')) {
        // A trailing dotted quad fills the last two words (`::ffff:1.2.3.4`).
        if (!isIPv4(group)) return undefined;
        const [a, b, c, d] = group.split('.').map(Number) as [number, number, number, number];
        out.push((a << 8) | b, (c << 8) | d);
      } else {
        out.push(Number.parseInt(group, 16));
      }
    }
    return out;
  };
  const head = toWords(halves[0] ?? '');
  const tail = halves.length === 2 ? toWords(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  const gap = 8 - head.length - tail.length;
  if (halves.length === 1 ? gap !== 0 : gap < 1) return undefined;
  words.push(...head, ...new Array<number>(halves.length === 2 ? gap : 0).fill(0), ...tail);
  const bytes = new Uint8Array(16);
  words.forEach((word, i) => {
    bytes[i * 2] = word >> 8;
    bytes[i * 2 + 1] = word & 0xff;
  });
  return bytes;
}

/**
 * Parses the IPv4 notations that `inet_aton` (and so `getaddrinfo`, curl, and WHATWG URL hosts)
 * accept: 1 to 4 parts, each decimal, octal (`0177`) or hex (`0x7f`), the last part filling the
 * remaining bytes (`127.1`, `2130706433`). A resolver would turn these into real addresses, so the
 * guard must see them as addresses too, not as host names.
 */
export function parseLegacyIpv4(text: string): Uint8Array | undefined {
  let s = text.trim().toLowerCase();
  if (s.endsWith('.')) s = s.slice(0, -1);
  const parts = s.split('.');
  if (parts.length < 1 || parts.length > 4) return undefined;
  const values: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0x[0-9a-f]*$/.test(part)) value = part.length === 2 ? 0 : Number.parseInt(part.slice(2), 16);
    else if (/^0[0-7]*$/.test(part)) value = Number.parseInt(part, 8);
    else if (/^[1-9][0-9]*$/.test(part)) value = Number.parseInt(part, 10);
    else return undefined;
    // Long digit strings parse to huge or unsafe numbers; they are never valid parts.
    if (!Number.isSafeInteger(value)) return undefined;
    values.push(value);
  }
  const last = values.pop() ?? 0;
  if (values.some((v) => v > 255)) return undefined;
  const lastBytes = 4 - values.length;
  if (last >= 256 ** lastBytes) return undefined;
  const bytes = new Uint8Array(4);
  values.forEach((v, i) => (bytes[i] = v));
  for (let i = 3, rest = last; i >= values.length; i--, rest = Math.floor(rest / 256)) bytes[i] = rest % 256;
  return bytes;
}

/** Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run as `::`). */
export function formatIp(ip: Pick<IpAddress, 'family' | 'bytes'>): string {
  if (ip.family === 4) return Array.from(ip.bytes).join('.');
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((ip.bytes[i] ?? 0) << 8) | (ip.bytes[i + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  // RFC 5952 4.2.2: a single zero word is not shortened.
  if (bestLength < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Parses `10.0.0.0/8` or `fd00::/8`; a bare address is a full-length prefix. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.lastIndexOf('/');
  const ip = parseIp(slash === -1 ? text : text.slice(0, slash));
  if (!ip || ip.zone !== undefined) return undefined;
  const max = ip.family === 4 ? 32 : 128;
  const prefixText = slash === -1 ? String(max) : text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > max) return undefined;
  return { family: ip.family, bytes: maskBytes(ip.bytes, prefix), prefix };
}

/** True when `ip` lies in `cidr`; addresses of the other family never match. */
export function cidrContains(cidr: Cidr, ip: Pick<IpAddress, 'family' | 'bytes'>): boolean {
  if (cidr.family !== ip.family) return false;
  const masked = maskBytes(ip.bytes, cidr.prefix);
  return masked.every((byte, i) => byte === cidr.bytes[i]);
}

function maskBytes(bytes: Uint8Array, prefix: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const bits = Math.min(8, Math.max(0, prefix - i * 8));
    out[i] = (bytes[i] ?? 0) & ((0xff00 >> bits) & 0xff);
  }
  return out;
}

/** The 4 bytes at `offset` of an IPv6 address, as an IPv4 address. */
export function ipv4At(bytes: Uint8Array, offset: number): IpAddress {
  return { family: 4, bytes: bytes.slice(offset, offset + 4), zone: undefined };
}
