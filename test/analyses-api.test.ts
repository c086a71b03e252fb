/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return --
   the answers are untyped JSON, and every field read is asserted against an exact value. */
/**
 * The sales-call analyses API (`/v1/analyses`) on the real server: a conversation written here with
 * known questions, filler words and speaking rates, checked metric by metric and score by score;
 * transcripts fetched from `transcript_url`; callbacks to a local receiver; the LLM coaching
 * against a local fake of the chat API that checks the prompt; bad input on every endpoint.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyzeSentiment, setVaderLexiconPath } from '../src/intelligence/sentiment/index.js';
import { type FakeLlm, startFakeLlm } from './fixtures/fake-llm.js';
import { SHARED_DIR } from './helpers/shared-data.js';
import { startServer, type TestServer } from './helpers/server.js';

const KEY = 'key-analyses-0001';
const ALLOWED_HOST = '127.0.0.2';
const LLM_MODEL = 'fake-coach';
/** A JSON answer, read field by field and compared with exact values. */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A call with known figures. The rep ("Rita") speaks 14 + 13 + 14 = 41 words in 6 + 8 + 6 = 20 s:
 * 123 words per minute, 2 fillers (Um, Uh), 2 questions, a longest monologue of 8 s, six sentences
 * of 5, 9, 2, 11, 1 and 13 words. The prospect ("Dana") speaks 15 + 9 = 24 words in 12 s, and
 * raises one objection ("too expensive") that the rep's next turn acknowledges ("I understand").
 */
const CALL = {
  utterances: [
    {
      start: 0,
      end: 6000,
      speaker: 'Rita',
      text: 'Hi Dana, thanks for joining. Um, how is your team handling call reviews today?',
    },
    {
      start: 6000,
      end: 12000,
      speaker: 'Dana',
      text: 'Honestly we review a few calls by hand. It is too expensive to do more.',
    },
    {
      start: 12000,
      end: 20000,
      speaker: 'Rita',
      text: 'I understand. Uh, what would it mean for you to review every call?',
    },
    { start: 20000, end: 26000, speaker: 'Dana', text: 'We would coach faster and ramp new reps sooner.' },
    {
      start: 26000,
      end: 32000,
      speaker: 'Rita',
      text: "Great. Let's schedule a demo next week and I will send you a proposal.",
    },
  ],
};
const REP_SENTENCES = [
  'Hi Dana, thanks for joining.',
  'Um, how is your team handling call reviews today?',
  'I understand.',
  'Uh, what would it mean for you to review every call?',
  'Great.',
  "Let's schedule a demo next week and I will send you a proposal.",
];
const PROSPECT_SENTENCES = [
  'Honestly we review a few calls by hand.',
  'It is too expensive to do more.',
  'We would coach faster and ramp new reps sooner.',
];

setVaderLexiconPath(path.join(SHARED_DIR, 'data', 'text', 'vader', 'vader_lexicon.txt'));
const meanCompound = (sentences: string[]): number =>
  Math.round(
    (sentences.reduce((sum, s) => sum + analyzeSentiment(s).compound, 0) / sentences.length) * 1000,
  ) / 1000;

interface Receiver {
  url: string;
  requests: { method: string; url: string; body: string }[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.2 serving `routes` (JSON) and recording every request. */
async function listen(routes: Record<string, string> = {}): Promise<Receiver> {
  const requests: Receiver['requests'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', body });
      const route = routes[req.url ?? ''];
      res.writeHead(200, { 'content-type': route === undefined ? 'text/plain' : 'application/json' });
      res.end(route ?? 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, ALLOWED_HOST, resolve));
  return {
    url: `http://${ALLOWED_HOST}:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function api(
  server: TestServer,
  method: string,
  url: string,
  body?: unknown,
  key: string | null = KEY,
) {
  const response = await fetch(`${server.url}${url}`, {
    method,
    headers: {
      ...(key && { authorization: `Bearer ${key}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

async function finished(server: TestServer, id: string): Promise<Json> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { body } = await api(server, 'GET', `/v1/analyses/${id}`);
    if (!['queued', 'processing'].includes(body.status as string)) return body;
    if (Date.now() > deadline) throw new Error(`analysis ${id} did not finish`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitFor<T>(probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('sales-call analyses without an LLM', () => {
  let server: TestServer;
  let receiver: Receiver;

  before(async () => {
    receiver = await listen({
      '/call.json': JSON.stringify(CALL),
      '/not-json': 'this is not json',
      '/bad-shape.json': JSON.stringify({ utterances: [{ start: 5, end: 1, speaker: 'A', text: 'x' }] }),
    });
    server = await startServer({
      env: { EARSHOT_API_KEYS: KEY, EARSHOT_ALLOWED_PRIVATE_HOSTS: ALLOWED_HOST },
    });
  });
  after(async () => {
    await server?.stop();
    await receiver?.close();
  });

  it('measures every metric and score of a known call exactly, and calls back with the object', async () => {
    const created = await api(server, 'POST', '/v1/analyses', {
      transcript: CALL,
      callback_url: `${receiver.url}/hook`,
      metadata: { crm: 'deal-7' },
      partner_org_id: 'org-exact',
      partner_rep_id: 'rep-rita',
      parent_session_id: 'session-1',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.status, 'queued');
    assert.equal(created.body.cost_usd_cents, 0);
    const done = await finished(server, created.body.id as string);
    assert.equal(done.status, 'completed', JSON.stringify(done.error));
    assert.equal(done.error, null);
    assert.deepEqual(done.metadata, { crm: 'deal-7' });
    assert.equal(done.partner_org_id, 'org-exact');
    assert.equal(done.partner_rep_id, 'rep-rita');
    assert.equal(done.parent_session_id, 'session-1');
    assert.equal(done.duration_seconds, 32);

    const t = done.transcript as Json;
    assert.deepEqual(
      t.utterances.map((u: Json) => [u.start, u.end, u.speaker, u.text, u.transcript === u.text]),
      CALL.utterances.map((u) => [u.start, u.end, u.speaker, u.text, true]),
    );
    assert.equal(t.word_count, 65);
    assert.equal(t.words.length, 65);
    assert.equal(t.duration_seconds, 32);
    const overall = meanCompound([
      REP_SENTENCES[0]!,
      REP_SENTENCES[1]!,
      PROSPECT_SENTENCES[0]!,
      PROSPECT_SENTENCES[1]!,
      REP_SENTENCES[2]!,
      REP_SENTENCES[3]!,
      PROSPECT_SENTENCES[2]!,
      REP_SENTENCES[4]!,
      REP_SENTENCES[5]!,
    ]);
    assert.equal(t.sentiment_score, overall);
    assert.equal(
      t.overall_sentiment,
      overall >= 0.05 ? 'POSITIVE' : overall <= -0.05 ? 'NEGATIVE' : 'NEUTRAL',
    );

    const a = done.analysis as Json;
    const repMood = meanCompound(REP_SENTENCES);
    assert.equal(a.rep_speaker, 'Rita');
    assert.equal(a.questions_asked, 2);
    assert.equal(a.questions_per_10_minutes, 37.5);
    assert.equal(a.filler_word_count, 2);
    assert.equal(a.filler_words_per_100, 4.9);
    assert.equal(a.words_per_minute, 123);
    assert.equal(a.talk_ratio, 0.63);
    assert.equal(a.listen_ratio, 0.37);
    assert.equal(a.longest_monologue_seconds, 8);
    assert.equal(a.average_sentence_words, 6.8);
    assert.equal(a.objections_raised, 1);
    assert.equal(a.objections_addressed, 1);
    assert.deepEqual(a.close_phrases, ['schedule', 'send you', 'proposal', 'demo']);
    assert.equal(a.rep_sentiment_score, repMood);
    assert.deepEqual(
      a.speakers.map((s: Json) => [s.speaker, s.talk_seconds, s.word_count, s.filler_word_count]),
      [
        ['Rita', 20, 41, 2],
        ['Dana', 12, 24, 0],
      ],
    );
    // The rubric by hand: filler 100 - 49 = 51; pace 123 wpm is 7 under 130: 86; sentences 6.8
    // words are 1.2 under 8: 94; talk 63 % is 3 points over 60: 94.
    const influence = Math.round(0.5 * 94 + (0.5 * Math.round(50 * (repMood + 1) * 100)) / 100);
    assert.equal(a.delivery_score, 72); // 0.6 × 86 + 0.4 × 51
    assert.equal(a.clarity_score, 73); // 0.5 × 51 + 0.5 × 94 = 72.5
    assert.equal(a.discovery_score, 100); // 25 × 37.5, capped
    assert.equal(a.objection_score, 100); // 1 of 1 addressed
    assert.equal(a.close_score, 100); // 4 phrases × 34, capped
    assert.equal(a.influence_score, influence);
    assert.equal(a.overall_score, Math.round((73 + influence + 100 + 100 + 72 + 100) / 6));
    // No LLM: the written parts are null, and the object says why.
    for (const field of [
      'prospect_name',
      'recording_title',
      'double_down',
      'ai_summary',
      'feedback',
      'action_plan',
    ]) {
      assert.equal(a[field], null, field);
    }
    assert.match(a.llm_unavailable_reason as string, /No LLM provider is configured \(EARSHOT_LLM_URL/);

    const hook = await waitFor(() => receiver.requests.find((r) => r.url === '/hook'));
    assert.equal(hook.method, 'POST');
    assert.deepEqual(JSON.parse(hook.body), done);
  });

  it('fetches transcript_url and analyses the speaker named by rep_speaker', async () => {
    const created = await api(server, 'POST', '/v1/analyses', {
      transcript_url: `${receiver.url}/call.json`,
      options: { rep_speaker: 'Dana' },
      partner_org_id: 'org-url',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.transcript_url, `${receiver.url}/call.json`);
    const done = await finished(server, created.body.id as string);
    assert.equal(done.status, 'completed');
    const a = done.analysis as Json;
    assert.equal(a.rep_speaker, 'Dana');
    assert.equal(a.words_per_minute, 120); // 24 words in 12 s
    assert.equal(a.filler_word_count, 0);
    assert.equal(a.questions_asked, 0);
    assert.equal(a.talk_ratio, 0.38); // 12 of 32 s
    assert.equal(a.longest_monologue_seconds, 6);
    assert.equal(a.objections_raised, 0);
    assert.equal(a.discovery_score, 0);
    assert.equal(a.close_score, 0);
  });

  it('lists analyses newest first, paged, filtered by status and partner ids', async () => {
    const ids: string[] = [];
    for (const rep of ['rep-a', 'rep-b', 'rep-a']) {
      const { body } = await api(server, 'POST', '/v1/analyses', {
        transcript: CALL,
        partner_org_id: 'org-list',
        partner_rep_id: rep,
      });
      ids.push(body.id as string);
    }
    for (const id of ids) await finished(server, id);
    const first = await api(server, 'GET', '/v1/analyses?partner_org_id=org-list&limit=2');
    assert.equal(first.status, 200);
    assert.deepEqual(
      first.body.data.map((x: Json) => x.id),
      [ids[2], ids[1]],
    );
    assert.equal(first.body.has_more, true);
    assert.equal(first.body.limit, 2);
    const second = await api(server, 'GET', '/v1/analyses?partner_org_id=org-list&limit=2&offset=2');
    assert.deepEqual(
      second.body.data.map((x: Json) => x.id),
      [ids[0]],
    );
    assert.equal(second.body.has_more, false);
    const repA = await api(server, 'GET', '/v1/analyses?partner_org_id=org-list&partner_rep_id=rep-a');
    assert.deepEqual(
      repA.body.data.map((x: Json) => x.id),
      [ids[2], ids[0]],
    );
    assert.equal(repA.body.data[0].analysis.questions_asked, 2);
    const failed = await api(server, 'GET', '/v1/analyses?partner_org_id=org-list&status=failed,cancelled');
    assert.deepEqual(failed.body.data, []);
    const completed = await api(server, 'GET', '/v1/analyses?partner_org_id=org-list&status=completed');
    assert.equal(completed.body.data.length, 3);
  });

  it('answers bad input on every endpoint with OpenAI-shaped errors naming the problem', async () => {
    const cases: [string, string, unknown, number, string | null, RegExp][] = [
      [
        'POST',
        '/v1/analyses',
        {},
        400,
        'recording_url',
        /One of recording_url, transcript_url or transcript is required/,
      ],
      [
        'POST',
        '/v1/analyses',
        { transcript: CALL, transcript_url: `${receiver.url}/call.json` },
        400,
        'transcript',
        /Give only one/,
      ],
      [
        'POST',
        '/v1/analyses',
        { transcript: CALL, colour: 'red' },
        400,
        'colour',
        /Unknown parameter: colour/,
      ],
      [
        'POST',
        '/v1/analyses',
        { transcript: CALL, options: { mood: 1 } },
        400,
        'options.mood',
        /Unknown parameter: options.mood/,
      ],
      [
        'POST',
        '/v1/analyses',
        { transcript: { utterances: [{ start: 9, end: 3, speaker: 'A', text: 'hi' }] } },
        400,
        'transcript.utterances.0',
        /end must not be before start/,
      ],
      [
        'POST',
        '/v1/analyses',
        { transcript: { utterances: [{ start: 0, end: 3, text: 'hi' }] } },
        400,
        'transcript.utterances.0.speaker',
        /speaker/,
      ],
      [
        'POST',
        '/v1/analyses',
        { transcript: CALL, options: { rep_speaker: 'Zed' } },
        400,
        'options.rep_speaker',
        /"Zed" is not a speaker of the transcript \(speakers: Rita, Dana\)/,
      ],
      [
        'POST',
        '/v1/analyses',
        { transcript: CALL, options: { speakers_expected: 2 } },
        400,
        'options.speakers_expected',
        /recording_url only/,
      ],
      [
        'POST',
        '/v1/analyses',
        { recording_url: 'http://127.0.0.1/call.wav' },
        400,
        'recording_url',
        /recording_url/,
      ],
      [
        'POST',
        '/v1/analyses',
        { recording_url: 'https://example.com/a.wav', options: { rep_speaker: 'Rita' } },
        400,
        'options.rep_speaker',
        /speaker letter/,
      ],
      [
        'POST',
        '/v1/analyses',
        { transcript: CALL, callback_url: 'http://169.254.169.254/x' },
        400,
        'callback_url',
        /callback_url/,
      ],
      [
        'POST',
        '/v1/analyses',
        { transcript_url: `${receiver.url}/not-json` },
        400,
        'transcript_url',
        /did not return JSON/,
      ],
      [
        'POST',
        '/v1/analyses',
        { transcript_url: `${receiver.url}/bad-shape.json` },
        400,
        'transcript_url',
        /did not return a valid transcript: utterances.0: end must not be before start/,
      ],
      ['POST', '/v1/analyses', [1, 2], 400, null, /JSON object/],
      [
        'GET',
        '/v1/analyses?status=done',
        undefined,
        400,
        'status',
        /status must be one of queued, processing, completed, failed, cancelled/,
      ],
      ['GET', '/v1/analyses?colour=red', undefined, 400, 'colour', /Unknown query parameter: colour/],
      ['GET', '/v1/analyses?limit=1000', undefined, 400, 'limit', /limit must be an integer from 1 to 100/],
      ['GET', '/v1/analyses/01900000-0000-7000-8000-00000000dead', undefined, 404, 'id', /not found/],
      ['POST', '/v1/analyses/01900000-0000-7000-8000-00000000dead/cancel', undefined, 404, 'id', /not found/],
    ];
    for (const [method, url, body, status, param, message] of cases) {
      const answer = await api(server, method, url, body);
      const label = `${method} ${url} ${JSON.stringify(body)}`;
      assert.equal(answer.status, status, `${label}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.error.type, 'invalid_request_error', label);
      assert.equal(answer.body.error.param, param, `${label}: ${JSON.stringify(answer.body)}`);
      assert.match(answer.body.error.message as string, message, label);
    }
    const noKey = await api(server, 'GET', '/v1/analyses', undefined, null);
    assert.equal(noKey.status, 401);
    assert.equal(noKey.body.error.code, 'invalid_api_key');
    const wrongKey = await api(server, 'POST', '/v1/analyses', { transcript: CALL }, 'wrong-key');
    assert.equal(wrongKey.status, 401);
  });

  it('refuses to cancel an analysis that has ended (409)', async () => {
    const { body } = await api(server, 'POST', '/v1/analyses', { transcript: CALL });
    await finished(server, body.id as string);
    const answer = await api(server, 'POST', `/v1/analyses/${body.id}/cancel`);
    assert.equal(answer.status, 409);
    assert.match(answer.body.error.message as string, /has already ended \(completed\)/);
  });
});

describe('sales-call analyses with an LLM coach', () => {
  let server: TestServer;
  let llm: FakeLlm;
  const coaching = {
    prospect_name: 'Dana',
    recording_title: 'Call review discovery with Dana',
    double_down: 'You acknowledged the price concern before moving on.',
    ai_summary:
      'Rita asked Dana how her team reviews calls. Dana said reviewing more is too expensive. They agreed on a demo.',
    feedback: Object.fromEntries(
      ['clarity', 'influence', 'objection', 'discovery', 'delivery', 'close'].map((d) => [
        d,
        { positive: `${d} went well`, negative: `${d} could improve` },
      ]),
    ),
    action_plan: {
      double_down_implementation: 'Name the concern back to the prospect every time.',
      general_communication_improvement: 'Drop the filler words at the start of questions.',
      quoted_principle: '"Seek first to understand, then to be understood." (Stephen Covey)',
    },
  };

  before(async () => {
    llm = await startFakeLlm({ model: LLM_MODEL, handler: () => JSON.stringify(coaching) });
    server = await startServer({
      env: { EARSHOT_API_KEYS: KEY, EARSHOT_LLM_URL: llm.url, EARSHOT_LLM_MODEL: LLM_MODEL },
    });
  });
  after(async () => {
    await server?.stop();
    await llm?.close();
  });

  it('fills feedback and the action plan from one JSON completion over the call and its metrics', async () => {
    const { body } = await api(server, 'POST', '/v1/analyses', { transcript: CALL });
    const done = await finished(server, body.id as string);
    assert.equal(done.status, 'completed');
    const a = done.analysis as Json;
    assert.equal(a.prospect_name, 'Dana');
    assert.equal(a.recording_title, coaching.recording_title);
    assert.equal(a.double_down, coaching.double_down);
    assert.equal(a.ai_summary, coaching.ai_summary);
    assert.deepEqual(a.feedback, coaching.feedback);
    assert.deepEqual(a.action_plan, coaching.action_plan);
    assert.equal(a.llm_unavailable_reason, null);
    assert.equal(a.words_per_minute, 123);

    assert.deepEqual(llm.rejected, []);
    assert.equal(llm.requests.length, 1);
    const [system, user] = llm.requests[0]!.messages;
    assert.equal(system!.role, 'system');
    assert.match(system!.content, /sales coach/);
    assert.match(
      system!.content,
      /"feedback" \(an object with the keys "clarity", "influence", "objection", "discovery", "delivery", "close"/,
    );
    assert.match(user!.content, /Rep words per minute: 123 \(130-170 is the target band\)/);
    assert.match(user!.content, /Rep filler words: 2 \(4\.9 per 100 words\)/);
    assert.match(user!.content, /Rep questions: 2 \(37\.5 per 10 minutes\)/);
    assert.match(user!.content, /Talk\/listen ratio: rep 63 %, others 37 %/);
    assert.match(user!.content, /Rubric scores \(0-100\): clarity 73, /);
    assert.match(
      user!.content,
      /Rep: Hi Dana, thanks for joining\. Um, how is your team handling call reviews today\?/,
    );
    assert.match(
      user!.content,
      /Prospect \(speaker 2\): Honestly we review a few calls by hand\. It is too expensive to do more\./,
    );
  });

  it('keeps the measured analysis and says why when the LLM fails', async () => {
    llm.failNext(10, 500);
    const { body } = await api(server, 'POST', '/v1/analyses', { transcript: CALL });
    const done = await finished(server, body.id as string);
    assert.equal(done.status, 'completed');
    const a = done.analysis as Json;
    assert.equal(a.feedback, null);
    assert.equal(a.questions_asked, 2);
    assert.match(a.llm_unavailable_reason as string, /^The LLM provider failed to write the coaching: /);
    llm.failNext(0);
  });
});
