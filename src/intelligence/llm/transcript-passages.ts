import type { Transcript } from '../../domain/transcript.js';
import { splitParagraphs } from '../../text/sentences.js';

/**
 * The transcript as the text an LLM reads: one passage per paragraph, prefixed with its speaker
 * ("Speaker A:") or channel when the transcript has them, so prompts such as "what did the second
 * speaker agree to?" can be answered. Paragraphs are the unit because they are short (at most 150
 * words) and never mix speakers, so chunks can be packed from them without cutting a turn's label
 * off its words.
 */
export function transcriptPassages(transcript: Pick<Transcript, 'words' | 'text'>): string[] {
  if (transcript.words.length === 0) return transcript.text.trim() === '' ? [] : [transcript.text.trim()];
  return splitParagraphs(transcript.words).map((p) => {
    if (p.speaker !== undefined) return `${speakerName(p.speaker)}: ${p.text}`;
    if (p.channel !== undefined) return `Channel ${p.channel + 1}: ${p.text}`;
    return p.text;
  });
}

/** AssemblyAI's speaker letters (A, B, …), numbers past Z. */
export function speakerName(speaker: number): string {
  return speaker < 26 ? `Speaker ${String.fromCharCode(65 + speaker)}` : `Speaker ${speaker + 1}`;
}
