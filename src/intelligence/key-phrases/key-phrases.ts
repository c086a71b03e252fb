import { eng as englishStopwords } from 'stopword';
import type { Word } from '../../domain/transcript.js';
import type { KeyPhrase } from '../results.js';
import { mapWords, type WordTextMap } from '../text-map.js';
import { tagTokens, type TaggedToken } from './tagged-tokens.js';
import { CooccurrenceGraph } from './textrank.js';

export interface KeyPhraseOptions {
  /**
   * How many phrases to return at most.
   * @defaultValue 15
   */
  maxPhrases?: number;
  /**
   * Longest phrase, in tokens.
   * @defaultValue 4
   */
  maxPhraseTokens?: number;
  /**
   * Two words are linked in the TextRank graph when they lie within this many tokens of each other.
   * @defaultValue 4
   */
  window?: number;
}

export const KEY_PHRASE_DEFAULTS = { maxPhrases: 15, maxPhraseTokens: 4, window: 4 } as const;

/** Parts of speech a key phrase is built from: the nouns and adjectives TextRank's authors keep. */
const PHRASE_POS = new Set(['NOUN', 'PROPN', 'ADJ']);
/** A phrase names a thing, so it ends in a noun ("pricing model", not "new pricing"). */
const HEAD_POS = new Set(['NOUN', 'PROPN']);

/**
 * Nouns that carry no topic in conversation ("a lot of things", "this way", "next week", "good
 * morning") and fillers a tagger may call nouns. Without them TextRank over speech ranks "thing" and "lot" first.
 */
const CONVERSATIONAL_NOUNS = [
  'thing',
  'things',
  'lot',
  'lots',
  'way',
  'ways',
  'stuff',
  'kind',
  'sort',
  'bit',
  'guy',
  'guys',
  'yeah',
  'yes',
  'okay',
  'ok',
  'um',
  'uh',
  'hmm',
  'mhm',
  'oh',
  'something',
  'anything',
  'everything',
  'nothing',
  'someone',
  'anyone',
  'everyone',
  'time',
  'times',
  'today',
  'day',
  'days',
  'week',
  'weeks',
  'month',
  'months',
  'year',
  'years',
  'morning',
  'afternoon',
  'evening',
  'tonight',
  'right',
  'sure',
  'gonna',
  'wanna',
];
/**
 * Adjectives that qualify almost anything ("new data center", "other teams"): as the start of a
 * highlight they only split one phrase into near-duplicates.
 */
const GENERIC_ADJECTIVES = [
  'new',
  'old',
  'good',
  'great',
  'big',
  'small',
  'last',
  'next',
  'other',
  'many',
  'few',
  'same',
  'different',
  'whole',
  'certain',
  'able',
  'real',
  'main',
  'much',
];
const STOPWORDS: ReadonlySet<string> = new Set([
  ...englishStopwords,
  ...CONVERSATIONAL_NOUNS,
  ...GENERIC_ADJECTIVES,
]);

/** One place a candidate phrase occurs: its character span and surface text. */
interface Occurrence {
  /** Index of the phrase's first token. */
  first: number;
  start: number;
  end: number;
  surface: string;
}

interface Candidate {
  /** Stems joined by spaces: the grouping key. */
  key: string;
  stems: string[];
  occurrences: Occurrence[];
  score: number;
}

/**
 * AssemblyAI's `auto_highlights`: the transcript's key phrases ranked by TextRank. Candidates are
 * runs of adjectives then nouns (up to `maxPhraseTokens`, every such sub-run included)
 * found by wink-nlp's POS tagger, grouped by their Porter stems. A phrase scores the TextRank
 * weight of its words (summed, divided by √length so longer phrases gain but do not win by length
 * alone) times log₂(1 + occurrences), so a phrase that recurs outranks one said once.
 */
export function extractKeyPhrases(words: readonly Word[], options: KeyPhraseOptions = {}): KeyPhrase[] {
  const maxPhrases = options.maxPhrases ?? KEY_PHRASE_DEFAULTS.maxPhrases;
  const maxTokens = options.maxPhraseTokens ?? KEY_PHRASE_DEFAULTS.maxPhraseTokens;
  const window = options.window ?? KEY_PHRASE_DEFAULTS.window;
  const map = mapWords(words);
  if (map.text.trim() === '') return [];
  const tokens = tagTokens(map.text);
  const wordOf = tokens.map((t) => wordIndexAt(map, t.start));
  const blocks = blockIds(tokens, wordOf, words);
  const content = tokens.map(isContent);

  const graph = new CooccurrenceGraph();
  for (let i = 0; i < tokens.length; i++) {
    if (!content[i]) continue;
    graph.addVertex(tokens[i]!.stem);
    for (let j = i + 1; j < i + window && j < tokens.length && blocks[j] === blocks[i]; j++)
      if (content[j]) graph.link(tokens[i]!.stem, tokens[j]!.stem);
  }
  const weights = graph.rank();

  const candidates = collectCandidates(tokens, content, blocks, map, maxTokens);
  for (const candidate of candidates.values()) {
    const weight = candidate.stems.reduce((sum, stem) => sum + (weights.get(stem) ?? 0), 0);
    candidate.score =
      (weight / Math.sqrt(candidate.stems.length)) * Math.log2(1 + candidate.occurrences.length);
  }
  const chosen = selectPhrases([...candidates.values()], maxPhrases);
  const top = chosen[0]?.score ?? 0;
  return chosen.map((c) => ({
    text: mostCommonSurface(c.occurrences),
    count: c.occurrences.length,
    rank: top > 0 ? c.score / top : 0,
    timestamps: c.occurrences.map((o) => timeOf(map, words, o)),
  }));
}

function isContent(token: TaggedToken): boolean {
  return (
    PHRASE_POS.has(token.pos) &&
    token.lower.length >= 2 &&
    /\p{L}/u.test(token.lower) &&
    !STOPWORDS.has(token.lower)
  );
}

/**
 * A block id per token: a new block starts after a sentence-ending mark and wherever the speaker or
 * channel changes, so neither graph edges nor phrases reach across those boundaries.
 */
function blockIds(
  tokens: readonly TaggedToken[],
  wordOf: readonly number[],
  words: readonly Word[],
): number[] {
  const ids: number[] = [];
  let block = 0;
  for (let i = 0; i < tokens.length; i++) {
    const previous = i > 0 ? words[wordOf[i - 1]!] : undefined;
    const current = words[wordOf[i]!];
    const endedSentence = i > 0 && /^[.!?…]+$/.test(tokens[i - 1]!.value);
    const switched =
      previous !== undefined &&
      current !== undefined &&
      (previous.speaker !== current.speaker || previous.channel !== current.channel);
    if (endedSentence || switched) block++;
    ids.push(block);
  }
  return ids;
}

/** Every run of adjectives then nouns, up to `maxTokens` long, grouped by stems. */
function collectCandidates(
  tokens: readonly TaggedToken[],
  content: readonly boolean[],
  blocks: readonly number[],
  map: WordTextMap,
  maxTokens: number,
): Map<string, Candidate> {
  const candidates = new Map<string, Candidate>();
  for (let end = 0; end < tokens.length; end++) {
    if (!content[end] || !HEAD_POS.has(tokens[end]!.pos)) continue;
    // Walking back from the head noun: the phrase must read ADJ* NOUN+ (the noun-phrase pattern of
    // term extraction), so a noun before an adjective ends it ("pricing model confused customers").
    let seenAdjective = false;
    for (let start = end; start > end - maxTokens && start >= 0; start--) {
      if (!content[start] || blocks[start] !== blocks[end]) break;
      const adjective = !HEAD_POS.has(tokens[start]!.pos);
      if (seenAdjective && !adjective) break;
      seenAdjective ||= adjective;
      // Adjacent tokens only: "sales, marketing" must not become one phrase.
      if (start < end && tokens[start]!.end > tokens[start + 1]!.start) break;
      const run = tokens.slice(start, end + 1);
      const stems = run.map((t) => t.stem);
      const key = stems.join(' ');
      const occurrence = {
        first: start,
        start: tokens[start]!.start,
        end: tokens[end]!.end,
        surface: map.text.slice(tokens[start]!.start, tokens[end]!.end).toLowerCase(),
      };
      const known = candidates.get(key);
      if (known === undefined) candidates.set(key, { key, stems, occurrences: [occurrence], score: 0 });
      else known.occurrences.push(occurrence);
    }
  }
  return candidates;
}

/**
 * The best `max` candidates, leaving out a phrase that only ever occurs inside one longer phrase
 * ("data center" when every mention is "new data center"): the longer one is the highlight, the
 * shorter would repeat it. Containment is checked among the best few times `max` candidates only,
 * which keeps it cheap on long transcripts.
 */
function selectPhrases(candidates: Candidate[], max: number): Candidate[] {
  candidates.sort((a, b) => b.score - a.score || b.stems.length - a.stems.length || (a.key < b.key ? -1 : 1));
  const pool = candidates.slice(0, max * 4).filter((c) => c.score > 0);
  const firsts = new Map(pool.map((c) => [c, new Set(c.occurrences.map((o) => o.first))]));
  const standsAlone = (c: Candidate): boolean =>
    !pool.some(
      (longer) => longer.stems.length > c.stems.length && coversEvery(longer, firsts.get(longer)!, c),
    );
  return pool.filter(standsAlone).slice(0, max);
}

/** Whether every occurrence of `inner` lies inside an occurrence of `outer`. */
function coversEvery(outer: Candidate, outerFirsts: ReadonlySet<number>, inner: Candidate): boolean {
  // Offsets at which inner's stems appear within outer's.
  const offsets: number[] = [];
  for (let k = 0; k + inner.stems.length <= outer.stems.length; k++)
    if (inner.stems.every((stem, j) => outer.stems[k + j] === stem)) offsets.push(k);
  if (offsets.length === 0) return false;
  return inner.occurrences.every((o) => offsets.some((k) => outerFirsts.has(o.first - k)));
}

function mostCommonSurface(occurrences: readonly Occurrence[]): string {
  const counts = new Map<string, number>();
  let best = occurrences[0]?.surface ?? '';
  for (const { surface } of occurrences) {
    const n = (counts.get(surface) ?? 0) + 1;
    counts.set(surface, n);
    if (n > (counts.get(best) ?? 0)) best = surface;
  }
  return best;
}

/** Index of the word whose characters include `offset` (binary search over the word ranges). */
function wordIndexAt(map: WordTextMap, offset: number): number {
  let lo = 0;
  let hi = map.ranges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (map.ranges[mid]![0] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function timeOf(map: WordTextMap, words: readonly Word[], o: Occurrence): { startMs: number; endMs: number } {
  const first = words[wordIndexAt(map, o.start)]!;
  const last = words[wordIndexAt(map, o.end - 1)]!;
  return { startMs: first.startMs, endMs: last.endMs };
}
