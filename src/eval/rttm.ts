/**
 * RTTM ("Rich Transcription Time Marked"), the file format of diarization references and outputs.
 * Only `SPEAKER` lines matter for diarization:
 *
 *   SPEAKER <file> <channel> <start s> <duration s> <NA> <NA> <speaker> <NA> <NA>
 *
 * Other line types (SPKR-INFO, LEXEME, …) and `;;` comments are skipped.
 */
import type { SpeakerSegment } from './der.js';

export interface RttmSegment extends SpeakerSegment {
  /** The recording the line belongs to (RTTM's second field). */
  file: string;
  channel: string;
}

/**
 * The `SPEAKER` lines of an RTTM document, grouped by recording (an RTTM file may hold several), in
 * the order they appear. Throws on a malformed `SPEAKER` line, naming it.
 */
export function parseRttm(text: string): Map<string, RttmSegment[]> {
  const byFile = new Map<string, RttmSegment[]>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith(';;')) return;
    const fields = line.split(/\s+/);
    if (fields[0] !== 'SPEAKER') return;
    const [, file, channel, startText, durationText, , , speaker] = fields;
    const start = Number(startText);
    const duration = Number(durationText);
    if (
      file === undefined ||
      channel === undefined ||
      speaker === undefined ||
      !Number.isFinite(start) ||
      !Number.isFinite(duration) ||
      duration < 0
    ) {
      throw new SyntaxError(`RTTM line ${index + 1} is not a valid SPEAKER line: ${line}`);
    }
    const segments = byFile.get(file) ?? [];
    segments.push({ file, channel, start, end: start + duration, speaker });
    byFile.set(file, segments);
  });
  return byFile;
}

/** RTTM `SPEAKER` lines for one recording, in time order, times with millisecond precision. */
export function formatRttm(file: string, segments: readonly SpeakerSegment[], channel = '1'): string {
  return [...segments]
    .sort((a, b) => a.start - b.start || a.end - b.end)
    .map(
      (s) =>
        `SPEAKER ${file} ${channel} ${s.start.toFixed(3)} ${(s.end - s.start).toFixed(3)} <NA> <NA> ${s.speaker} <NA> <NA>\n`,
    )
    .join('');
}

/** Turns in samples (what diarization engines return) as segments in seconds. */
export function turnsToSegments(
  turns: readonly { start: number; end: number; speaker: number }[],
  sampleRate: number,
): SpeakerSegment[] {
  return turns.map((t) => ({
    start: t.start / sampleRate,
    end: t.end / sampleRate,
    speaker: String(t.speaker),
  }));
}
