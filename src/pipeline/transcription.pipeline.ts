import type { PartialSegment, Segment, Transcript, Word } from '../domain/transcript.js';
import type { TranscriptionRequest } from '../domain/transcription-request.js';
import { type ResolvedModel, SAMPLE_RATE } from '../engines/asr/asr-engine.js';
import { maxChunkSeconds } from '../engines/asr/asr-registry.js';
import type { CatalogModel } from '../models/catalog.types.js';
import { selectAsrModel } from '../models/model-selection.js';
import {
  assignSpeakers,
  buildUtterances,
  countSpeakers,
  renumberSpeakersByAppearance,
} from '../text/speakers.js';
import { joinWords } from '../text/transcript-text.js';
import { channelContext, type StageContext } from './pipeline-context.js';
import { diarizeSpeech } from './stages/diarize.stage.js';
import { ingest } from './stages/ingest.stage.js';
import { transcriptFromUtterances } from './stages/provided-transcript.stage.js';
import { runIntelligence } from './stages/intelligence.stage.js';
import { type DecodedAudio, decode, probe } from './stages/probe-decode.stage.js';
import { punctuateWithModel } from './stages/punctuate.stage.js';
import { buildText, type TranscriptText } from './stages/text.stage.js';
import { type RecognizedSpeech, transcribeChunks } from './stages/transcribe.stage.js';
import { assertEnoughSpeech, detectSpeech, type SpeechPlan } from './stages/vad.stage.js';

/** What the caller may want to hear about while the pipeline runs. */
export interface PipelineHooks {
  /** Audio facts, as soon as they are known. */
  onAudioInfo?(info: { durationMs: number; channels: number }): void;
  /** Each chunk's words as soon as it is transcribed (formatted on their own; no speakers yet). */
  onPartial?(partial: PartialSegment): void;
}

/** One channel (or the mix) through decode and VAD. */
interface ChannelAudio {
  index: number;
  audio: DecodedAudio;
  plan: SpeechPlan;
  ctx: StageContext;
}

/** One channel's finished words. */
interface ChannelResult {
  recognized: RecognizedSpeech;
  text: TranscriptText;
}

/**
 * ingest → probe → decode → vad → transcribe → diarize → text. Every stage reads the context's
 * abort signal and reports progress; the run's files live in `ctx.workDir`, which the caller
 * removes. With `multichannel`, each channel goes through decode…text on its own and the results
 * are merged on one timeline.
 */
export async function runTranscriptionPipeline(
  request: TranscriptionRequest,
  ctx: StageContext,
  hooks: PipelineHooks = {},
): Promise<Transcript> {
  if (request.audio.kind === 'transcript') {
    const transcript = transcriptFromUtterances(request.audio.transcript, request);
    hooks.onAudioInfo?.({ durationMs: transcript.durationMs, channels: 1 });
    return request.intelligence
      ? runIntelligence(transcript, request.intelligence, '', ctx.llm, ctx)
      : transcript;
  }
  // Choose (and check) the model before spending time on the audio.
  const model = selectAsrModel(request, ctx.models, {
    engine: ctx.config.asr.engine,
    model: ctx.config.asr.model,
  });
  const resolvedModel = ctx.models.resolve(model.id);

  const inputPath = await ingest(request.audio, ctx);
  const info = await probe(inputPath, request, ctx);
  const channels = info.audioStreams[0]?.channels ?? 1;
  if (info.durationMs !== null) hooks.onAudioInfo?.({ durationMs: info.durationMs, channels });

  // Decode and find speech in every channel first: speech_threshold is judged before any
  // recognizer time is spent.
  const targets: ('mix' | number)[] = request.multichannel
    ? Array.from({ length: channels }, (_, i) => i)
    : ['mix'];
  const decoded: ChannelAudio[] = [];
  for (const [index, channel] of targets.entries()) {
    const channelCtx = channelContext(ctx, index, targets.length);
    const audio = await decode(inputPath, info, request, channelCtx, channel);
    const plan = await detectSpeech(audio, maxChunkSeconds(model.runtime), channelCtx);
    decoded.push({ index, audio, plan, ctx: channelCtx });
  }
  if (info.durationMs === null)
    hooks.onAudioInfo?.({ durationMs: decoded[0]!.audio.totalDurationMs, channels });
  assertEnoughSpeech(
    decoded.map(({ plan, audio }) => ({ plan, samples: audio.samples })),
    request.minSpeechFraction,
  );

  const publisher = partialPublisher(request, model, hooks);
  const results: ChannelResult[] = [];
  for (const channel of decoded) {
    results.push(await transcribeChannel(channel, request, model, resolvedModel, publisher));
  }
  ctx.progress('text', 0, 'Formatting text');
  const transcript = assemble(request, model, decoded, results, channels);
  return request.intelligence
    ? runIntelligence(transcript, request.intelligence, inputPath, ctx.llm, ctx)
    : transcript;
}

async function transcribeChannel(
  { index, audio, plan, ctx }: ChannelAudio,
  request: TranscriptionRequest,
  model: CatalogModel,
  resolvedModel: ResolvedModel,
  publish: ReturnType<typeof partialPublisher>,
): Promise<ChannelResult> {
  const channel = request.multichannel ? index : undefined;
  const spans = speechSpansMs(audio, plan);
  const recognized = await transcribeChunks(
    audio,
    plan.chunks,
    resolvedModel,
    request,
    ctx,
    (chunkIndex, words) => publish(audio, plan, spans, chunkIndex, withChannel(words, channel), channel),
  );
  let words = withChannel(recognized.words, channel);
  if (request.diarization && words.length > 0) {
    const turns = await diarizeSpeech(audio, plan, request.diarization, ctx);
    words = assignSpeakers(words, turns);
  }
  // Partials (above) keep the rule-based fallback: the model runs once, on the finished words.
  const punctuated = await punctuateWithModel(words, spans, request, model, ctx);
  return {
    recognized,
    text: buildText(punctuated ?? words, spans, request, model, {
      modelPunctuated: punctuated !== undefined,
    }),
  };
}

/** Merges the channels' results into one transcript on the original timeline. */
function assemble(
  request: TranscriptionRequest,
  model: CatalogModel,
  decoded: readonly ChannelAudio[],
  results: readonly ChannelResult[],
  channels: number,
): Transcript {
  const byTime = <T extends { startMs: number; channel?: number }>(a: T, b: T): number =>
    a.startMs - b.startMs || (a.channel ?? 0) - (b.channel ?? 0);
  let words = results.flatMap((r) => r.text.words).sort(byTime);
  if (request.diarization) words = renumberSpeakersByAppearance(words);
  const segments: Segment[] = results
    .flatMap((r, i) =>
      request.multichannel ? r.text.segments.map((s) => ({ ...s, channel: i })) : r.text.segments,
    )
    .sort(byTime);
  const utterances = request.diarization || request.multichannel ? buildUtterances(words) : null;
  const confidence =
    words.length === 0 ? null : words.reduce((sum, w) => sum + w.confidence, 0) / words.length;
  const recognized = results.map((r) => r.recognized).find((r) => r.language !== null);
  const first = decoded[0]!.audio;
  return {
    language:
      request.languageCode ??
      recognized?.language ??
      (model.languages === 'multilingual' ? null : (model.languages[0] ?? null)),
    languageConfidence: request.languageDetection ? (recognized?.languageConfidence ?? null) : null,
    durationMs: first.totalDurationMs,
    channels,
    // Several channels talk over each other: their text reads turn by turn.
    text: request.multichannel && utterances ? utterances.map((u) => u.text).join(' ') : joinWords(words),
    words,
    segments,
    utterances,
    confidence,
    speakers: request.diarization ? countSpeakers(words) : null,
    engine: { id: model.runtime, model: model.id },
    speechMs: Math.round(
      (decoded.reduce((sum, d) => sum + d.plan.speechSamples, 0) * 1000) / SAMPLE_RATE / decoded.length,
    ),
    addons: {},
  };
}

function withChannel(words: readonly Word[], channel: number | undefined): Word[] {
  return channel === undefined ? [...words] : words.map((w) => ({ ...w, channel }));
}

function speechSpansMs(audio: DecodedAudio, plan: SpeechPlan): { startMs: number; endMs: number }[] {
  const toMs = (samples: number): number => Math.round(audio.offsetMs + (samples * 1000) / SAMPLE_RATE);
  return plan.speech.map((r) => ({ startMs: toMs(r.start), endMs: toMs(r.end) }));
}

/** Publishes each chunk's words, formatted on their own, as soon as the chunk is transcribed. */
function partialPublisher(request: TranscriptionRequest, model: CatalogModel, hooks: PipelineHooks) {
  let seq = 0;
  return (
    audio: DecodedAudio,
    plan: SpeechPlan,
    spans: readonly { startMs: number; endMs: number }[],
    chunkIndex: number,
    words: Word[],
    channel: number | undefined,
  ): void => {
    // Partials are shown while the job runs, before redaction: with PII redaction asked for, none
    // are published, so personal data never appears in a live view.
    if (!hooks.onPartial || words.length === 0 || request.intelligence?.redactPii) return;
    const chunk = plan.chunks[chunkIndex]!;
    const toMs = (samples: number): number => Math.round(audio.offsetMs + (samples * 1000) / SAMPLE_RATE);
    const [startMs, endMs] = [toMs(chunk.start), toMs(chunk.end)];
    const text = buildText(
      words,
      spans.filter((s) => s.endMs > startMs && s.startMs < endMs),
      request,
      model,
    );
    hooks.onPartial({
      seq: seq++,
      chunkIndex,
      chunkCount: plan.chunks.length,
      ...(channel !== undefined && { channel }),
      startMs,
      endMs,
      text: text.text,
      words: text.words,
    });
  };
}
