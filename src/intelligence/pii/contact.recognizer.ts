import { isIP } from 'node:net';
import { isPossiblePhoneNumber, isValidPhoneNumber } from 'libphonenumber-js';
import { eng as ENGLISH_STOPWORDS } from 'stopword';
import { readHost } from './domain-name.js';
import { digitWindows, pickWindows, type DigitWindow } from './numbers.js';
import { PRIORITY, tokenSpan, type Candidate, type PiiDocument } from './recognizer.js';
import { cues, hasCueAfter, hasCueBefore, type Token } from './tokens.js';

/** Phones, email addresses, URLs and IP addresses, written or spoken. */

const STOPWORDS = new Set(ENGLISH_STOPWORDS);

/** Words that announce a phone number; they let through numbers libphonenumber only finds possible. */
const PHONE_CUES = cues(
  'phone',
  'number',
  'call',
  'reach',
  'cell',
  'mobile',
  'dial',
  'text',
  'fax',
  'line',
  'contact',
  'extension',
  'landline',
  'digits',
);
const EMAIL_CUES = cues(
  'email',
  'e-mail',
  'mail',
  'address',
  'emailed',
  'inbox',
  'send',
  'sent',
  'write',
  'contact',
);
const EMAIL_CONNECTORS: Record<string, string> = { dot: '.', underscore: '_', dash: '-', hyphen: '-' };
const URL_PATH_WORDS = new Set(['slash', 'forward']);

/**
 * North American numbering: an area code never starts with 0 or 1. (Exchanges follow the same
 * rule, but the fictional "555-123-4567" everyone reads out breaks it, so it is not required.)
 */
const NANP_SHAPE = /^1?[2-9]\d{9}$/;

/** A default region is needed for national numbers; the product speaks American English first. */
const REGION = 'US';

function isWritten(tokens: readonly Token[], window: DigitWindow): boolean {
  for (let k = window.start; k < window.end; k++) if (!/\d/.test(tokens[k]!.norm)) return false;
  return true;
}

/**
 * Whether a window of digits is a phone number. libphonenumber's full validation knows which area
 * codes exist; a number it only finds *possible* (the fictional 555 exchange, new area codes) is
 * kept when the speaker announced a number or it was written out as one.
 */
function isPhone(doc: PiiDocument, window: DigitWindow, international: boolean): boolean {
  const { digits } = window;
  if (international) return isValidPhoneNumber(`+${digits}`);
  const cued = hasCueBefore(doc.tokens, window.start, PHONE_CUES, 8);
  // A local number without an area code: only when announced, and not starting like an area code.
  if (digits.length === 7) return cued && /^[2-9]/.test(digits);
  if (digits.length !== 10 && !(digits.length === 11 && digits.startsWith('1'))) return false;
  if (isValidPhoneNumber(digits, REGION)) return true;
  return (
    NANP_SHAPE.test(digits) &&
    isPossiblePhoneNumber(digits, REGION) &&
    (cued || isWritten(doc.tokens, window))
  );
}

export function findPhones(doc: PiiDocument): Candidate[] {
  const out: Candidate[] = [];
  const { tokens } = doc;
  for (const run of doc.runs) {
    const plusWord = tokens[run.start - 1]?.norm === 'plus';
    const international = plusWord || tokens[run.start]!.norm.startsWith('+');
    // The number is all of what is read out: ten digits inside a longer run are chance.
    const windows = digitWindows(run, 7, 15).filter((w) => w.start === run.start && w.end === run.end);
    for (const window of pickWindows(windows, (w) => isPhone(doc, w, international))) {
      const from = plusWord ? window.start - 1 : window.start;
      const span = tokenSpan(tokens, from, window.end, 'phone_number', PRIORITY.phone);
      // "(212) 555-0147": the area code's opening parenthesis is part of the written number.
      if (tokens[from]!.lead.endsWith('(')) span.start--;
      out.push(span);
    }
  }
  return out;
}

const LOCAL_PART = /^[a-z0-9][a-z0-9._%+-]*$/;

/**
 * The local part that ends right before token `at`: a word, extended backwards over spoken
 * connectors ("john dot smith", "j underscore doe"). Returns its first token index and whether
 * it looks like a mailbox on its own (connectors, digits or written dots).
 */
function readLocalPart(tokens: readonly Token[], at: number): { start: number; strong: boolean } | undefined {
  let start = at - 1;
  const last = tokens[start];
  if (!last || !LOCAL_PART.test(last.norm) || /[,.?!;]/.test(last.trail)) return undefined;
  let strong = /[\d._]/.test(last.norm);
  while (
    start >= 2 &&
    tokens[start - 1]!.norm in EMAIL_CONNECTORS &&
    LOCAL_PART.test(tokens[start - 2]!.norm)
  ) {
    start -= 2;
    strong = true;
  }
  return { start, strong };
}

export function findEmails(doc: PiiDocument): Candidate[] {
  const { tokens } = doc;
  const out: Candidate[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    // Written whole: "john.smith@example.com".
    const atSign = token.norm.indexOf('@');
    if (atSign > 0 && token.norm.length > atSign + 1) {
      const local = token.norm.slice(0, atSign);
      const host = readHost([{ ...token, norm: token.norm.slice(atSign + 1) }], 0);
      if (LOCAL_PART.test(local) && host)
        out.push(tokenSpan(tokens, i, i + 1, 'email_address', PRIORITY.email));
      continue;
    }
    // Spoken or mixed: "john dot smith at example dot com", "jane at gmail.com".
    if (token.norm !== 'at' && token.norm !== '@') continue;
    const host = readHost(tokens, i + 1);
    const local = host ? readLocalPart(tokens, i) : undefined;
    if (!host || !local) continue;
    const word = tokens[local.start]!.norm;
    // "meet us at example dot com" names a site, not a mailbox: a plain word before "at" is a
    // mailbox only when not a function word and when the speaker talked about email.
    const plausible =
      local.strong ||
      (!STOPWORDS.has(word) &&
        (hasCueBefore(tokens, local.start, EMAIL_CUES, 10) || hasCueAfter(tokens, host.end, EMAIL_CUES, 8)));
    if (plausible) out.push(tokenSpan(tokens, local.start, host.end, 'email_address', PRIORITY.email));
    i = host.end - 1;
  }
  return out;
}

export function findUrls(doc: PiiDocument): Candidate[] {
  const { tokens } = doc;
  const out: Candidate[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const norm = tokens[i]!.norm;
    if (norm.includes('@')) continue;
    // Written: "https://example.com/pricing", "www.example.org", "example.co.uk/help".
    if (norm.includes('.')) {
      const url = /^[a-z][a-z0-9+.-]*:\/\//.test(norm) ? norm : `http://${norm}`;
      let hostname: string | undefined;
      try {
        hostname = new URL(url).hostname;
      } catch {
        hostname = undefined;
      }
      if (hostname && readHost([{ ...tokens[i]!, norm: hostname }], 0) && isIP(hostname) === 0) {
        out.push(tokenSpan(tokens, i, i + 1, 'url', PRIORITY.url));
        continue;
      }
    }
    // Spoken: "example dot com slash pricing". "The dot com bubble" is not a site: a host never
    // starts with a function word.
    if (STOPWORDS.has(norm)) continue;
    const host = readHost(tokens, i);
    if (!host || !host.host.includes('.') || host.end === i + 1) continue;
    let end = host.end;
    while (
      URL_PATH_WORDS.has(tokens[end]?.norm ?? '') &&
      tokens[end + 1] &&
      /^[a-z0-9-]+$/.test(tokens[end + 1]!.norm)
    ) {
      end += 2;
    }
    out.push(tokenSpan(tokens, i, end, 'url', PRIORITY.url));
    i = end - 1;
  }
  return out;
}

const DOT_WORDS = new Set(['dot', 'point', 'period']);

export function findIpAddresses(doc: PiiDocument): Candidate[] {
  const { tokens, runs } = doc;
  const out: Candidate[] = [];
  for (const token of tokens) {
    if (/^[\d.]+$|:/.test(token.norm) && isIP(token.norm) !== 0) {
      out.push({ type: 'ip_address', start: token.start, end: token.end, priority: PRIORITY.ipAddress });
    }
  }
  // Spoken: four digit runs joined by "dot" ("one nine two dot one six eight dot zero dot one").
  for (let r = 0; r + 3 < runs.length; r++) {
    const chain = runs.slice(r, r + 4);
    const joined = chain.every(
      (run, k) =>
        k === 0 || (run.start === chain[k - 1]!.end + 1 && DOT_WORDS.has(tokens[run.start - 1]!.norm)),
    );
    if (!joined) continue;
    const address = chain.map((run) => run.digits).join('.');
    if (isIP(address) === 4) {
      out.push(tokenSpan(tokens, chain[0]!.start, chain[3]!.end, 'ip_address', PRIORITY.ipAddress));
      r += 3;
    }
  }
  return out;
}
