import type { Word } from '../domain/transcript.js';
import type { CustomSpelling } from '../domain/transcription-request.js';
import { matchKey, splitAffixes } from './token.js';

interface Pattern {
  keys: string[];
  to: string;
}

/**
 * Applies custom spellings (AssemblyAI `custom_spelling`): every whole-word occurrence of a `from`
 * entry, compared case-insensitively, becomes `to`, written exactly as given (AssemblyAI: "`from`
 * isn't case-sensitive, `to` is"). Punctuation around the match is kept: "gettleman," →
 * "Gettleman,".
 *
 * A multi-word `from` ("dee carlo") matches consecutive words and merges them into one word, since
 * AssemblyAI's `to` is a single word: it starts where the first matched word starts, ends where the
 * last ends, and takes the lowest confidence of the parts — the merged word is only as sure as its
 * least sure part, which keeps low-confidence highlighting honest. A phrase does not match across
 * punctuation ("dee. carlo") or across a change of speaker or channel; speaker and channel come from
 * the matched words.
 *
 * Where several entries match at the same word, the one with more words wins, then the earlier
 * rule. Replacements are not matched again, so rules do not chain. Words are not mutated; words that
 * do not match are returned as they are.
 */
export function applyCustomSpelling(words: readonly Word[], rules: readonly CustomSpelling[]): Word[] {
  const patterns = compile(rules);
  if (patterns.length === 0) return [...words];
  const keys = words.map((w) => matchKey(w.text));
  const out: Word[] = [];
  let i = 0;
  while (i < words.length) {
    const pattern = patterns.find((p) => matchesAt(words, keys, i, p.keys));
    const word = words[i];
    if (word === undefined) break;
    if (pattern === undefined) {
      out.push(word);
      i++;
      continue;
    }
    out.push(merge(words.slice(i, i + pattern.keys.length), pattern.to));
    i += pattern.keys.length;
  }
  return out;
}

function compile(rules: readonly CustomSpelling[]): Pattern[] {
  const patterns: Pattern[] = [];
  for (const rule of rules) {
    for (const from of rule.from) {
      const keys = from
        .trim()
        .split(/\s+/u)
        .map(matchKey)
        .filter((k) => k !== '');
      if (keys.length > 0) patterns.push({ keys, to: rule.to });
    }
  }
  // Stable sort: longer phrases first, rule order among equals.
  return patterns.sort((a, b) => b.keys.length - a.keys.length);
}

function matchesAt(
  words: readonly Word[],
  keys: readonly string[],
  at: number,
  pattern: readonly string[],
): boolean {
  const first = words[at];
  if (first === undefined || at + pattern.length > words.length) return false;
  for (let k = 0; k < pattern.length; k++) {
    if (keys[at + k] !== pattern[k]) return false;
    const word = words[at + k];
    if (word === undefined) return false;
    if (k === 0) continue;
    if (word.speaker !== first.speaker || word.channel !== first.channel) return false;
    const previous = words[at + k - 1];
    // Punctuation between the parts means they are not one phrase.
    if (splitAffixes(word.text).prefix !== '' || splitAffixes(previous?.text ?? '').suffix !== '')
      return false;
  }
  return true;
}

function merge(parts: readonly Word[], to: string): Word {
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (first === undefined || last === undefined) throw new Error('merge needs at least one word');
  const text = splitAffixes(first.text).prefix + to + splitAffixes(last.text).suffix;
  return {
    ...first,
    text,
    endMs: Math.max(...parts.map((p) => p.endMs)),
    confidence: Math.min(...parts.map((p) => p.confidence)),
  };
}
