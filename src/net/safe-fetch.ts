import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { promises as dns } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EarshotError, isEarshotError } from '../domain/errors.js';
import { createAddressPolicy, isLocalhostName, parseAnyIp, type AddressPolicy } from './address-policy.js';
import { Deadline } from './deadline.js';

/**
 * Fetches user-supplied URLs (audio_url, webhooks) without letting them reach this server's own
 * network: every hop's host is resolved and checked, the connection goes to the exact address that
 * was checked (so a second DNS answer cannot swap it), redirects are followed by hand and checked
 * again, and size and total time are capped.
 */

/** One DNS answer, as `dns.lookup(host, {all: true})` gives it. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to every address it has. */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface SafeFetchOptions {
  /**
   * What is being fetched, as the user named it; starts every error message and is the error's
   * `param`.
   * @example 'audio_url'
   */
  purpose: string;
  /** Total time for DNS, connect, every redirect, headers and the whole body. */
  timeoutMs: number;
  /** Largest body accepted, checked against Content-Length first and counted while streaming. */
  maxBytes: number;
  /** Redirects followed before giving up; 0 refuses every redirect. */
  maxRedirects: number;
  /** Host names (exact), IPs and CIDRs that may be reached although they are not public. */
  allowedPrivateHosts: readonly string[];
  /** Cancels the fetch (and the body stream) with a `cancelled` error. */
  signal?: AbortSignal | undefined;
  /** @defaultValue 'GET' */
  method?: Method | undefined;
  headers?: Readonly<Record<string, string>> | undefined;
  /**
   * Request body for POST or PUT; dropped when a redirect turns the request into a GET (303, and
   * 301/302 after a POST).
   */
  body?: string | Buffer | undefined;
  /**
   * Replaces the system resolver. For tests only (a fake DNS that changes its answer proves the
   * connection uses the first, checked one).
   */
  lookup?: HostResolver | undefined;
}

export interface SafeResponse {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  /** The URL after redirects. */
  finalUrl: string;
  /**
   * The body, capped at `maxBytes` and ended by the same deadline; it fails with an EarshotError
   * (`payloadTooLarge`, `timeout`, `cancelled`, `fetchFailed`). Read it or destroy it.
   */
  body: Readable;
}

type Method = 'GET' | 'POST' | 'PUT';

interface Hop {
  url: URL;
  method: Method;
  headers: Record<string, string>;
  body: Buffer | undefined;
}

/** What every helper needs to describe and bound one fetch. */
interface FetchContext {
  purpose: string;
  action: 'download' | 'request';
  timeoutMs: number;
  maxRedirects: number;
  policy: AddressPolicy;
  resolve: HostResolver;
  deadline: Deadline;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

// Set by this module; a caller's copy would break framing or point the request at another site.
const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection']);

// Credentials meant for the first origin must not follow a redirect to another one.
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

const systemResolver: HostResolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/**
 * Fetches `url` under the SSRF policy and returns the 2xx response with its body still streaming.
 * Any other final status is a `fetchFailed` error.
 */
export async function safeFetch(url: string, options: SafeFetchOptions): Promise<SafeResponse> {
  const ctx = createContext(options);
  try {
    const { response, finalUrl } = await fetchFollowingRedirects(url, options, ctx);
    const status = response.statusCode ?? 0;
    if (status < 200 || status > 299) {
      response.destroy();
      const statusText = response.statusMessage ? ` ${response.statusMessage}` : '';
      throw failed(ctx, `the server answered HTTP ${status}${statusText}`);
    }
    const announced = contentLength(response.headers);
    if (announced !== undefined && announced > options.maxBytes) {
      response.destroy();
      throw new EarshotError(
        'payloadTooLarge',
        `${ctx.purpose} is too large: the server announced ${announced} bytes, more than the limit of ${options.maxBytes} bytes`,
        { param: ctx.purpose },
      );
    }
    return {
      status,
      statusText: response.statusMessage ?? '',
      headers: response.headers,
      finalUrl: finalUrl.href,
      body: limitedBody(response, options.maxBytes, ctx),
    };
  } catch (error) {
    ctx.deadline.dispose();
    throw error;
  }
}

export interface DownloadResult {
  bytes: number;
  contentType: string | undefined;
  finalUrl: string;
}

/** Downloads `url` into `filePath` (created or replaced); the partial file is removed on any failure. */
export async function downloadToFile(
  url: string,
  filePath: string,
  options: SafeFetchOptions,
): Promise<DownloadResult> {
  const response = await safeFetch(url, options);
  const file = createWriteStream(filePath);
  try {
    await pipeline(response.body, file);
  } catch (error) {
    response.body.destroy();
    // A failed cleanup must not hide why the download failed.
    await rm(filePath, { force: true }).catch(() => undefined);
    throw error;
  }
  return {
    bytes: file.bytesWritten,
    contentType: response.headers['content-type'],
    finalUrl: response.finalUrl,
  };
}

export interface PostJsonOptions extends Omit<SafeFetchOptions, 'method' | 'body' | 'maxBytes'> {
  /**
   * The HTTP method of the delivery (Gladia callbacks may ask for PUT).
   * @defaultValue 'POST'
   */
  method?: 'POST' | 'PUT' | undefined;
  /**
   * How much of the response body is read (and thrown away) before the connection is closed.
   * @defaultValue 65536
   */
  maxBytes?: number | undefined;
}

/**
 * POSTs (or PUTs) `payload` as JSON (a webhook delivery) and returns the final status, whatever it is: the
 * caller decides what to retry. Refusals, network errors and timeouts before the status arrives
 * throw. The response body is drained up to `maxBytes` and discarded.
 */
export async function postJson(
  url: string,
  payload: unknown,
  options: PostJsonOptions,
): Promise<{ status: number }> {
  const maxBytes = options.maxBytes ?? 64 * 1024;
  const fetchOptions: SafeFetchOptions = {
    ...options,
    method: options.method ?? 'POST',
    maxBytes,
    body: JSON.stringify(payload),
    headers: { 'content-type': 'application/json', ...options.headers },
  };
  const ctx = createContext(fetchOptions);
  let response: IncomingMessage;
  try {
    ({ response } = await fetchFollowingRedirects(url, fetchOptions, ctx));
  } catch (error) {
    ctx.deadline.dispose();
    throw error;
  }
  const status = response.statusCode ?? 0;
  try {
    for await (const _chunk of limitedBody(response, maxBytes, ctx)) {
      // Discarded: the status is the answer; reading keeps a well-behaved server from seeing a reset.
    }
  } catch {
    // Once the status is known, a slow, long or broken response body changes nothing.
  }
  return { status };
}

export interface UrlCheckOptions {
  purpose: string;
  allowedPrivateHosts: readonly string[];
  /** Time allowed for DNS. @defaultValue 5000 */
  timeoutMs?: number;
  lookup?: HostResolver | undefined;
}

/**
 * Checks a URL the way the first hop of `safeFetch` would, without connecting: for refusing a
 * private or malformed URL when a request is submitted, instead of failing the job later. Only a
 * refusal throws; a host that does not resolve right now is left for the fetch to report.
 */
export async function assertUrlAllowed(url: string, options: UrlCheckOptions): Promise<void> {
  const ctx = createContext({
    purpose: options.purpose,
    allowedPrivateHosts: options.allowedPrivateHosts,
    timeoutMs: options.timeoutMs ?? 5_000,
    maxBytes: 0,
    maxRedirects: 0,
    lookup: options.lookup,
  });
  try {
    await checkedAddress(parseUserUrl(url, ctx), false, ctx);
  } catch (error) {
    if (isEarshotError(error) && (error.code === 'urlRefused' || error.code === 'badRequest')) throw error;
  } finally {
    ctx.deadline.dispose();
  }
}

function createContext(options: SafeFetchOptions): FetchContext {
  const purpose = options.purpose;
  for (const [name, value, min] of [
    ['timeoutMs', options.timeoutMs, 1],
    ['maxBytes', options.maxBytes, 0],
    ['maxRedirects', options.maxRedirects, 0],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < min) {
      throw new EarshotError(
        'internal',
        `safeFetch option ${name} must be an integer >= ${min}, got ${value}`,
      );
    }
  }
  const action = (options.method ?? 'GET') === 'GET' ? 'download' : 'request';
  return {
    purpose,
    action,
    timeoutMs: options.timeoutMs,
    maxRedirects: options.maxRedirects,
    policy: createAddressPolicy(options.allowedPrivateHosts),
    resolve: options.lookup ?? systemResolver,
    deadline: new Deadline(options.timeoutMs, options.signal, {
      timeout: () =>
        new EarshotError('timeout', `${purpose} ${action} timed out after ${options.timeoutMs} ms`, {
          param: purpose,
        }),
      cancelled: () =>
        new EarshotError('cancelled', `${purpose} ${action} was cancelled`, { param: purpose }),
    }),
  };
}

/** Sends the request and follows redirects; returns the first non-redirect response. */
async function fetchFollowingRedirects(
  url: string,
  options: SafeFetchOptions,
  ctx: FetchContext,
): Promise<{ response: IncomingMessage; finalUrl: URL }> {
  const headers: Record<string, string> = { 'user-agent': 'Earshot', 'accept-encoding': 'identity' };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (!RESERVED_HEADERS.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
  }
  let hop: Hop = {
    url: parseUserUrl(url, ctx),
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : Buffer.from(options.body),
  };
  const visited = new Set<string>();
  for (let redirects = 0; ; redirects++) {
    ctx.deadline.throwIfAborted();
    visited.add(hop.url.href);
    const address = await checkedAddress(hop.url, redirects > 0, ctx);
    const response = await send(hop, address, ctx);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (!REDIRECT_STATUSES.has(status) || location === undefined) return { response, finalUrl: hop.url };
    response.destroy();
    const next = parseRedirectUrl(location, hop.url, ctx);
    if (redirects >= ctx.maxRedirects) {
      const loop = visited.has(next.href) ? '; the server redirects in a loop' : '';
      throw failed(ctx, `more than ${ctx.maxRedirects} redirects (the last one to ${next.href})${loop}`);
    }
    hop = redirectedHop(hop, next, status);
  }
}

function redirectedHop(previous: Hop, url: URL, status: number): Hop {
  const headers = { ...previous.headers };
  if (url.origin !== previous.url.origin) for (const name of ORIGIN_BOUND_HEADERS) delete headers[name];
  // As browsers do: 303 always, and 301/302 after a POST, continue as a GET without the body.
  const toGet = status === 303 || ((status === 301 || status === 302) && previous.method === 'POST');
  if (!toGet) return { ...previous, url, headers };
  delete headers['content-type'];
  return { url, method: 'GET', headers, body: undefined };
}

function parseUserUrl(text: string, ctx: FetchContext): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new EarshotError('badRequest', `${ctx.purpose} is not a valid URL`, { param: ctx.purpose });
  }
  const problem = urlProblem(url);
  if (problem) throw refused(ctx, `${ctx.purpose} ${problem}`);
  return url;
}

function parseRedirectUrl(location: string, base: URL, ctx: FetchContext): URL {
  let url: URL;
  try {
    url = new URL(location, base);
  } catch {
    throw failed(ctx, `the server redirected to an invalid URL`);
  }
  const problem = urlProblem(url);
  if (problem) throw refused(ctx, `${ctx.purpose} redirected to a URL that ${problem}`);
  return url;
}

/** Why a URL may not be fetched at all, whatever its host: completes "<purpose> …". */
function urlProblem(url: URL): string | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `must be an http or https URL, not "${url.protocol}"`;
  }
  // Credentials in a URL end up in logs and job records, and servers rarely expect them.
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password';
  if (url.hostname === '') return 'has no host';
  return undefined;
}

/** `new URL()` keeps IPv6 hosts in brackets; sockets and resolvers want them bare. */
function bareHostname(url: URL): string {
  const h = url.hostname;
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/**
 * Resolves the hop's host and checks every answer; returns the one address to connect to. One bad
 * answer refuses the host: a name that resolves to both a public and a private address would
 * otherwise reach the private one whenever the client happens to pick it.
 */
async function checkedAddress(url: URL, isRedirect: boolean, ctx: FetchContext): Promise<ResolvedAddress> {
  const hostname = bareHostname(url);
  const subject = isRedirect ? `the redirect target ${url.host}` : url.host;
  const hint = '; ask the operator to allow it with EARSHOT_ALLOWED_PRIVATE_HOSTS';

  // `new URL()` has already turned 2130706433, 0x7f.1 and 0177.0.0.1 into dotted quads; the
  // legacy parser catches any that reach here by another path.
  const literal = parseAnyIp(hostname);
  if (literal) {
    const decision = ctx.policy.check(hostname, hostname);
    if (!decision.allowed) {
      throw refused(
        ctx,
        `${ctx.purpose} refused: ${subject} is ${decision.reason}${decision.operatorCanAllow ? hint : ''}`,
      );
    }
    return { address: decision.classification.address, family: decision.classification.family };
  }

  if (isLocalhostName(hostname) && !ctx.policy.allowsHostname(hostname)) {
    throw refused(ctx, `${ctx.purpose} refused: ${subject} is a loopback host name${hint}`);
  }

  let answers: readonly ResolvedAddress[];
  try {
    answers = await ctx.deadline.race(ctx.resolve(hostname));
  } catch (error) {
    throw ctx.deadline.reason ?? dnsError(error, url.hostname, ctx);
  }
  if (answers.length === 0) throw failed(ctx, `the host ${url.hostname} could not be found`);
  for (const answer of answers) {
    const decision = ctx.policy.check(hostname, answer.address);
    if (!decision.allowed) {
      throw refused(
        ctx,
        `${ctx.purpose} refused: ${subject} resolves to ${answer.address}, ${decision.reason}${decision.operatorCanAllow ? hint : ''}`,
      );
    }
  }
  const first = answers[0]!;
  return { address: first.address, family: first.address.includes(':') ? 6 : 4 };
}

/** A `lookup` for the socket that answers with the checked address and never asks DNS again. */
function pinnedLookup(target: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
}

/** Sends one request to `target` and resolves with the response head. */
function send(hop: Hop, target: ResolvedAddress, ctx: FetchContext): Promise<IncomingMessage> {
  const transport = hop.url.protocol === 'https:' ? https : http;
  const headers = { ...hop.headers };
  if (hop.body) headers['content-length'] = String(hop.body.length);
  return new Promise<IncomingMessage>((resolve, reject) => {
    const request = transport.request(
      {
        method: hop.method,
        // The host name stays the request's host, so Host, TLS SNI and certificate checks use it,
        // while `lookup` pins where the socket goes.
        hostname: bareHostname(hop.url),
        port: hop.url.port === '' ? undefined : Number(hop.url.port),
        path: `${hop.url.pathname}${hop.url.search}`,
        headers,
        lookup: pinnedLookup(target),
        // A fresh connection per request: a pooled socket was checked for another request's policy.
        agent: false,
      },
      (response) => {
        stopAbort();
        // Until the body is wired up, a deadline still has to close this response.
        const stopResponseAbort = ctx.deadline.onAbort((reason) => response.destroy(reason));
        response.once('close', stopResponseAbort);
        resolve(response);
      },
    );
    const stopAbort = ctx.deadline.onAbort((reason) => request.destroy(reason));
    request.on('error', (error) => {
      stopAbort();
      reject(ctx.deadline.reason ?? networkError(error, hop.url, ctx));
    });
    request.end(hop.body);
  });
}

/**
 * The response body behind a byte counter; closing it (end, error, destroy) ends the deadline and
 * the connection.
 */
function limitedBody(response: IncomingMessage, maxBytes: number, ctx: FetchContext): Readable {
  let received = 0;
  const body = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (received > maxBytes) {
        callback(
          new EarshotError(
            'payloadTooLarge',
            `${ctx.purpose} is larger than the limit of ${maxBytes} bytes`,
            {
              param: ctx.purpose,
            },
          ),
        );
      } else {
        callback(null, chunk);
      }
    },
  });
  const stopAbort = ctx.deadline.onAbort((reason) => body.destroy(reason));
  response.on('error', (error) => {
    body.destroy(ctx.deadline.reason ?? (isEarshotError(error) ? error : bodyError(error, ctx)));
  });
  body.once('close', () => {
    stopAbort();
    ctx.deadline.dispose();
    response.destroy();
  });
  response.pipe(body);
  return body;
}

function contentLength(headers: IncomingHttpHeaders): number | undefined {
  const raw = headers['content-length'];
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

function refused(ctx: FetchContext, message: string): EarshotError {
  return new EarshotError('urlRefused', message, { param: ctx.purpose });
}

function failed(ctx: FetchContext, why: string, cause?: unknown): EarshotError {
  return new EarshotError('fetchFailed', `${ctx.purpose} ${ctx.action} failed: ${why}`, {
    param: ctx.purpose,
    cause,
  });
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function dnsError(error: unknown, host: string, ctx: FetchContext): EarshotError {
  if (isEarshotError(error)) return error;
  const code = errorCode(error);
  if (code === 'ENOTFOUND' || code === 'ENODATA' || code === 'EAI_NONAME') {
    return failed(ctx, `the host ${host} could not be found`, error);
  }
  if (code === 'EAI_AGAIN') return failed(ctx, `the DNS lookup for ${host} failed temporarily`, error);
  return failed(ctx, `the DNS lookup for ${host} failed (${code ?? 'unknown error'})`, error);
}

function networkError(error: unknown, url: URL, ctx: FetchContext): EarshotError {
  if (isEarshotError(error)) return error;
  const code = errorCode(error) ?? '';
  const host = url.host;
  if (code === 'ECONNREFUSED') return failed(ctx, `${host} refused the connection`, error);
  if (code === 'ECONNRESET' || code === 'EPIPE') return failed(ctx, `${host} closed the connection`, error);
  if (['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN'].includes(code)) {
    return failed(ctx, `${host} could not be reached (${code})`, error);
  }
  if (code.startsWith('HPE_')) return failed(ctx, `${host} sent an invalid HTTP response`, error);
  if (
    code.startsWith('ERR_TLS_') ||
    code.startsWith('CERT_') ||
    code.includes('SSL') ||
    code.includes('CERT')
  ) {
    return failed(ctx, `the TLS connection to ${host} failed (${code})`, error);
  }
  const message = error instanceof Error ? error.message : String(error);
  return failed(ctx, `could not connect to ${host}: ${message}`, error);
}

function bodyError(error: unknown, ctx: FetchContext): EarshotError {
  return failed(ctx, 'the connection closed before the whole body arrived', error);
}
