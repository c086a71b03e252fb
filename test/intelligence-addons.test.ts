/**
 * Audio intelligence end to end on real speech: several add-ons at once through the official
 * `assemblyai` SDK and through Gladia's pre-recorded API, the local engines without an LLM, and
 * the LLM-backed features against a local fake of the chat API that checks every request.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AssemblyAI } from 'assemblyai';
import { type FakeLlm, startFakeLlm } from './fixtures/fake-llm.js';
import { SPEECH_DIR } from './helpers/shared-data.js';
import { startServer, type TestServer } from './helpers/server.js';

const KEY = 'key-intelligence-0001';
const POLL = { pollingInterval: 150, pollingTimeout: 180_000 };
const LLM_MODEL = 'fake-llama';
const speech = path.join(SPEECH_DIR, 'LJ001-0001.wav');

const SENTIMENTS = new Set(['POSITIVE', 'NEUTRAL', 'NEGATIVE']);

describe('audio intelligence through the AssemblyAI SDK, without an LLM', () => {
  let server: TestServer;
  let client: AssemblyAI;
  let uploaded: string;

  before(async () => {
    server = await startServer({ env: { EARSHOT_API_KEYS: KEY } });
    client = new AssemblyAI({ apiKey: KEY, baseUrl: server.url });
    uploaded = await client.files.upload(speech);
  });

  after(async () => {
    await server?.stop();
  });

  it('runs sentiment, highlights, topics, entities, safety and a summary together on real speech', async () => {
    const t = await client.transcripts.transcribe(
      {
        audio_url: uploaded,
        sentiment_analysis: true,
        auto_highlights: true,
        iab_categories: true,
        entity_detection: true,
        content_safety: true,
        summarization: true,
        summary_type: 'bullets',
      },
      POLL,
    );
    assert.equal(t.status, 'completed', t.error);
    const durationMs = t.audio_duration! * 1000;
    const inAudio = (x: { start: number; end: number }): boolean =>
      x.start >= 0 && x.end <= durationMs + 1 && x.start <= x.end;

    // Sentiment: one result per sentence, covering every word in order.
    const sentiments = t.sentiment_analysis_results!;
    assert.ok(sentiments.length >= 1);
    for (const s of sentiments) {
      assert.ok(SENTIMENTS.has(s.sentiment), s.sentiment);
      assert.ok(s.confidence >= 0 && s.confidence <= 1);
      assert.ok(inAudio(s), JSON.stringify(s));
      assert.ok(t.text!.includes(s.text), `"${s.text}" is transcript text`);
    }
    assert.equal(sentiments[0]!.start, t.words![0]!.start);
    assert.equal(sentiments.at(-1)!.end, t.words!.at(-1)!.end);

    // Key phrases: phrases of the transcript, ranked, each occurrence timed.
    const highlights = t.auto_highlights_result!;
    assert.equal(highlights.status, 'success');
    assert.ok(highlights.results.length >= 1);
    for (const h of highlights.results) {
      assert.ok(t.text!.toLowerCase().includes(h.text), `"${h.text}" occurs in the transcript`);
      assert.equal(h.timestamps.length, h.count);
      assert.ok(h.timestamps.every(inAudio));
      assert.ok(h.rank > 0 && h.rank <= 1);
    }
    assert.equal(highlights.results[0]!.rank, 1);

    // Topics: IAB labels with relevances, per segment and overall.
    const topics = t.iab_categories_result!;
    assert.equal(topics.status, 'success');
    for (const segment of topics.results) {
      assert.ok(inAudio(segment.timestamp!));
      for (const label of segment.labels!) {
        assert.match(label.label, /^[A-Za-z&]+(>[A-Za-z&]+)*$/);
        assert.ok(label.relevance > 0 && label.relevance <= 1);
      }
    }
    for (const relevance of Object.values(topics.summary)) assert.ok(relevance > 0 && relevance <= 1);

    // Entities: each names words of the transcript, timed inside the audio.
    for (const e of t.entities!) {
      assert.ok(t.text!.includes(e.text), `entity "${e.text}"`);
      assert.ok(inAudio(e));
    }

    // Content safety: ran (a reading about printing has nothing to flag).
    const safety = t.content_safety_labels!;
    assert.equal(safety.status, 'success');
    assert.deepEqual(safety.results, []);

    // The extractive summary is made of the transcript's own sentences, as bullets.
    assert.match(t.summary!, /^- /);
    for (const line of t.summary!.split('\n')) {
      assert.ok(t.text!.includes(line.replace(/^- /, '')), `summary line "${line}"`);
    }
  });

  it('finds chapters with start and end inside the audio', async () => {
    const t = await client.transcripts.transcribe({ audio_url: uploaded, auto_chapters: true }, POLL);
    assert.equal(t.status, 'completed', t.error);
    const chapters = t.chapters!;
    assert.ok(chapters.length >= 1);
    assert.equal(chapters[0]!.start, t.words![0]!.start);
    assert.equal(chapters.at(-1)!.end, t.words!.at(-1)!.end);
    for (const c of chapters) {
      assert.ok(c.headline.length > 0 && c.summary.length > 0 && c.gist.length > 0);
    }
  });

  it('refuses LLM-only features by name when no LLM is configured', async () => {
    const response = await fetch(`${server.url}/v2/transcript`, {
      method: 'POST',
      headers: { authorization: KEY, 'content-type': 'application/json' },
      body: JSON.stringify({
        audio_url: uploaded,
        speech_understanding: { request: { translation: { target_languages: ['fr'] } } },
      }),
    });
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { error: string }).error, /speech_understanding.*LLM provider/);
  });
});

describe('LLM-backed analyses against a local OpenAI-compatible endpoint', () => {
  let server: TestServer;
  let llm: FakeLlm;
  let client: AssemblyAI;
  let uploaded: string;

  before(async () => {
    llm = await startFakeLlm({
      model: LLM_MODEL,
      apiKey: 'llm-secret',
      handler: (request) => {
        const system = request.messages[0]?.content ?? '';
        const last = request.messages.at(-1)?.content ?? '';
        if (/translat/i.test(system + last)) return 'Imprimer, dans le seul sens qui nous concerne.';
        if (/summar/i.test(system + last)) return 'A talk about how printing differs from other crafts.';
        return 'The speaker is talking about printing.';
      },
    });
    server = await startServer({
      env: {
        EARSHOT_API_KEYS: KEY,
        EARSHOT_LLM_URL: llm.url,
        EARSHOT_LLM_MODEL: LLM_MODEL,
        EARSHOT_LLM_API_KEY: 'llm-secret',
      },
    });
    client = new AssemblyAI({ apiKey: KEY, baseUrl: server.url });
    uploaded = await client.files.upload(speech);
  });

  after(async () => {
    await server?.stop();
    await llm?.close();
  });

  it('writes the summary with the LLM and translates through speech_understanding', async () => {
    const t = await client.transcripts.transcribe(
      {
        audio_url: uploaded,
        summarization: true,
        summary_model: 'conversational',
        summary_type: 'paragraph',
        speech_understanding: { request: { translation: { target_languages: ['fr'] } } },
      },
      POLL,
    );
    assert.equal(t.status, 'completed', t.error);
    assert.equal(t.summary, 'A talk about how printing differs from other crafts.');
    const translated = (t as unknown as { translated_texts: Record<string, string> }).translated_texts;
    assert.deepEqual(Object.keys(translated), ['fr']);
    assert.match(translated.fr!, /Imprimer/);
    // Every request was well formed, authenticated, and carried the transcript.
    assert.deepEqual(llm.rejected, []);
    assert.ok(llm.requests.length >= 2);
    for (const request of llm.requests) {
      assert.equal(request.model, LLM_MODEL);
      assert.equal(request.authorization, 'Bearer llm-secret');
    }
    const firstWords = t
      .words!.slice(0, 3)
      .map((w) => w.text)
      .join(' ');
    assert.ok(
      llm.requests.some((r) => r.messages.some((m) => m.content.includes(firstWords))),
      'the transcript text is in the prompts',
    );
  });

  it('answers Gladia audio_to_llm prompts and runs Gladia add-ons in Gladia’s wrappers', async () => {
    const form = new FormData();
    form.append('audio', new Blob([await readFile(speech)], { type: 'audio/wav' }), 'speech.wav');
    const upload = await fetch(`${server.url}/v2/upload`, {
      method: 'POST',
      headers: { 'x-gladia-key': KEY },
      body: form,
    });
    assert.equal(upload.status, 200);
    const { audio_url } = (await upload.json()) as { audio_url: string };
    const created = await fetch(`${server.url}/v2/pre-recorded`, {
      method: 'POST',
      headers: { 'x-gladia-key': KEY, 'content-type': 'application/json' },
      body: JSON.stringify({
        audio_url,
        audio_to_llm: true,
        audio_to_llm_config: { prompts: ['What is the topic?'] },
        named_entity_recognition: true,
        sentiment_analysis: true,
        summarization: true,
        summarization_config: { type: 'bullet_points' },
        moderation: true,
        chapterization: true,
      }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const { id } = (await created.json()) as { id: string };
    let job: { status: string; result: Record<string, Record<string, unknown>> | null } | undefined;
    for (let i = 0; i < 600; i++) {
      const res = await fetch(`${server.url}/v2/pre-recorded/${id}`, { headers: { 'x-gladia-key': KEY } });
      job = (await res.json()) as typeof job;
      if (job!.status === 'done' || job!.status === 'error') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(job?.status, 'done', JSON.stringify(job));
    const result = job.result!;
    for (const name of [
      'audio_to_llm',
      'named_entity_recognition',
      'sentiment_analysis',
      'summarization',
      'moderation',
      'chapterization',
    ]) {
      const block = result[name]!;
      assert.equal(block.success, true, `${name}: ${JSON.stringify(block)}`);
      assert.equal(block.error, null);
      assert.equal(typeof block.exec_time, 'number');
      assert.equal(typeof block.is_empty, 'boolean');
    }
    assert.deepEqual(result.audio_to_llm!.results, [
      {
        success: true,
        is_empty: false,
        exec_time: 0,
        error: null,
        results: { prompt: 'What is the topic?', response: 'The speaker is talking about printing.' },
      },
    ]);
    const sentiments = result.sentiment_analysis!.results as { sentiment: string; start: number }[];
    assert.ok(
      sentiments.length >= 1 && sentiments.every((s) => /^(positive|neutral|negative)$/.test(s.sentiment)),
    );
    assert.equal(typeof result.summarization!.results, 'string');
  });
});
