import { EarshotError } from '../domain/errors.js';
import type { Transcript, Word } from '../domain/transcript.js';
import { endsSentence } from '../text/sentence-boundary.js';

export type SubtitleFormat = 'srt' | 'vtt';

export interface SubtitleOptions {
  format: SubtitleFormat;
  /**
   * Most characters in one caption, line breaks not counted — AssemblyAI's `chars_per_caption`
   * ("the maximum number of characters per caption"). Each line holds at most
   * `floor(charsPerCaption / maxLines)` characters.
   * @defaultValue 42 × `maxLines` (84: two lines of 42, the usual broadcast line length)
   */
  charsPerCaption?: number;
  /**
   * Longest time one caption stays up, first word's start to last word's end.
   * @defaultValue 7000
   */
  maxCaptionMs?: number;
  /**
   * Shortest time a caption stays up: a shorter one is held on screen longer, but never past the
   * start of the next caption (two captions are never shown together), and never past
   * `maxCaptionMs`. 0 leaves captions as long as their words.
   * @defaultValue 0
   */
  minCaptionMs?: number;
  /**
   * Lines per caption.
   * @defaultValue 1 when `charsPerCaption` is given (AssemblyAI's captions are one line of at most
   * that many characters), else 2.
   */
  maxLines?: number;
}

export const SUBTITLE_DEFAULTS = {
  charsPerLine: 42,
  lines: 2,
  maxCaptionMs: 7_000,
  /** Silence after which a caption ends rather than stay on screen over nothing being said. */
  pauseMs: 1_500,
} as const;

export interface Caption {
  startMs: number;
  endMs: number;
  lines: string[];
}

/**
 * Renders words as SubRip or WebVTT captions. Both formats share one caption builder
 * (`buildCaptions`); they differ only in the file header, cue numbering, the timestamp's decimal
 * separator and escaping. No words give an empty SRT file (SubRip has no header, so zero cues is
 * zero bytes) or `WEBVTT` followed by a blank line.
 */
export function renderSubtitles(transcript: Pick<Transcript, 'words'>, options: SubtitleOptions): string {
  const captions = buildCaptions(transcript.words, options);
  const style = STYLES[options.format];
  const cues = captions.map((caption, i) => {
    const timing = `${formatTimestamp(caption.startMs, style.decimal)} --> ${formatTimestamp(caption.endMs, style.decimal)}`;
    const text = caption.lines.map(style.escape).join('\n');
    return `${style.numbered ? `${i + 1}\n` : ''}${timing}\n${text}\n`;
  });
  return style.header + cues.join('\n');
}

interface FormatStyle {
  header: string;
  numbered: boolean;
  decimal: ',' | '.';
  escape: (line: string) => string;
}

const STYLES: Record<SubtitleFormat, FormatStyle> = {
  srt: { header: '', numbered: true, decimal: ',', escape: (line) => line },
  // WebVTT cue text is markup: a bare "&" or "<" would start an entity or a tag.
  vtt: {
    header: 'WEBVTT\n\n',
    numbered: false,
    decimal: '.',
    escape: (line) => line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  },
};

/** `HH:MM:SS,mmm` (SRT) or `HH:MM:SS.mmm` (WebVTT); hours grow past two digits when needed. */
export function formatTimestamp(ms: number, decimal: ',' | '.'): string {
  const total = Math.max(0, Math.round(ms));
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor(total / 60_000) % 60;
  const seconds = Math.floor(total / 1000) % 60;
  const millis = total % 1000;
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}${decimal}${pad(millis, 3)}`;
}

/**
 * Groups words into captions. A caption ends after a word that ends a sentence, before a word that
 * would not fit (each line at most `floor(charsPerCaption / maxLines)` characters, at most
 * `maxLines` lines), before a word that would stretch it past `maxCaptionMs`, and at a silence of
 * 1.5 s or more. A word is never split: one longer than a line gets a line of its own. Words with
 * empty text are skipped. A caption that overlaps the next one (engines' word times may overlap)
 * is cut back to end where the next begins, so two captions are never on screen together. A
 * caption shorter than `minCaptionMs` is then held until that long, or until the next one begins.
 */
export function buildCaptions(words: readonly Word[], options: Omit<SubtitleOptions, 'format'>): Caption[] {
  const { lineWidth, maxLines, maxMs, minMs } = resolveLimits(options);
  const captions: Caption[] = [];
  let current: { startMs: number; endMs: number; lines: string[] } | undefined;
  let previous: Word | undefined;
  const visible = words.filter((w) => w.text.trim() !== '');

  visible.forEach((word, i) => {
    const text = word.text.trim();
    if (current !== undefined && previous !== undefined) {
      const lastLine = current.lines[current.lines.length - 1] ?? '';
      const fitsLine = lastLine.length + 1 + text.length <= lineWidth;
      const fits = fitsLine || current.lines.length < maxLines;
      const inTime = word.endMs - current.startMs <= maxMs;
      const paused = word.startMs - previous.endMs >= SUBTITLE_DEFAULTS.pauseMs;
      if (!fits || !inTime || paused) {
        captions.push(current);
        current = undefined;
      } else {
        if (fitsLine) current.lines[current.lines.length - 1] = `${lastLine} ${text}`;
        else current.lines.push(text);
        current.endMs = Math.max(current.endMs, word.endMs);
      }
    }
    current ??= { startMs: word.startMs, endMs: word.endMs, lines: [text] };
    previous = word;
    if (endsSentence(text, visible[i + 1]?.text)) {
      captions.push(current);
      current = undefined;
    }
  });
  if (current !== undefined) captions.push(current);

  for (let i = 0; i + 1 < captions.length; i++) {
    const caption = captions[i];
    const next = captions[i + 1];
    if (caption !== undefined && next !== undefined && caption.endMs > next.startMs) {
      caption.endMs = Math.max(caption.startMs, next.startMs);
    }
  }
  if (minMs > 0) {
    captions.forEach((caption, i) => {
      const limit = Math.min(captions[i + 1]?.startMs ?? Infinity, caption.startMs + maxMs);
      const wanted = caption.startMs + minMs;
      if (caption.endMs < wanted) caption.endMs = Math.max(caption.endMs, Math.min(wanted, limit));
    });
  }
  return captions;
}

function resolveLimits(options: Omit<SubtitleOptions, 'format'>): {
  lineWidth: number;
  maxLines: number;
  maxMs: number;
  minMs: number;
} {
  const maxLines = options.maxLines ?? (options.charsPerCaption === undefined ? SUBTITLE_DEFAULTS.lines : 1);
  const chars = options.charsPerCaption ?? SUBTITLE_DEFAULTS.charsPerLine * maxLines;
  const maxMs = options.maxCaptionMs ?? SUBTITLE_DEFAULTS.maxCaptionMs;
  requirePositiveInteger(maxLines, 'maxLines');
  requirePositiveInteger(chars, 'charsPerCaption');
  requirePositiveInteger(maxMs, 'maxCaptionMs');
  const minMs = options.minCaptionMs ?? 0;
  if (!Number.isInteger(minMs) || minMs < 0) {
    throw new EarshotError('badRequest', `minCaptionMs must be an integer >= 0, got ${minMs}`, {
      param: 'minCaptionMs',
    });
  }
  return { lineWidth: Math.max(1, Math.floor(chars / maxLines)), maxLines, maxMs, minMs };
}

function requirePositiveInteger(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new EarshotError('badRequest', `${name} must be a positive integer, got ${value}`, { param: name });
  }
}
