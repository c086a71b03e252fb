import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EarshotError } from '../../../domain/errors.js';
import type { Job } from '../../../domain/job.js';
import type { PartialSegment, Transcript } from '../../../domain/transcript.js';
import { defaultTranscriptionRequest } from '../../../domain/transcription-request.js';
import type { JobService } from '../../../jobs/job.service.js';
import type { MetadataStore } from '../../../store/metadata.store.js';
import {
  createSqliteMetadataStore,
  openSqliteDatabase,
  type SqliteDatabase,
  sqliteFilePath,
} from '../../../store/sqlite/index.js';
import { uuidv7 } from '../../../util/ids.js';
import { sseEvent, transcriptEvents } from './transcript-stream.js';

const TENANT = 'tenant-stream';

function partial(seq: number, chunkIndex: number, text: string): PartialSegment {
  return {
    seq,
    chunkIndex,
    chunkCount: 3,
    startMs: chunkIndex * 1000,
    endMs: chunkIndex * 1000 + 900,
    text,
    words: [],
  };
}

function finalTranscript(text: string): Transcript {
  return {
    language: 'en',
    languageConfidence: null,
    durationMs: 3000,
    channels: 1,
    text,
    words: [],
    segments: [],
    utterances: null,
    confidence: null,
    speakers: null,
    engine: { id: 'sphinx', model: 'sphinx-en-us' },
    speechMs: 2700,
    addons: {},
  };
}

describe('OpenAI transcript stream events', () => {
  let dir: string;
  let handle: SqliteDatabase;
  let store: MetadataStore;
  let jobs: Pick<JobService, 'get' | 'partials'>;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-openai-stream-'));
    handle = openSqliteDatabase(sqliteFilePath(dir));
    store = await createSqliteMetadataStore(handle);
    // The two JobService reads the stream uses, over a real store.
    jobs = {
      get: async (tenantId, id) => {
        const job = await store.getJob(tenantId, id);
        if (!job) throw new EarshotError('notFound', 'Transcript not found');
        return job;
      },
      partials: (_tenantId, id, afterSeq) => store.listJobPartials(id, afterSeq),
    };
  });

  after(async () => {
    await store.close();
    await handle.close();
    await rm(dir, { recursive: true, force: true });
  });

  const newJob = async (): Promise<Job> => {
    const job = await store.createJob({
      id: uuidv7(),
      tenantId: TENANT,
      surface: 'openai',
      request: defaultTranscriptionRequest({ kind: 'upload', uploadId: randomUUID() }),
      surfaceParams: {},
    });
    await store.updateJob(job.id, { status: 'processing' });
    return job;
  };

  const collect = async (
    jobId: string,
    onEvent: (index: number) => Promise<void> = () => Promise.resolve(),
    timeoutMs = 10_000,
  ): Promise<string[]> => {
    const seen: string[] = [];
    for await (const event of transcriptEvents(jobs, TENANT, jobId, {
      signal: AbortSignal.timeout(20_000),
      timeoutMs,
      pollMs: 10,
    })) {
      seen.push(event.type === 'transcript.text.delta' ? event.delta : `[done] ${event.text}`);
      await onEvent(seen.length - 1);
    }
    return seen;
  };

  const failure = async (promise: Promise<unknown>): Promise<EarshotError> => {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof EarshotError, String(error));
      return error;
    }
    assert.fail('expected the stream to fail');
  };

  it('sends chunks in audio order even when they finish out of order, then the final text', async () => {
    const job = await newJob();
    // Chunk 1 finishes first; nothing may go out until chunk 0 is there.
    await store.appendJobPartial(job.id, partial(0, 1, 'Second part.'));
    const late = setTimeout(() => void store.appendJobPartial(job.id, partial(1, 0, 'First part.')), 100);
    const events = await collect(job.id, async (index) => {
      if (index !== 1) return;
      await store.appendJobPartial(job.id, partial(2, 2, 'Third part.'));
      await store.updateJob(job.id, {
        status: 'completed',
        transcript: finalTranscript('First part. Second part. Third part.'),
      });
    });
    clearTimeout(late);
    assert.deepEqual(events, [
      'First part.',
      ' Second part.',
      ' Third part.',
      '[done] First part. Second part. Third part.',
    ]);
  });

  it('settles chunks that never published (no words) when the job completes', async () => {
    const job = await newJob();
    await store.appendJobPartial(job.id, partial(0, 2, 'Third part.'));
    await store.appendJobPartial(job.id, partial(1, 1, 'Second part.'));
    await store.updateJob(job.id, {
      status: 'completed',
      transcript: finalTranscript('Second part. Third part.'),
    });
    assert.deepEqual(await collect(job.id), [
      'Second part.',
      ' Third part.',
      '[done] Second part. Third part.',
    ]);
  });

  it('gives one delta with the whole text when nothing was published', async () => {
    const job = await newJob();
    await store.updateJob(job.id, { status: 'completed', transcript: finalTranscript('All of it.') });
    assert.deepEqual(await collect(job.id), ['All of it.', '[done] All of it.']);
  });

  it("fails with the job's status: bad audio is a 400 with its message, a fault a 500", async () => {
    const bad = await newJob();
    await store.updateJob(bad.id, {
      status: 'error',
      error: 'The file is not audio or video that can be decoded.',
      errorCode: 'invalidAudio',
    });
    const badAudio = await failure(collect(bad.id));
    assert.equal(badAudio.status, 400);
    assert.equal(badAudio.message, 'The file is not audio or video that can be decoded.');
    const crashed = await newJob();
    await store.updateJob(crashed.id, {
      status: 'error',
      error: 'pocketsphinx crashed',
      errorCode: 'engineCrashed',
    });
    assert.equal((await failure(collect(crashed.id))).status, 500);
    const unknown = await newJob();
    await store.updateJob(unknown.id, { status: 'error', error: 'Processing was interrupted' });
    assert.equal((await failure(collect(unknown.id))).status, 500);
  });

  it('gives up at the time limit', async () => {
    const job = await newJob();
    const timeout = await failure(collect(job.id, undefined, 50));
    assert.equal(timeout.code, 'timeout');
  });

  it('writes events as SSE data lines', () => {
    assert.equal(
      sseEvent({ type: 'transcript.text.delta', delta: 'Hi' }),
      'data: {"type":"transcript.text.delta","delta":"Hi"}\n\n',
    );
  });
});
