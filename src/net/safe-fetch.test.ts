import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import diagnosticsChannel from 'node:diagnostics_channel';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import tls from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { EarshotError, type ErrorCode } from '../domain/errors.js';
import {
  downloadToFile,
  postJson,
  safeFetch,
  type HostResolver,
  type ResolvedAddress,
  type SafeFetchOptions,
} from './safe-fetch.js';

// Every server here listens on a loopback address, and every refused URL must fail before a socket
// is opened: the socket counter below proves it.

interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface TestServer {
  port: number;
  origin: string;
  requests: Recorded[];
  connections: number;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

async function startServer(handler: Handler, host = '127.0.0.1', port = 0): Promise<TestServer> {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  const state = { connections: 0 };
  server.on('connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const actualPort = (server.address() as AddressInfo).port;
  return {
    port: actualPort,
    origin: `http://${host}:${actualPort}`,
    requests,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Counts client sockets this process opens, to prove a refusal happened before connecting. */
let socketsOpened = 0;
const countSocket = () => socketsOpened++;
before(() => diagnosticsChannel.subscribe('net.client.socket', countSocket));
after(() => diagnosticsChannel.unsubscribe('net.client.socket', countSocket));

function options(overrides: Partial<SafeFetchOptions> = {}): SafeFetchOptions {
  return {
    purpose: 'audio_url',
    timeoutMs: 5000,
    maxBytes: 1_000_000,
    maxRedirects: 5,
    allowedPrivateHosts: ['127.0.0.1'],
    ...overrides,
  };
}

function earshotError(code: ErrorCode, message: string) {
  return (error: unknown) => {
    assert.ok(error instanceof EarshotError, `expected an EarshotError, got ${String(error)}`);
    assert.equal(error.message, message);
    assert.equal(error.code, code);
    return true;
  };
}

async function readAll(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A fake DNS that records its questions and answers from a list, the last answer repeating. */
function fakeResolver(
  ...answers: (readonly ResolvedAddress[] | Error)[]
): HostResolver & { calls: string[] } {
  const calls: string[] = [];
  const resolver = (hostname: string) => {
    const answer = answers[Math.min(calls.length, answers.length - 1)]!;
    calls.push(hostname);
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  };
  return Object.assign(resolver, { calls });
}

const HINT = '; ask the operator to allow it with EARSHOT_ALLOWED_PRIVATE_HOSTS';

void describe('safeFetch: downloads', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/audio.wav') {
        res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': '11' });
        res.end('hello audio');
      } else if (req.url === '/missing') {
        res.writeHead(404);
        res.end('no');
      } else if (req.url === '/broken') {
        res.writeHead(500, 'Internal Server Error');
        res.end();
      } else {
        res.writeHead(200);
        res.end('other');
      }
    });
  });
  after(() => server.close());

  void it('downloads from an allow-listed loopback server', async () => {
    const response = await safeFetch(`${server.origin}/audio.wav`, options());
    assert.equal(response.status, 200);
    assert.equal(response.statusText, 'OK');
    assert.equal(response.headers['content-type'], 'audio/wav');
    assert.equal(response.finalUrl, `${server.origin}/audio.wav`);
    assert.equal(await readAll(response.body), 'hello audio');
    const request = server.requests.at(-1)!;
    assert.equal(request.headers.host, `127.0.0.1:${server.port}`);
    assert.equal(request.headers['user-agent'], 'Earshot');
    assert.equal(request.headers['accept-encoding'], 'identity');
  });

  void it('drops a caller-supplied Host header and passes the others', async () => {
    const response = await safeFetch(
      `${server.origin}/audio.wav`,
      options({ headers: { Host: 'evil.example', 'X-Trace': 'abc' } }),
    );
    await readAll(response.body);
    const request = server.requests.at(-1)!;
    assert.equal(request.headers.host, `127.0.0.1:${server.port}`);
    assert.equal(request.headers['x-trace'], 'abc');
  });

  void it('turns 404 and 500 into fetchFailed with the status line', async () => {
    await assert.rejects(
      safeFetch(`${server.origin}/missing`, options()),
      earshotError('fetchFailed', 'audio_url download failed: the server answered HTTP 404 Not Found'),
    );
    await assert.rejects(
      safeFetch(`${server.origin}/broken`, options({ purpose: 'file_url' })),
      earshotError(
        'fetchFailed',
        'file_url download failed: the server answered HTTP 500 Internal Server Error',
      ),
    );
  });

  void it('sets the error param to the purpose', async () => {
    const error = await safeFetch(`${server.origin}/missing`, options()).catch((e: unknown) => e);
    assert.ok(error instanceof EarshotError);
    assert.equal(error.param, 'audio_url');
    assert.equal(error.status, 400);
  });

  void it('downloadToFile writes the body and reports size, type and final URL', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-fetch-'));
    try {
      const file = path.join(dir, 'audio.wav');
      const result = await downloadToFile(`${server.origin}/audio.wav`, file, options());
      assert.deepEqual(result, {
        bytes: 11,
        contentType: 'audio/wav',
        finalUrl: `${server.origin}/audio.wav`,
      });
      assert.equal(await readFile(file, 'utf8'), 'hello audio');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

void describe('safeFetch: refusals before connecting', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer((_req, res) => res.end('should not be reached'));
  });
  after(() => server.close());

  void it('refuses loopback in every notation when nothing is allowed', async () => {
    const p = server.port;
    const cases: [string, string][] = [
      [`http://localhost:${p}/`, `audio_url refused: localhost:${p} is a loopback host name${HINT}`],
      [`http://LOCALHOST.:${p}/`, `audio_url refused: localhost.:${p} is a loopback host name${HINT}`],
      [`http://api.localhost:${p}/`, `audio_url refused: api.localhost:${p} is a loopback host name${HINT}`],
      [`http://127.0.0.1:${p}/`, `audio_url refused: 127.0.0.1:${p} is a loopback address${HINT}`],
      [`http://2130706433:${p}/`, `audio_url refused: 127.0.0.1:${p} is a loopback address${HINT}`],
      [`http://0x7f000001:${p}/`, `audio_url refused: 127.0.0.1:${p} is a loopback address${HINT}`],
      [`http://0x7f.1:${p}/`, `audio_url refused: 127.0.0.1:${p} is a loopback address${HINT}`],
      [`http://0177.0.0.1:${p}/`, `audio_url refused: 127.0.0.1:${p} is a loopback address${HINT}`],
      [`http://127.1:${p}/`, `audio_url refused: 127.0.0.1:${p} is a loopback address${HINT}`],
      [`http://[::1]:${p}/`, `audio_url refused: [::1]:${p} is a loopback address${HINT}`],
      [
        `http://[::ffff:127.0.0.1]:${p}/`,
        `audio_url refused: [::ffff:7f00:1]:${p} is a loopback address${HINT}`,
      ],
      [
        `http://[0:0:0:0:0:ffff:7f00:1]:${p}/`,
        `audio_url refused: [::ffff:7f00:1]:${p} is a loopback address${HINT}`,
      ],
      [`http://[::127.0.0.1]:${p}/`, `audio_url refused: [::7f00:1]:${p} is a loopback address${HINT}`],
      [
        `http://[64:ff9b::7f00:1]:${p}/`,
        `audio_url refused: [64:ff9b::7f00:1]:${p} is a loopback address${HINT}`,
      ],
      [`http://0.0.0.0:${p}/`, `audio_url refused: 0.0.0.0:${p} is an unspecified ("this network") address`],
      [`http://0:${p}/`, `audio_url refused: 0.0.0.0:${p} is an unspecified ("this network") address`],
      [`http://[::]:${p}/`, `audio_url refused: [::]:${p} is an unspecified ("this network") address`],
      [
        'http://169.254.169.254/latest/meta-data',
        'audio_url refused: 169.254.169.254 is a cloud metadata service address',
      ],
      ['http://[fd00:ec2::254]/', 'audio_url refused: [fd00:ec2::254] is a cloud metadata service address'],
      ['http://10.1.2.3/', `audio_url refused: 10.1.2.3 is a private address${HINT}`],
      ['http://[fe80::1]/', `audio_url refused: [fe80::1] is a link-local address${HINT}`],
    ];
    const sockets = socketsOpened;
    for (const [url, message] of cases) {
      await assert.rejects(
        safeFetch(url, options({ allowedPrivateHosts: [] })),
        earshotError('urlRefused', message),
        url,
      );
    }
    assert.equal(socketsOpened, sockets);
    assert.equal(server.connections, 0);
  });

  void it('refuses other schemes, credentials and invalid URLs', async () => {
    const cases: [string, ErrorCode, string][] = [
      ['ftp://127.0.0.1/a.wav', 'urlRefused', 'audio_url must be an http or https URL, not "ftp:"'],
      ['file:///etc/passwd', 'urlRefused', 'audio_url must be an http or https URL, not "file:"'],
      ['gopher://127.0.0.1:70/', 'urlRefused', 'audio_url must be an http or https URL, not "gopher:"'],
      ['data:audio/wav;base64,AAAA', 'urlRefused', 'audio_url must be an http or https URL, not "data:"'],
      [
        `http://user:pass@127.0.0.1:${server.port}/`,
        'urlRefused',
        'audio_url must not contain a user name or password',
      ],
      [
        `http://user@127.0.0.1:${server.port}/`,
        'urlRefused',
        'audio_url must not contain a user name or password',
      ],
      ['not a url', 'badRequest', 'audio_url is not a valid URL'],
      ['http://[::1/', 'badRequest', 'audio_url is not a valid URL'],
      ['http://[fe80::1%25eth0]/', 'badRequest', 'audio_url is not a valid URL'],
    ];
    for (const [url, code, message] of cases) {
      await assert.rejects(safeFetch(url, options()), earshotError(code, message), url);
    }
    assert.equal(server.connections, 0);
  });

  void it('refuses a host when any one of its answers is not public', async () => {
    const resolver = fakeResolver([
      { address: '8.8.8.8', family: 4 },
      { address: '10.0.0.5', family: 4 },
    ]);
    await assert.rejects(
      safeFetch('http://mixed.test/a.wav', options({ lookup: resolver })),
      earshotError(
        'urlRefused',
        `audio_url refused: mixed.test resolves to 10.0.0.5, a private address${HINT}`,
      ),
    );
    const mapped = fakeResolver([{ address: '::ffff:169.254.169.254', family: 6 }]);
    await assert.rejects(
      safeFetch('http://meta.test/', options({ lookup: mapped })),
      earshotError(
        'urlRefused',
        'audio_url refused: meta.test resolves to ::ffff:169.254.169.254, a cloud metadata service address',
      ),
    );
    assert.deepEqual(resolver.calls, ['mixed.test']);
  });

  void it('reports DNS failures as fetchFailed', async () => {
    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.test'), { code: 'ENOTFOUND' });
    await assert.rejects(
      safeFetch('http://nowhere.test/', options({ lookup: fakeResolver(notFound) })),
      earshotError('fetchFailed', 'audio_url download failed: the host nowhere.test could not be found'),
    );
    const again = Object.assign(new Error('getaddrinfo EAI_AGAIN flaky.test'), { code: 'EAI_AGAIN' });
    await assert.rejects(
      safeFetch('http://flaky.test/', options({ lookup: fakeResolver(again) })),
      earshotError(
        'fetchFailed',
        'audio_url download failed: the DNS lookup for flaky.test failed temporarily',
      ),
    );
    await assert.rejects(
      safeFetch('http://empty.test/', options({ lookup: fakeResolver([]) })),
      earshotError('fetchFailed', 'audio_url download failed: the host empty.test could not be found'),
    );
  });

  void it('reports a refused connection as fetchFailed', async () => {
    const closed = await startServer(() => {});
    await closed.close();
    await assert.rejects(
      safeFetch(`${closed.origin}/`, options()),
      earshotError(
        'fetchFailed',
        `audio_url download failed: 127.0.0.1:${closed.port} refused the connection`,
      ),
    );
  });

  void it('rejects nonsense limits as a programming error', async () => {
    await assert.rejects(
      safeFetch(`${server.origin}/`, options({ timeoutMs: 0 })),
      earshotError('internal', 'safeFetch option timeoutMs must be an integer >= 1, got 0'),
    );
  });
});

void describe('safeFetch: host names and DNS pinning', () => {
  void it('lets an allow-listed host name through and keeps it as the Host header', async () => {
    const server = await startServer((_req, res) => res.end('internal media'));
    try {
      const resolver = fakeResolver([{ address: '127.0.0.1', family: 4 }]);
      const response = await safeFetch(
        `http://Media.Test:${server.port}/x`,
        options({ allowedPrivateHosts: ['media.test'], lookup: resolver }),
      );
      assert.equal(await readAll(response.body), 'internal media');
      assert.equal(server.requests[0]?.headers.host, `media.test:${server.port}`);
      assert.deepEqual(resolver.calls, ['media.test']);
      // The same name is refused when only a suffix would match.
      await assert.rejects(
        safeFetch(
          `http://evil.media.test:${server.port}/x`,
          options({ allowedPrivateHosts: ['media.test'], lookup: resolver }),
        ),
        earshotError(
          'urlRefused',
          `audio_url refused: evil.media.test:${server.port} resolves to 127.0.0.1, a loopback address${HINT}`,
        ),
      );
      assert.equal(server.connections, 1);
    } finally {
      await server.close();
    }
  });

  void it('connects to the address it checked, not to a later DNS answer (rebinding)', async () => {
    // Two servers on the same port: the checked address (127.0.0.1) and the address a rebinding
    // DNS answers with afterwards (127.0.0.2).
    const checked = await startServer((_req, res) => res.end('checked'));
    const rebound = await startServer((_req, res) => res.end('rebound'), '127.0.0.2', checked.port);
    try {
      const resolver = fakeResolver(
        [{ address: '127.0.0.1', family: 4 }],
        [{ address: '127.0.0.2', family: 4 }],
      );
      const fetchOptions = options({ allowedPrivateHosts: ['127.0.0.0/8'], lookup: resolver });
      const url = `http://rebind.test:${checked.port}/`;

      const first = await safeFetch(url, fetchOptions);
      assert.equal(await readAll(first.body), 'checked');
      assert.deepEqual(resolver.calls, ['rebind.test']);
      assert.equal(checked.connections, 1);
      assert.equal(rebound.connections, 0);

      // The resolver's next answer really does lead elsewhere, so the first result was not luck.
      const second = await safeFetch(url, fetchOptions);
      assert.equal(await readAll(second.body), 'rebound');
      assert.equal(resolver.calls.length, 2);
    } finally {
      await checked.close();
      await rebound.close();
    }
  });

  void it('sends the host name as TLS SNI while connecting to the checked address', async () => {
    const names: string[] = [];
    const server = tls.createServer({
      // No certificate: the handshake stops after the client hello, which is all this test reads.
      SNICallback: (servername, callback) => {
        names.push(servername);
        callback(new Error('no certificate for this test'));
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const error = await safeFetch(
        `https://secure.test:${port}/`,
        options({
          allowedPrivateHosts: ['secure.test'],
          lookup: fakeResolver([{ address: '127.0.0.1', family: 4 }]),
        }),
      ).catch((e: unknown) => e);
      assert.ok(error instanceof EarshotError);
      assert.equal(error.code, 'fetchFailed');
      assert.deepEqual(names, ['secure.test']);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

void describe('safeFetch: redirects', () => {
  let server: TestServer;
  let other: TestServer;
  before(async () => {
    other = await startServer((_req, res) => res.end('other origin'));
    server = await startServer((req, res) => {
      const redirect = (status: number, location: string) => {
        res.writeHead(status, { location });
        res.end();
      };
      const routes: Record<string, () => void> = {
        '/start': () => redirect(302, '/final'),
        '/final': () => res.end(`final ${req.method}`),
        '/to-metadata': () => redirect(302, 'http://169.254.169.254/latest/meta-data'),
        '/to-private': () => redirect(301, 'http://10.1.2.3/'),
        '/to-legacy-loopback': () => redirect(302, `http://0x7f.1:${server.port}/final`),
        '/to-file': () => redirect(302, 'file:///etc/passwd'),
        '/loop': () => redirect(302, '/loop'),
        '/see-other': () => redirect(303, '/final'),
        '/temporary': () => redirect(307, '/echo'),
        '/echo': () => res.end(`${req.method} ${req.headers['content-type'] ?? '-'}`),
        '/cross-origin': () => redirect(302, `${other.origin}/elsewhere`),
        '/no-location': () => {
          res.writeHead(302);
          res.end();
        },
      };
      (routes[req.url ?? ''] ?? (() => res.end('?')))();
    });
  });
  after(async () => {
    await server.close();
    await other.close();
  });

  void it('follows a relative redirect and reports the final URL', async () => {
    const response = await safeFetch(`${server.origin}/start`, options());
    assert.equal(await readAll(response.body), 'final GET');
    assert.equal(response.finalUrl, `${server.origin}/final`);
  });

  void it('refuses redirects to metadata and private addresses without connecting to them', async () => {
    let sockets = socketsOpened;
    await assert.rejects(
      safeFetch(`${server.origin}/to-metadata`, options()),
      earshotError(
        'urlRefused',
        'audio_url refused: the redirect target 169.254.169.254 is a cloud metadata service address',
      ),
    );
    assert.equal(socketsOpened - sockets, 1);

    sockets = socketsOpened;
    await assert.rejects(
      safeFetch(`${server.origin}/to-private`, options()),
      earshotError(
        'urlRefused',
        `audio_url refused: the redirect target 10.1.2.3 is a private address${HINT}`,
      ),
    );
    assert.equal(socketsOpened - sockets, 1);
  });

  void it('checks every hop against the policy, not only the first', async () => {
    const resolver = fakeResolver([{ address: '127.0.0.1', family: 4 }]);
    const fetchOptions = options({ allowedPrivateHosts: ['start.test'], lookup: resolver });
    // The first hop is allowed by name; the redirect to 0x7f.1 (127.0.0.1 by address) is not.
    await assert.rejects(
      safeFetch(`http://start.test:${server.port}/to-legacy-loopback`, fetchOptions),
      earshotError(
        'urlRefused',
        `audio_url refused: the redirect target 127.0.0.1:${server.port} is a loopback address${HINT}`,
      ),
    );
  });

  void it('refuses a redirect to another scheme', async () => {
    await assert.rejects(
      safeFetch(`${server.origin}/to-file`, options()),
      earshotError(
        'urlRefused',
        'audio_url redirected to a URL that must be an http or https URL, not "file:"',
      ),
    );
  });

  void it('ends a redirect loop after maxRedirects hops', async () => {
    const before = server.requests.length;
    await assert.rejects(
      safeFetch(`${server.origin}/loop`, options({ maxRedirects: 3 })),
      earshotError(
        'fetchFailed',
        `audio_url download failed: more than 3 redirects (the last one to ${server.origin}/loop); the server redirects in a loop`,
      ),
    );
    assert.equal(server.requests.length - before, 4);
  });

  void it('follows no redirect at all with maxRedirects 0', async () => {
    await assert.rejects(
      safeFetch(`${server.origin}/start`, options({ maxRedirects: 0 })),
      earshotError(
        'fetchFailed',
        `audio_url download failed: more than 0 redirects (the last one to ${server.origin}/final)`,
      ),
    );
  });

  void it('treats a redirect without Location as the final answer', async () => {
    await assert.rejects(
      safeFetch(`${server.origin}/no-location`, options()),
      earshotError('fetchFailed', 'audio_url download failed: the server answered HTTP 302 Found'),
    );
  });

  void it('turns a POST into a GET on 303 and keeps it on 307', async () => {
    const seeOther = await safeFetch(
      `${server.origin}/see-other`,
      options({ method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }),
    );
    assert.equal(await readAll(seeOther.body), 'final GET');
    const temporary = await safeFetch(
      `${server.origin}/temporary`,
      options({ method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } }),
    );
    assert.equal(await readAll(temporary.body), 'POST application/json');
    const echoed = server.requests.at(-1)!;
    assert.equal(echoed.body, '{"a":1}');
  });

  void it('drops credentials when a redirect leaves the origin', async () => {
    const response = await safeFetch(
      `${server.origin}/cross-origin`,
      options({ headers: { Authorization: 'Bearer secret', 'X-Keep': 'yes' } }),
    );
    assert.equal(await readAll(response.body), 'other origin');
    const first = server.requests.at(-1)!;
    const second = other.requests.at(-1)!;
    assert.equal(first.headers.authorization, 'Bearer secret');
    assert.equal(second.headers.authorization, undefined);
    assert.equal(second.headers['x-keep'], 'yes');
  });
});

void describe('safeFetch: size and time limits', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/announced') {
        res.writeHead(200, { 'content-length': '2000' });
        res.end('x'.repeat(2000));
      } else if (req.url?.startsWith('/chunked/')) {
        // No Content-Length: the size is known only while streaming.
        const size = Number(req.url.slice('/chunked/'.length));
        res.writeHead(200, { 'content-type': 'audio/mpeg' });
        for (let sent = 0; sent < size; sent += 100) res.write('y'.repeat(Math.min(100, size - sent)));
        res.end();
      } else if (req.url === '/dribble') {
        res.writeHead(200, { 'content-type': 'audio/wav' });
        const timer = setInterval(() => res.write('z'), 50);
        res.on('close', () => clearInterval(timer));
      } else if (req.url === '/silent') {
        // Never answers.
      } else if (req.url === '/truncated') {
        res.writeHead(200, { 'content-length': '1000' });
        res.write('only ten b');
        setTimeout(() => res.socket?.destroy(), 20);
      }
    });
  });
  after(() => server.close());

  void it('refuses a body whose Content-Length is over the limit before reading it', async () => {
    await assert.rejects(
      safeFetch(`${server.origin}/announced`, options({ maxBytes: 1000 })),
      earshotError(
        'payloadTooLarge',
        'audio_url is too large: the server announced 2000 bytes, more than the limit of 1000 bytes',
      ),
    );
  });

  void it('stops a body without Content-Length when it passes the limit', async () => {
    const response = await safeFetch(`${server.origin}/chunked/5000`, options({ maxBytes: 1000 }));
    await assert.rejects(
      readAll(response.body),
      earshotError('payloadTooLarge', 'audio_url is larger than the limit of 1000 bytes'),
    );
  });

  void it('accepts a body of exactly the limit', async () => {
    const response = await safeFetch(`${server.origin}/chunked/1000`, options({ maxBytes: 1000 }));
    assert.equal((await readAll(response.body)).length, 1000);
  });

  void it('downloadToFile removes the partial file when the body is too large', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-fetch-'));
    try {
      const file = path.join(dir, `${randomUUID()}.mp3`);
      await assert.rejects(
        downloadToFile(`${server.origin}/chunked/5000`, file, options({ maxBytes: 1000 })),
        earshotError('payloadTooLarge', 'audio_url is larger than the limit of 1000 bytes'),
      );
      assert.equal(existsSync(file), false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  void it('ends a slowly dribbling body at the total timeout', async () => {
    const started = Date.now();
    const response = await safeFetch(`${server.origin}/dribble`, options({ timeoutMs: 400 }));
    await assert.rejects(
      readAll(response.body),
      earshotError('timeout', 'audio_url download timed out after 400 ms'),
    );
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 380 && elapsed < 2000, `timed out after ${elapsed} ms`);
  });

  void it('times out while waiting for headers', async () => {
    const started = Date.now();
    await assert.rejects(
      safeFetch(`${server.origin}/silent`, options({ timeoutMs: 300 })),
      earshotError('timeout', 'audio_url download timed out after 300 ms'),
    );
    assert.ok(Date.now() - started < 2000);
  });

  void it('times out a slow DNS answer', async () => {
    const slow: HostResolver = () => new Promise(() => {});
    await assert.rejects(
      safeFetch('http://slow.test/', options({ timeoutMs: 200, lookup: slow })),
      earshotError('timeout', 'audio_url download timed out after 200 ms'),
    );
  });

  void it('downloadToFile removes the partial file on timeout', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-fetch-'));
    try {
      const file = path.join(dir, `${randomUUID()}.wav`);
      await assert.rejects(
        downloadToFile(`${server.origin}/dribble`, file, options({ timeoutMs: 300 })),
        earshotError('timeout', 'audio_url download timed out after 300 ms'),
      );
      assert.equal(existsSync(file), false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  void it('reports a connection closed mid-body', async () => {
    const response = await safeFetch(`${server.origin}/truncated`, options());
    await assert.rejects(
      readAll(response.body),
      earshotError(
        'fetchFailed',
        'audio_url download failed: the connection closed before the whole body arrived',
      ),
    );
  });

  void it('cancels with the caller signal, before or during the download', async () => {
    const controller = new AbortController();
    const response = await safeFetch(`${server.origin}/dribble`, options({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(
      readAll(response.body),
      earshotError('cancelled', 'audio_url download was cancelled'),
    );

    const sockets = socketsOpened;
    await assert.rejects(
      safeFetch(`${server.origin}/audio`, options({ signal: AbortSignal.abort() })),
      earshotError('cancelled', 'audio_url download was cancelled'),
    );
    assert.equal(socketsOpened, sockets);
  });
});

void describe('postJson', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/hook') {
        res.writeHead(202, { 'content-type': 'text/plain' });
        res.end('accepted');
      } else if (req.url === '/fail') {
        res.writeHead(500);
        res.end('boom');
      } else if (req.url === '/chatty') {
        res.writeHead(200);
        res.end('w'.repeat(200_000));
      }
    });
  });
  after(() => server.close());

  const webhookOptions = {
    purpose: 'webhook_url',
    timeoutMs: 5000,
    maxRedirects: 0,
    allowedPrivateHosts: ['127.0.0.1'],
  };

  void it('delivers the JSON body and the caller headers', async () => {
    const payload = { transcript_id: 'abc', status: 'completed' };
    const result = await postJson(`${server.origin}/hook`, payload, {
      ...webhookOptions,
      headers: { 'X-Earshot-Signature': 'sha256=00ff' },
    });
    assert.deepEqual(result, { status: 202 });
    const request = server.requests.at(-1)!;
    assert.equal(request.method, 'POST');
    assert.equal(request.url, '/hook');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers['content-length'], String(Buffer.byteLength(JSON.stringify(payload))));
    assert.equal(request.headers['x-earshot-signature'], 'sha256=00ff');
    assert.deepEqual(JSON.parse(request.body), payload);
  });

  void it('sends the JSON body with PUT when asked', async () => {
    const payload = { id: 'abc', event: 'transcription.success' };
    const result = await postJson(`${server.origin}/hook`, payload, { ...webhookOptions, method: 'PUT' });
    assert.deepEqual(result, { status: 202 });
    const request = server.requests.at(-1)!;
    assert.equal(request.method, 'PUT');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(request.body), payload);
  });

  void it('returns a non-2xx status instead of throwing, for the caller to retry', async () => {
    assert.deepEqual(await postJson(`${server.origin}/fail`, {}, webhookOptions), { status: 500 });
  });

  void it('returns the status of a response whose body is over the read limit', async () => {
    assert.deepEqual(await postJson(`${server.origin}/chatty`, {}, { ...webhookOptions, maxBytes: 1024 }), {
      status: 200,
    });
  });

  void it('refuses private targets like any other fetch', async () => {
    await assert.rejects(
      postJson(`${server.origin}/hook`, {}, { ...webhookOptions, allowedPrivateHosts: [] }),
      earshotError(
        'urlRefused',
        `webhook_url refused: 127.0.0.1:${server.port} is a loopback address${HINT}`,
      ),
    );
    await assert.rejects(
      postJson('http://[::ffff:a9fe:a9fe]/', {}, webhookOptions),
      earshotError(
        'urlRefused',
        'webhook_url refused: [::ffff:a9fe:a9fe] is a cloud metadata service address',
      ),
    );
  });
});
