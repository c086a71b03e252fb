import type { Word } from '../domain/transcript.js';
import { assignSpans, sortSpans, type TimeSpan } from './regions.js';
import { endsSentence } from './sentence-boundary.js';
import { isLetter, isPunctuation, matchKey, splitAffixes, stripPunctuation } from './token.js';

export interface FormatWordsOptions {
  /** Add punctuation (a fallback when the engine has none), or strip it when false. */
  punctuate: boolean;
  /** Capitalise sentence starts and the pronoun "I"; lowercase everything when false. */
  formatText: boolean;
  /** The engine writes its own punctuation (Whisper, Parakeet); false for e.g. pocketsphinx. */
  engineHasPunctuation: boolean;
  /**
   * Silence inside a speech region, in ms, at which the fallback ends a sentence.
   * @defaultValue {@link SENTENCE_PAUSE_MS}
   */
  sentencePauseMs?: number;
}

/**
 * Pause at which the punctuation fallback ends a sentence inside a speech region. Pauses between
 * sentences in read and conversational English mostly exceed ~0.5 s, while hesitations and
 * phrase-internal pauses are mostly shorter; 700 ms sits above the bulk of the latter, so a
 * period it adds is rarely inside a clause. A wrong period costs more than a missing one, since
 * sentences, paragraphs and captions are all cut at periods.
 */
export const SENTENCE_PAUSE_MS = 700;

/*
 * No commas are added. A pause alone does not tell a comma from a hesitation ("the ... uh ...
 * report"), and a comma in the middle of a noun phrase reads worse than a missing one; nothing
 * downstream (sentences, captions, search) needs commas.
 */

/**
 * Applies the request's `punctuate` and `formatText` to recognised words. Only `text` changes:
 * the same number of words comes back, with the same times, confidences, speakers and channels.
 *
 * - `punctuate` and the engine has punctuation: kept as is.
 * - `punctuate` and the engine has none: a period (or a question mark, see `isQuestion`) after the
 *   last word of each speech segment, at a pause of `sentencePauseMs` or more, and where the
 *   speaker or channel changes.
 * - not `punctuate`: punctuation stripped (see `stripPunctuation`); a punctuation-only word is left
 *   with empty text rather than removed, so word indexes stay valid.
 * - `formatText`: sentence starts and "I", "I'm", "I've", "I'll", "I'd" capitalised; the engine's
 *   own casing is otherwise kept. Not `formatText`: everything lowercased.
 */
export function formatWords(
  words: readonly Word[],
  segments: readonly TimeSpan[],
  options: FormatWordsOptions,
): Word[] {
  let texts = words.map((w) => w.text);
  let addedEnds = new Set<number>();
  if (options.punctuate && !options.engineHasPunctuation) {
    const fallback = addFallbackPunctuation(
      words,
      texts,
      segments,
      options.sentencePauseMs ?? SENTENCE_PAUSE_MS,
    );
    texts = fallback.texts;
    addedEnds = fallback.ends;
  } else if (!options.punctuate) {
    texts = texts.map(stripPunctuation);
  }
  texts = options.formatText ? capitalise(texts, addedEnds) : texts.map((t) => t.toLowerCase());
  return words.map((word, i) => ({ ...word, text: texts[i] ?? word.text }));
}

function addFallbackPunctuation(
  words: readonly Word[],
  texts: string[],
  segments: readonly TimeSpan[],
  pauseMs: number,
): { texts: string[]; ends: Set<number> } {
  const out = [...texts];
  const ends = new Set<number>();
  const owner = assignSpans(words, sortSpans(segments));
  let start = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const next = words[i + 1];
    if (word === undefined) continue;
    const boundary =
      next === undefined ||
      owner[i] !== owner[i + 1] ||
      next.startMs - word.endMs >= pauseMs ||
      next.speaker !== word.speaker ||
      next.channel !== word.channel;
    if (!boundary) continue;
    const last = lastWithText(out, start, i);
    if (last >= 0) {
      const text = out[last] ?? '';
      if (!endsSentence(text, undefined)) {
        const mark = isQuestion(out.slice(start, i + 1)) ? '?' : '.';
        out[last] = text.replace(/[,;:]+$/u, '') + mark;
      }
      ends.add(last);
    }
    start = i + 1;
  }
  return { texts: out, ends };
}

function lastWithText(texts: readonly string[], from: number, to: number): number {
  for (let i = to; i >= from; i--) if (splitAffixes(texts[i] ?? '').core !== '') return i;
  return -1;
}

/*
 * Question detection is limited to subject–auxiliary inversion, the grammatical mark of an English
 * question, checked on the first words of the sentence:
 *   yes/no:  AUX SUBJECT …          "is it …", "can the …", "do you …"
 *   wh-:     WH AUX SUBJECT …       "what is your …", "why do they …"
 *            WH's SUBJECT …         "what's the …"
 *            how much/many/… AUX SUBJECT …
 *   a sentence that is a lone wh-word: "why"
 * after skipping leading discourse markers and fillers ("so", "and", "well", "um", …).
 * Declaratives such as "what I mean is …" or "when I was young …" have no inversion and stay
 * statements. "do", "have" and the modals "may/might/must" open imperatives and wishes too ("do the
 * dishes", "have a nice day", "may the best team win"), so after them only a personal pronoun
 * counts as a subject ("do you", "have they").
 */
const STRONG_AUX = new Set([
  'is',
  'are',
  'was',
  'were',
  'am',
  'does',
  'did',
  'can',
  'could',
  'would',
  'will',
  'should',
  'shall',
  "isn't",
  "aren't",
  "wasn't",
  "weren't",
  "doesn't",
  "didn't",
  "can't",
  "couldn't",
  "wouldn't",
  "won't",
  "shouldn't",
]);
const WEAK_AUX = new Set([
  'do',
  'have',
  'has',
  'had',
  'may',
  'might',
  'must',
  "don't",
  "haven't",
  "hasn't",
  "hadn't",
]);
const PERSONAL_PRONOUNS = new Set(['i', 'you', 'he', 'she', 'we', 'they']);
/**
 * Words that are the subject after an inverted auxiliary without part-of-speech tagging ("is it",
 * "can the …"). Shared with the questions add-on (src/intelligence/questions).
 */
export const SUBJECT_WORDS: ReadonlySet<string> = new Set([
  ...PERSONAL_PRONOUNS,
  'it',
  'there',
  'this',
  'that',
  'these',
  'those',
  'someone',
  'somebody',
  'anyone',
  'anybody',
  'everyone',
  'everybody',
  'the',
  'a',
  'an',
  'my',
  'your',
  'his',
  'her',
  'its',
  'our',
  'their',
  'any',
]);
/** The wh-words that open a question. Shared with the questions add-on. */
export const WH_WORDS: ReadonlySet<string> = new Set([
  'who',
  'what',
  'when',
  'where',
  'why',
  'how',
  'which',
  'whose',
  'whom',
]);
const WH_IS = new Set(["what's", "where's", "who's", "how's", "when's", "why's"]);
const HOW_DEGREE = new Set(['much', 'many', 'long', 'far', 'often', 'old']);
/** Discourse markers and fillers that may precede the inverted part: "so what is …", "and do you …". */
const OPENERS = new Set(['so', 'and', 'but', 'well', 'okay', 'ok', 'now', 'oh', 'um', 'uh', 'then', 'also']);

function isAuxWithSubject(aux: string | undefined, subject: string | undefined): boolean {
  if (aux === undefined || subject === undefined) return false;
  if (STRONG_AUX.has(aux)) return SUBJECT_WORDS.has(subject);
  if (WEAK_AUX.has(aux)) return PERSONAL_PRONOUNS.has(subject);
  return false;
}

function isAux(word: string | undefined): boolean {
  return word !== undefined && (STRONG_AUX.has(word) || WEAK_AUX.has(word));
}

/** Whether a sentence (its words' texts) opens like an English question; see the note above. */
export function isQuestion(texts: readonly string[]): boolean {
  const all = texts.map(matchKey).filter((k) => k !== '');
  let skip = 0;
  while (skip < all.length - 1 && OPENERS.has(all[skip] ?? '')) skip++;
  const keys = all.slice(skip);
  const [k0, k1, k2, k3] = keys;
  if (k0 === undefined) return false;
  if (keys.length === 1) return WH_WORDS.has(k0);
  if (isAuxWithSubject(k0, k1)) return true;
  if (WH_IS.has(k0)) return k1 !== undefined && SUBJECT_WORDS.has(k1);
  if (!WH_WORDS.has(k0)) return false;
  if (isAux(k1)) return k2 !== undefined && SUBJECT_WORDS.has(k2);
  if (k0 === 'how' && k1 !== undefined && HOW_DEGREE.has(k1))
    return isAux(k2) && k3 !== undefined && SUBJECT_WORDS.has(k3);
  return false;
}

const PRONOUN_I = new Set(['i', "i'm", "i've", "i'll", "i'd"]);

/**
 * Capitalises the first word, every word after a sentence end, and the pronoun "I" with its
 * contractions. A word with a capital after its first letter ("iPhone", "eBay") keeps its casing:
 * that casing is deliberate.
 */
function capitalise(texts: readonly string[], forcedEnds: ReadonlySet<number>): string[] {
  const out = [...texts];
  let atStart = true;
  for (let i = 0; i < out.length; i++) {
    const text = out[i] ?? '';
    if (splitAffixes(text).core === '') {
      // Punctuation-only tokens ("." emitted on its own) may still end a sentence.
      if (text !== '' && endsSentence(text, nextText(out, i))) atStart = true;
      continue;
    }
    let result = text;
    if (atStart && !hasInnerCapital(text)) result = upperFirstLetter(text);
    if (PRONOUN_I.has(matchKey(text))) result = upperFirstLetter(result);
    out[i] = result;
    atStart = forcedEnds.has(i) || endsSentence(result, nextText(out, i));
  }
  return out;
}

function nextText(texts: readonly string[], i: number): string | undefined {
  for (let j = i + 1; j < texts.length; j++) {
    const text = texts[j] ?? '';
    if (text !== '') return text;
  }
  return undefined;
}

function upperFirstLetter(text: string): string {
  const chars = Array.from(text);
  const at = chars.findIndex((ch) => !isPunctuation(ch));
  const ch = chars[at];
  if (ch === undefined || !isLetter(ch)) return text;
  chars[at] = ch.toUpperCase();
  return chars.join('');
}

function hasInnerCapital(text: string): boolean {
  const letters = Array.from(splitAffixes(text).core).filter(isLetter);
  return letters.slice(1).some((ch) => ch !== ch.toLowerCase());
}
