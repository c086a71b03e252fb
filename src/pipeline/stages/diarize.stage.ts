import type { DiarizationRequest } from '../../domain/transcription-request.js';
import { SAMPLE_RATE } from '../../engines/asr/asr-engine.js';
import type { DiarizationOptions } from '../../engines/diarization/diarization-engine.js';
import { selectDiarizer } from '../../models/model-selection.js';
import type { TurnMs } from '../../text/speakers.js';
import type { StageContext } from '../pipeline-context.js';
import type { DecodedAudio } from './probe-decode.stage.js';
import type { SpeechPlan } from './vad.stage.js';

/**
 * Who spoke when, over the VAD's speech, with the configured diarization engine (sherpa when its
 * models are installed, else the builtin one that needs none). Turns come back on the original
 * timeline in milliseconds, sorted by start.
 */
export async function diarizeSpeech(
  audio: DecodedAudio,
  plan: SpeechPlan,
  request: DiarizationRequest,
  ctx: StageContext,
): Promise<TurnMs[]> {
  ctx.progress('diarize', 0, 'Finding speakers');
  const diarizer = selectDiarizer(ctx.models, ctx.config.diarization.engine);
  const options: DiarizationOptions = {
    ...(request.speakersExpected !== undefined && { numSpeakers: request.speakersExpected }),
    ...(request.minSpeakers !== undefined && { minSpeakers: request.minSpeakers }),
    ...(request.maxSpeakers !== undefined && { maxSpeakers: request.maxSpeakers }),
  };
  const turns = await ctx.engines.call(
    'diarize',
    {
      engine: diarizer.engine,
      models: diarizer.modelIds.map((id) => ctx.models.resolve(id)),
      pcmPath: audio.pcmPath,
      speech: plan.speech,
      options,
    },
    {
      signal: ctx.signal,
      label: `speaker diarization with the ${diarizer.engine} engine`,
      onProgress: (fraction) => ctx.progress('diarize', fraction, 'Finding speakers'),
    },
  );
  const toMs = (samples: number): number => Math.round(audio.offsetMs + (samples * 1000) / SAMPLE_RATE);
  return turns
    .map((t) => ({ startMs: toMs(t.start), endMs: toMs(t.end), speaker: t.speaker }))
    .sort((a, b) => a.startMs - b.startMs);
}
