import type { SentimentLabel } from '../results.js';
import { loadVaderLexicon, type VaderLexicon } from './vader-lexicon.js';
import { CAPS_BOOST, DEGREE_MODIFIERS, IDIOMS, NEGATION_SCALAR, NEGATIONS } from './vader-words.js';

/**
 * VADER — Valence Aware Dictionary and sEntiment Reasoner (Hutto & Gilbert, ICWSM 2014): each
 * token's human-rated valence, adjusted by five rules (punctuation, capitalisation, degree
 * modifiers, "but", negation within three tokens), summed and squashed into a compound score.
 * Written from the paper's description; where the reference code has known slips (a dampener
 * phrase that strengthens a negative word, "but" weights picked by value instead of position),
 * this follows the paper's intent.
 */

export interface PolarityScores {
  /** Share of the sentence's intensity that is positive, negative or neutral (they sum to 1). */
  pos: number;
  neu: number;
  neg: number;
  /** Normalised sum of valences in [-1, 1]. */
  compound: number;
}

export interface SentimentAnalysis {
  sentiment: SentimentLabel;
  /** 0..1: how clearly the text carries that label (see `analyzeSentiment`). */
  confidence: number;
  compound: number;
}

/** VADER's recommended bounds on the compound score between NEUTRAL and a polarity. */
export const COMPOUND_THRESHOLD = 0.05;

/** Approximate maximum expected sum, from the paper: it sets how fast the compound saturates. */
const NORMALIZATION_ALPHA = 15;

/** Punctuation at the edges of a token; inner apostrophes and hyphens belong to the word. */
const EDGE_PUNCTUATION = /^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu;

/**
 * Labels a sentence. `confidence` for POSITIVE/NEGATIVE is `(1 + |compound|) / 2`: 0.5 would be a
 * coin toss between the two polarities, and the compound's magnitude is how far VADER's evidence
 * moves away from it. For NEUTRAL it is the neutral share of the sentence's intensity (`neu`), so a
 * sentence whose strong positive and negative words cancel out is a low-confidence neutral.
 */
export function analyzeSentiment(text: string): SentimentAnalysis {
  const scores = polarityScores(text);
  const { compound } = scores;
  if (compound >= COMPOUND_THRESHOLD)
    return { sentiment: 'POSITIVE', confidence: (1 + compound) / 2, compound };
  if (compound <= -COMPOUND_THRESHOLD)
    return { sentiment: 'NEGATIVE', confidence: (1 - compound) / 2, compound };
  return { sentiment: 'NEUTRAL', confidence: scores.neu, compound };
}

/** VADER's four scores for a piece of text (one sentence is what the lexicon was rated on). */
export function polarityScores(text: string, lexicon: VaderLexicon = loadVaderLexicon()): PolarityScores {
  const tokens = tokenize(text, lexicon);
  if (tokens.length === 0) return { pos: 0, neu: 0, neg: 0, compound: 0 };
  const sentence = new Sentence(tokens, lexicon);
  const valences = tokens.map((_, i) => sentence.valenceAt(i));
  shiftAroundBut(sentence.lower, valences);
  return score(valences, punctuationEmphasis(text));
}

/**
 * Whitespace tokens with edge punctuation removed; a token that is only punctuation is kept when
 * the lexicon rates it (an emoticon such as ":)"), dropped otherwise.
 */
function tokenize(text: string, lexicon: VaderLexicon): string[] {
  const tokens: string[] = [];
  for (const raw of text.replace(/’/g, "'").split(/\s+/)) {
    if (raw === '') continue;
    if (lexicon.has(raw.toLowerCase())) {
      tokens.push(raw);
      continue;
    }
    const word = raw.replace(EDGE_PUNCTUATION, '');
    if (word !== '') tokens.push(word);
  }
  return tokens;
}

/** One tokenised sentence and the rules that turn a token into an adjusted valence. */
class Sentence {
  readonly lower: string[];
  /** Some but not all words are shouted: only then does capitalisation signal emphasis. */
  private readonly capsDiffer: boolean;

  constructor(
    private readonly words: string[],
    private readonly lexicon: VaderLexicon,
  ) {
    this.lower = words.map((w) => w.toLowerCase());
    const shouted = words.filter(isShouted).length;
    this.capsDiffer = shouted > 0 && shouted < words.length;
  }

  valenceAt(i: number): number {
    const word = this.lower[i] ?? '';
    // A degree modifier carries no sentiment itself; it acts through the word it modifies.
    if (DEGREE_MODIFIERS.has(word)) return 0;
    if (word === 'kind' && this.lower[i + 1] === 'of') return 0;
    const rated = this.lexicon.get(word);
    if (rated === undefined) return 0;

    let valence = rated;
    // "no" before a rated word negates that word rather than counting as negative itself.
    if (word === 'no' && i + 1 < this.lower.length && this.lexicon.has(this.lower[i + 1] ?? '')) valence = 0;
    if (
      this.at(i - 1) === 'no' ||
      this.at(i - 2) === 'no' ||
      (this.at(i - 3) === 'no' && isOrNor(this.at(i - 1)))
    )
      valence = rated * NEGATION_SCALAR;
    if (this.capsDiffer && isShouted(this.words[i] ?? '')) valence += Math.sign(valence || 1) * CAPS_BOOST;

    // The three preceding tokens: degree modifiers (fading with distance) and negations. A rated
    // word is its own sentiment, not a modifier, so it is skipped.
    for (let distance = 1; distance <= 3 && i - distance >= 0; distance++) {
      if (this.lexicon.has(this.at(i - distance))) continue;
      valence += this.degreeScalar(i - distance, valence) * DISTANCE_DECAY[distance - 1]!;
      valence = this.negate(valence, i, distance);
    }
    valence = this.applyIdioms(valence, i);
    return this.applyLeast(valence, i);
  }

  private at(j: number): string {
    return this.lower[j] ?? '';
  }

  /** What a booster/dampener at `j` adds, signed so that it strengthens/weakens `valence`. */
  private degreeScalar(j: number, valence: number): number {
    const modifier = DEGREE_MODIFIERS.get(this.at(j));
    if (modifier === undefined) return 0;
    let scalar = valence < 0 ? -modifier : modifier;
    if (this.capsDiffer && isShouted(this.words[j] ?? '')) scalar += valence > 0 ? CAPS_BOOST : -CAPS_BOOST;
    return scalar;
  }

  /**
   * Negation `distance` tokens back flips and weakens the valence. "never so/this good" is
   * emphasis, not negation; "without doubt" affirms.
   */
  private negate(valence: number, i: number, distance: number): number {
    const word = this.at(i - distance);
    const between = [this.at(i - 1), this.at(i - 2)].slice(0, distance - 1);
    if (distance > 1 && word === 'never' && between.some((w) => w === 'so' || w === 'this'))
      return valence * 1.25;
    if (distance > 1 && word === 'without' && between.includes('doubt')) return valence;
    return isNegation(word) ? valence * NEGATION_SCALAR : valence;
  }

  /**
   * An idiom around the word replaces its valence ("kiss of death"); a multi-word degree phrase
   * just before it ("kind of", "sort of", "just enough") weakens it.
   */
  private applyIdioms(valence: number, i: number): number {
    const around = [
      this.gram(i - 1, i),
      this.gram(i - 2, i),
      this.gram(i - 2, i - 1),
      this.gram(i - 3, i - 1),
      this.gram(i - 3, i - 2),
      this.gram(i, i + 1),
      this.gram(i, i + 2),
    ];
    const idiom = around.find((phrase) => phrase !== undefined && IDIOMS.has(phrase));
    let adjusted = idiom === undefined ? valence : (IDIOMS.get(idiom) ?? valence);
    for (const phrase of [this.gram(i - 3, i - 1), this.gram(i - 3, i - 2), this.gram(i - 2, i - 1)]) {
      const modifier = phrase === undefined ? undefined : DEGREE_MODIFIERS.get(phrase);
      if (modifier !== undefined) adjusted += Math.sign(adjusted) * modifier;
    }
    return adjusted;
  }

  /** Tokens `from..to` (inclusive) joined by spaces, or undefined when the range leaves the sentence. */
  private gram(from: number, to: number): string | undefined {
    if (from < 0 || to >= this.lower.length) return undefined;
    return this.lower.slice(from, to + 1).join(' ');
  }

  /** "least good" negates; "at least" and "very least" do not. */
  private applyLeast(valence: number, i: number): number {
    if (this.at(i - 1) !== 'least' || this.lexicon.has('least')) return valence;
    const before = this.at(i - 2);
    return before === 'at' || before === 'very' ? valence : valence * NEGATION_SCALAR;
  }
}

/** A modifier's effect fades with distance: full next to the word, then 95 %, then 90 %. */
const DISTANCE_DECAY = [1, 0.95, 0.9] as const;

function isOrNor(word: string): boolean {
  return word === 'or' || word === 'nor';
}

function isNegation(word: string): boolean {
  return NEGATIONS.has(word) || word.includes("n't");
}

/**
 * ALL CAPS emphasis. Needs three letters or more: transcripts spell "OK", "I" and acronyms in
 * capitals without anyone shouting.
 */
function isShouted(word: string): boolean {
  const letters = word.replace(/[^\p{L}]/gu, '');
  return letters.length >= 3 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
}

/** "but" signals a shift: what follows it dominates (×1.5), what precedes it fades (×0.5). */
function shiftAroundBut(lower: readonly string[], valences: number[]): void {
  const but = lower.indexOf('but');
  if (but === -1) return;
  for (let i = 0; i < valences.length; i++) {
    if (i < but) valences[i]! *= 0.5;
    else if (i > but) valences[i]! *= 1.5;
  }
}

/** Exclamation marks (up to four) and repeated question marks intensify the whole sentence. */
function punctuationEmphasis(text: string): number {
  const exclamations = Math.min(count(text, '!'), 4) * 0.292;
  const questions = count(text, '?');
  const questionEmphasis = questions <= 1 ? 0 : questions <= 3 ? questions * 0.18 : 0.96;
  return exclamations + questionEmphasis;
}

function count(text: string, ch: string): number {
  let n = 0;
  for (const c of text) if (c === ch) n++;
  return n;
}

function score(valences: readonly number[], emphasis: number): PolarityScores {
  let sum = valences.reduce((a, b) => a + b, 0);
  if (sum > 0) sum += emphasis;
  else if (sum < 0) sum -= emphasis;
  const compound = Math.max(-1, Math.min(1, sum / Math.sqrt(sum * sum + NORMALIZATION_ALPHA)));

  // Each rated word counts one more than its valence so that a mildly rated word still outweighs
  // a neutral word in the proportions; neutral words count one each.
  let positive = 0;
  let negative = 0;
  let neutral = 0;
  for (const v of valences) {
    if (v > 0) positive += v + 1;
    else if (v < 0) negative += v - 1;
    else neutral += 1;
  }
  if (positive > Math.abs(negative)) positive += emphasis;
  else if (positive < Math.abs(negative)) negative -= emphasis;
  const total = positive + Math.abs(negative) + neutral;
  return { pos: positive / total, neu: neutral / total, neg: Math.abs(negative) / total, compound };
}
