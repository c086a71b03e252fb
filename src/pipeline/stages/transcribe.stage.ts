import type { Word } from '../../domain/transcript.js';
import type { TranscriptionRequest } from '../../domain/transcription-request.js';
import { type AsrOptions, type ResolvedModel, SAMPLE_RATE } from '../../engines/asr/asr-engine.js';
import { chunkParallelism } from '../../engines/asr/asr-registry.js';
import type { Chunk } from '../chunking.js';
import type { StageContext } from '../pipeline-context.js';
import type { DecodedAudio } from './probe-decode.stage.js';

export interface RecognizedSpeech {
  /** Words on the original audio's timeline, in order. */
  words: Word[];
  language: string | null;
  languageConfidence: number | null;
}

const samplesToMs = (samples: number): number => (samples * 1000) / SAMPLE_RATE;

/**
 * Sends each chunk to the recognizer (several at once where the engine runs one process per
 * chunk) and maps word times back onto the original timeline: chunk offset plus trim offset.
 */
export async function transcribeChunks(
  audio: DecodedAudio,
  chunks: readonly Chunk[],
  model: ResolvedModel,
  request: TranscriptionRequest,
  ctx: StageContext,
  onChunk?: (chunkIndex: number, words: Word[]) => void,
): Promise<RecognizedSpeech> {
  const options: AsrOptions = {
    ...(request.languageCode !== undefined && { language: request.languageCode }),
    detectLanguage: request.languageDetection,
    translate: false,
    hints: request.keyterms,
  };
  const results: Word[][] = new Array<Word[]>(chunks.length);
  const languages = new Map<string, { votes: number; confidence: number }>();
  let done = 0;
  let next = 0;
  const parallel = Math.min(chunks.length, chunkParallelism(model.model.runtime, ctx.config.asr.threads));
  ctx.progress('transcribe', 0, `Transcribing ${chunks.length} chunk${chunks.length === 1 ? '' : 's'}`, {
    chunks: { done: 0, total: chunks.length },
  });

  const runOne = async (index: number, signal: AbortSignal): Promise<void> => {
    const chunk = chunks[index] as Chunk;
    const result = await ctx.engines.call(
      'transcribe',
      { model, pcmPath: audio.pcmPath, startSample: chunk.start, endSample: chunk.end, options },
      { signal, label: `transcription with ${model.model.id}` },
    );
    const offsetMs = audio.offsetMs + samplesToMs(chunk.start);
    const chunkEndMs = audio.offsetMs + samplesToMs(chunk.end);
    results[index] = result.words.map((w) => {
      const startMs = Math.min(chunkEndMs, Math.round(offsetMs + w.start * 1000));
      return {
        text: w.text,
        startMs,
        endMs: Math.max(startMs, Math.min(Math.round(chunkEndMs), Math.round(offsetMs + w.end * 1000))),
        confidence: Math.min(1, Math.max(0, w.confidence)),
      };
    });
    if (result.language) {
      const vote = languages.get(result.language) ?? { votes: 0, confidence: 0 };
      vote.votes += chunk.end - chunk.start;
      vote.confidence = Math.max(vote.confidence, result.languageConfidence ?? 0);
      languages.set(result.language, vote);
    }
    onChunk?.(index, results[index]);
    done++;
    ctx.progress(
      'transcribe',
      done / chunks.length,
      `Transcribed chunk ${done}/${chunks.length} (${Math.round((done / chunks.length) * 100)}%)`,
      { chunks: { done, total: chunks.length } },
    );
  };

  // One failed chunk fails the stage; stop the other lanes instead of letting them run on.
  const stop = new AbortController();
  const signal = AbortSignal.any([ctx.signal, stop.signal]);
  const lanes = Array.from({ length: parallel }, async () => {
    while (next < chunks.length && !signal.aborted) await runOne(next++, signal);
  });
  try {
    await Promise.all(
      lanes.map((lane) =>
        lane.catch((error: unknown) => {
          stop.abort();
          throw error;
        }),
      ),
    );
  } finally {
    stop.abort();
  }
  ctx.signal.throwIfAborted();

  // The language spoken longest wins; its confidence is the engine's where it gave one.
  const [language, vote] = [...languages.entries()].sort((a, b) => b[1].votes - a[1].votes)[0] ?? [
    null,
    null,
  ];
  return {
    words: results.flat(),
    language,
    languageConfidence: vote && vote.confidence > 0 ? vote.confidence : null,
  };
}
