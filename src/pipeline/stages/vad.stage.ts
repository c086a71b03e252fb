import { EarshotError } from '../../domain/errors.js';
import { SAMPLE_RATE } from '../../engines/asr/asr-engine.js';
import { padRegions } from '../../engines/vad/speech-regions.js';
import { DEFAULT_VAD_OPTIONS, SPEECH_PAD_MS, type SpeechRegion } from '../../engines/vad/vad-engine.js';
import { readPcmSlice } from '../../media/pcm-file.js';
import { type Chunk, planChunks, splitLongRegion } from '../chunking.js';
import type { StageContext } from '../pipeline-context.js';
import type { DecodedAudio } from './probe-decode.stage.js';

/** A pause longer than this ends a chunk: silence costs recognizer time and adds nothing. */
const MAX_GAP_SAMPLES = 2 * SAMPLE_RATE;
/** Frame used to find the quietest moment when speech runs on longer than a chunk. */
const ENERGY_FRAME_SAMPLES = SAMPLE_RATE / 10;

export interface SpeechPlan {
  /** Speech as VAD found it. */
  speech: SpeechRegion[];
  /** Speech padded with context, cut to the chunk limit: what the chunks are made of. */
  regions: SpeechRegion[];
  chunks: Chunk[];
  speechSamples: number;
}

/**
 * Finds speech with Silero VAD and plans the chunks the recognizer will see. Silence produces no
 * chunk, so it can produce no text.
 */
export async function detectSpeech(
  audio: DecodedAudio,
  maxChunkSeconds: number,
  ctx: StageContext,
): Promise<SpeechPlan> {
  const maxChunkSamples = maxChunkSeconds * SAMPLE_RATE;
  ctx.progress('vad', 0, 'Finding speech');
  const vadModel = ctx.models.resolve(ctx.config.vadModel);
  const speech = await ctx.engines.call(
    'vad',
    { pcmPath: audio.pcmPath, model: vadModel, options: DEFAULT_VAD_OPTIONS },
    {
      signal: ctx.signal,
      label: `voice activity detection with ${ctx.config.vadModel}`,
      onProgress: (fraction) => ctx.progress('vad', fraction, 'Finding speech'),
    },
  );
  const speechSamples = speech.reduce((sum, r) => sum + (r.end - r.start), 0);
  const regions = padRegions(speech, (SPEECH_PAD_MS * SAMPLE_RATE) / 1000, audio.samples);
  const pieces: SpeechRegion[] = [];
  for (const region of regions) {
    if (region.end - region.start <= maxChunkSamples) {
      pieces.push(region);
      continue;
    }
    // Long unbroken speech: cut at the quietest moments, read from disk one region at a time.
    const samples = await readPcmSlice(audio.pcmPath, region.start, region.end);
    const energyAt = (sample: number): number => {
      let sum = 0;
      const from = sample - region.start;
      const to = Math.min(samples.length, from + ENERGY_FRAME_SAMPLES);
      for (let i = from; i < to; i++) sum += (samples[i] ?? 0) ** 2;
      return sum / Math.max(1, to - from);
    };
    pieces.push(...splitLongRegion(region, maxChunkSamples, ENERGY_FRAME_SAMPLES, energyAt));
  }
  const chunks = planChunks(pieces, { maxChunkSamples: maxChunkSamples, maxGapSamples: MAX_GAP_SAMPLES });
  ctx.progress('vad', 1, `Found ${chunks.length} chunk${chunks.length === 1 ? '' : 's'} of speech`);
  return { speech, regions: pieces, chunks, speechSamples };
}

/**
 * `speech_threshold`: refuses audio with too little speech. With several channels transcribed
 * apart, the channel with the most speech counts (a silent channel is normal in a call recording).
 */
export function assertEnoughSpeech(
  plans: readonly { plan: SpeechPlan; samples: number }[],
  minSpeechFraction: number | undefined,
): void {
  if (minSpeechFraction === undefined) return;
  const fraction = Math.max(
    0,
    ...plans.map(({ plan, samples }) => (samples > 0 ? plan.speechSamples / samples : 0)),
  );
  if (fraction < minSpeechFraction) {
    throw new EarshotError(
      'invalidAudio',
      `Speech makes up ${(fraction * 100).toFixed(1)}% of the audio, below the requested speech_threshold of ${(minSpeechFraction * 100).toFixed(1)}%.`,
    );
  }
}
