import { parse } from 'tldts';
import type { Token } from './tokens.js';

/**
 * Host names written or spoken: "example.com", "example dot com", "w w w dot example dot co dot
 * uk". A name counts only when tldts finds a real (ICANN) public suffix and a registrable label
 * before it, which rules out "e.g.", "3.5", "U.S." and other dotted words.
 */

/** A token that can be (part of) a DNS label, or a host already written with dots. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;
const DOT_WORDS = new Set(['dot', 'period', 'point']);

export interface HostReading {
  host: string;
  /** Index of the first token. */
  start: number;
  /** Index after the last token. */
  end: number;
}

/** True when `host` is a registrable name under a real public suffix. */
export function isRealHost(host: string): boolean {
  const parsed = parse(host);
  return (
    parsed.isIcann === true &&
    !parsed.isIp &&
    parsed.domain !== null &&
    (parsed.domainWithoutSuffix ?? '') !== '' &&
    parsed.hostname === host
  );
}

/**
 * One label starting at `i`: a single token, or letters spelled one by one ("w w w", "i b m") that
 * together make one label.
 */
function readLabel(tokens: readonly Token[], i: number): { label: string; end: number } | undefined {
  const token = tokens[i];
  if (!token || !LABEL.test(token.norm) || DOT_WORDS.has(token.norm)) return undefined;
  if (token.norm.length === 1) {
    let label = token.norm;
    let end = i + 1;
    while (tokens[end] && /^[a-z0-9]$/.test(tokens[end]!.norm)) label += tokens[end++]!.norm;
    return { label, end };
  }
  return { label: token.norm, end: i + 1 };
}

/**
 * The longest real host starting at token `start`, labels joined by spoken "dot"s or written
 * dots, or undefined. A lone word is never a host: it takes a dot to make one.
 */
export function readHost(tokens: readonly Token[], start: number): HostReading | undefined {
  const first = readLabel(tokens, start);
  if (!first) return undefined;
  let host = first.label;
  let end = first.end;
  let best: HostReading | undefined =
    host.includes('.') && isRealHost(host) ? { host, start, end } : undefined;
  while (end < tokens.length && DOT_WORDS.has(tokens[end]!.norm) && !/[,.?!;]/.test(tokens[end - 1]!.trail)) {
    const next = readLabel(tokens, end + 1);
    if (!next) break;
    host += `.${next.label}`;
    end = next.end;
    if (isRealHost(host)) best = { host, start, end };
  }
  return best;
}
