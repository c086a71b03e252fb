import type { Word } from '../domain/transcript.js';

/**
 * Marks a punctuation model may write, and what each becomes after a Latin-script word. sherpa's
 * CT-Transformer writes full-width marks (`，。？、`) after every word, Chinese or English; after a
 * Chinese (or other non-Latin) word they are kept as written.
 */
const MARKS: Readonly<Record<string, string>> = {
  '，': ',',
  '。': '.',
  '？': '?',
  '、': ',',
  '！': '!',
  '；': ';',
  '：': ':',
  ',': ',',
  '.': '.',
  '?': '?',
  '!': '!',
  ';': ';',
  ':': ':',
};

const SENTENCE_END = new Set(['.', '?', '!', '。', '？', '！']);

/** Class names a model may print in place of a mark (sherpa prints `<unk>` verbatim). */
const NON_MARKS = /<unk>/g;

export interface PunctuatedWords {
  /** The words with marks appended and sentence starts capitalised; times and the rest unchanged. */
  words: Word[];
  /** How many leading words were found in the punctuated text (the rest came back unchanged). */
  matched: number;
}

/**
 * Maps a punctuation model's output back onto the words it was made from (`words` joined by
 * spaces). Each mark attaches to the word before it; the first word and each word after
 * sentence-final punctuation get a capital first letter. The model must not change the words: it
 * is followed word by word (case-insensitively, spaces ignored), and where it stops matching, the
 * remaining words are returned unchanged. Only `text` changes.
 */
export function applyPunctuatedText(words: readonly Word[], punctuated: string): PunctuatedWords {
  const out = punctuated.replace(NON_MARKS, '');
  let pos = 0;
  let matched = 0;
  let sentenceStart = true;
  const result: Word[] = [];
  for (const word of words) {
    const end = matchWord(out, pos, word.text);
    if (end === undefined) break;
    let marks = '';
    pos = end;
    while (pos < out.length) {
      const ch = out[pos]!;
      if (/\s/u.test(ch)) {
        pos++;
        continue;
      }
      const mark = MARKS[ch];
      if (mark === undefined) break;
      marks += isLatinWord(word.text) ? mark : ch;
      pos++;
    }
    // A model may emit several marks in a row; one reads best (the last is the strongest break).
    const mark = marks.slice(-1);
    const text = (sentenceStart ? capitalise(word.text) : word.text) + mark;
    if (word.text !== '') sentenceStart = SENTENCE_END.has(mark);
    result.push({ ...word, text });
    matched++;
  }
  return { words: [...result, ...words.slice(matched)], matched };
}

/** Where `text` ends when it is found at `pos` of `out` (leading spaces skipped); undefined if not. */
function matchWord(out: string, pos: number, text: string): number | undefined {
  let i = pos;
  while (i < out.length && /\s/u.test(out[i]!)) i++;
  for (const ch of text) {
    if (/\s/u.test(ch)) {
      while (i < out.length && /\s/u.test(out[i]!)) i++;
      continue;
    }
    const next = String.fromCodePoint(out.codePointAt(i) ?? 0);
    if (i >= out.length || next.toLowerCase() !== ch.toLowerCase()) return undefined;
    i += next.length;
  }
  return i;
}

function isLatinWord(text: string): boolean {
  return !/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(text);
}

function capitalise(text: string): string {
  const first = text.codePointAt(0);
  if (first === undefined) return text;
  const ch = String.fromCodePoint(first);
  return ch.toUpperCase() + text.slice(ch.length);
}
