import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from 'obscenity';
import type { SafetyLabelName } from './lexicon.js';

/**
 * Swear words, slurs and vulgar sexual words, found by the `obscenity` package's English dataset:
 * it undoes obfuscation ("f u c k", "sh1t") and knows the innocent words that contain bad ones
 * ("Scunthorpe", "assassin"). Each of its words maps here to the labels it signals.
 */

export interface ObscenityHit {
  label: SafetyLabelName;
  /** The dataset's word, e.g. `fuck` for "fucking". */
  term: string;
  weight: number;
  severity: number;
  /** `[start, end)` character range in the text. */
  start: number;
  end: number;
}

type Signal = [label: SafetyLabelName, weight: number, severity: number];

const SLUR: Signal[] = [['hate_speech', 0.9, 0.9]];
const VULGAR_SEXUAL: Signal[] = [
  ['profanity', 0.9, 0.6],
  ['nsfw', 0.6, 0.6],
];
const EXPLICIT_SEXUAL: Signal[] = [['nsfw', 0.85, 0.8]];
const CLINICAL: Signal[] = [['nsfw', 0.45, 0.4]];

/** What each word of obscenity's English dataset signals; unknown words count as profanity. */
const SIGNALS: Record<string, Signal[]> = {
  ...Object.fromEntries(
    [
      'abeed',
      'abo',
      'africoon',
      'arabush',
      'boonga',
      'chingchong',
      'chink',
      'dyke',
      'fag',
      'kike',
      'negro',
      'nigger',
      'retard',
      'spastic',
      'tranny',
    ].map((w) => [w, SLUR]),
  ),
  ...Object.fromEntries(
    [
      'cock',
      'cum',
      'dick',
      'jizz',
      'pussy',
      'tit',
      'boob',
      'twat',
      'wank',
      'jerk off',
      'whore',
      'slut',
      'hooker',
    ].map((w) => [w, VULGAR_SEXUAL]),
  ),
  ...Object.fromEntries(
    [
      'blowjob',
      'handjob',
      'lubejob',
      'buttplug',
      'deepthroat',
      'dildo',
      'doggystyle',
      'double penetration',
      'felch',
      'fellatio',
      'finger bang',
      'fisting',
      'gangbang',
      'orgy',
      'incest',
      'bestiality',
      'scat',
    ].map((w) => [w, EXPLICIT_SEXUAL]),
  ),
  ...Object.fromEntries(
    ['anal', 'anus', 'ejaculate', 'masturbate', 'orgasm', 'penis', 'semen', 'sex', 'vagina'].map((w) => [
      w,
      CLINICAL,
    ]),
  ),
  porn: [['pornography', 0.9, 0.8]],
  hentai: [['pornography', 0.8, 0.8]],
  rape: [['crime_violence', 0.9, 0.95]],
  fuck: [['profanity', 0.95, 0.8]],
  cunt: [['profanity', 0.95, 0.9]],
  shit: [['profanity', 0.9, 0.5]],
  bitch: [['profanity', 0.9, 0.6]],
  bastard: [['profanity', 0.85, 0.5]],
  prick: [['profanity', 0.75, 0.5]],
  piss: [['profanity', 0.75, 0.35]],
  cuck: [['profanity', 0.75, 0.5]],
  ass: [['profanity', 0.7, 0.3]],
  arse: [['profanity', 0.7, 0.3]],
  bollocks: [['profanity', 0.75, 0.3]],
  turd: [['profanity', 0.7, 0.3]],
};

const DEFAULT_SIGNAL: Signal[] = [['profanity', 0.8, 0.5]];

let matcher: RegExpMatcher | undefined;

/** Built on first use: compiling the dataset's patterns takes a few milliseconds. */
function getMatcher(): RegExpMatcher {
  matcher ??= new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
  return matcher;
}

/**
 * A word the transcript's profanity filter already masked ("f***"): the first letter kept, the rest
 * asterisks. It was profanity, though which word is lost.
 */
const MASKED = /(?<![\p{L}*])\p{L}\*{2,}(?![\p{L}*])/gu;

export function findObscenities(text: string): ObscenityHit[] {
  const hits: ObscenityHit[] = [];
  for (const match of getMatcher().getAllMatches(text, true)) {
    const term = englishDataset.getPayloadWithPhraseMetadata(match).phraseMetadata?.originalWord ?? 'unknown';
    for (const [label, weight, severity] of SIGNALS[term] ?? DEFAULT_SIGNAL) {
      hits.push({ label, term, weight, severity, start: match.startIndex, end: match.endIndex + 1 });
    }
  }
  for (const masked of text.matchAll(MASKED)) {
    const start = masked.index;
    hits.push({
      label: 'profanity',
      term: masked[0],
      weight: 0.85,
      severity: 0.5,
      start,
      end: start + masked[0].length,
    });
  }
  return hits;
}
