import type { Word } from '../domain/transcript.js';
import type { TextFilters } from '../domain/transcription-request.js';
import { matchKey, splitAffixes, startsWithUppercase } from './token.js';

/** Filler words dropped unless disfluencies are kept (AssemblyAI removes these by default). */
const DISFLUENCIES = new Set(['um', 'umm', 'uh', 'uhh', 'uhm', 'hmm', 'hm', 'mm', 'mhm', 'er', 'erm', 'ah']);

/**
 * Common English profanity, by lowercased core. Kept short and literal on purpose: a word is
 * masked only when it is one of these (or one of these with a plain English ending), so ordinary
 * words that merely contain one ("class", "Scunthorpe") are never touched.
 */
const PROFANITY = [
  'ass',
  'asshole',
  'bastard',
  'bitch',
  'bollocks',
  'bullshit',
  'cock',
  'crap',
  'cunt',
  'damn',
  'dick',
  'dickhead',
  'fuck',
  'goddamn',
  'motherfucker',
  'piss',
  'prick',
  'pussy',
  'shit',
  'slut',
  'twat',
  'wanker',
  'whore',
];
const PROFANITY_PATTERN = new RegExp(`^(?:${PROFANITY.join('|')})(?:s|es|ed|er|ers|ing|in'|y)?$`);

export function isProfanity(word: string): boolean {
  return PROFANITY_PATTERN.test(matchKey(word));
}

export function isDisfluency(word: string): boolean {
  return DISFLUENCIES.has(matchKey(word));
}

/**
 * Applies the transcript's text filters to formatted words: filler words are dropped (their
 * punctuation moves to the word before, and a sentence they started starts with the next word),
 * and profanity is masked keeping its first letter ("f***"), as AssemblyAI's filter_profanity does.
 */
export function applyTextFilters(words: readonly Word[], filters: TextFilters): Word[] {
  const out: Word[] = [];
  let capitalizeNext = false;
  for (const word of words) {
    if (!filters.keepDisfluencies && isDisfluency(word.text)) {
      const { suffix } = splitAffixes(word.text);
      const previous = out.at(-1);
      if (
        suffix &&
        previous &&
        splitAffixes(previous.text).suffix === '' &&
        previous.channel === word.channel
      ) {
        out[out.length - 1] = { ...previous, text: previous.text + suffix };
      }
      // "Um, so we…" → "So we…": the filler carried the sentence's capital letter.
      capitalizeNext = capitalizeNext || startsWithUppercase(word.text);
      continue;
    }
    let text = word.text;
    if (capitalizeNext && !startsWithUppercase(text)) text = capitalizeFirstLetter(text);
    capitalizeNext = false;
    if (filters.filterProfanity && isProfanity(text)) text = mask(text);
    out.push(text === word.text ? word : { ...word, text });
  }
  return out;
}

function mask(text: string): string {
  const { prefix, core, suffix } = splitAffixes(text);
  const letters = Array.from(core);
  return prefix + (letters[0] ?? '') + '*'.repeat(letters.length - 1) + suffix;
}

function capitalizeFirstLetter(text: string): string {
  return text.replace(/\p{L}/u, (ch) => ch.toUpperCase());
}
