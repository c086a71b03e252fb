import type { Transcript, Word } from '../../domain/transcript.js';

/** One speaker's uninterrupted stretch of speech. */
export interface Turn {
  speaker: number;
  startMs: number;
  endMs: number;
  words: Word[];
}

/**
 * The call as speaker turns: the utterances when diarization (or the caller's transcript) gave
 * them, otherwise runs of consecutive words by the same speaker. Words without a speaker belong to
 * speaker 0, so a call nobody diarized is one speaker talking.
 */
export function speakerTurns(transcript: Pick<Transcript, 'utterances' | 'words'>): Turn[] {
  if (transcript.utterances && transcript.utterances.length > 0) {
    return transcript.utterances
      .map((u) => ({ speaker: u.speaker ?? 0, startMs: u.startMs, endMs: u.endMs, words: u.words }))
      .sort((a, b) => a.startMs - b.startMs);
  }
  const turns: Turn[] = [];
  for (const word of transcript.words) {
    const speaker = word.speaker ?? 0;
    const last = turns.at(-1);
    if (last && last.speaker === speaker) {
      last.words.push(word);
      last.endMs = Math.max(last.endMs, word.endMs);
    } else {
      turns.push({ speaker, startMs: word.startMs, endMs: word.endMs, words: [word] });
    }
  }
  return turns;
}
