/**
 * TextTiling (Hearst 1997): topic boundaries where the vocabulary of the text before a point and the
 * text after it have least in common. Here gaps are the boundaries between sentences, so chapters
 * always start and end with whole sentences, and each side's block is grown to a number of content
 * terms rather than a number of sentences, because spoken sentences vary from one word to forty.
 */

export interface TilingUnit {
  /** Content terms (stems) of the sentence. */
  terms: readonly string[];
  startMs: number;
  endMs: number;
}

export interface TilingOptions {
  /**
   * Content terms in each of the two blocks compared at a gap (Hearst: 6 pseudo-sentences of 20
   * tokens).
   * @defaultValue 120
   */
  blockTerms?: number;
  /**
   * No chapter is shorter than this; boundaries that would make one are dropped, weakest first.
   * @defaultValue 60000
   */
  minChapterMs?: number;
  /**
   * How far the depth cutoff sits below the mean depth, in standard deviations (Hearst's liberal
   * cutoff is 0.5, the conservative one 1).
   * @defaultValue 0.5
   */
  cutoffStdDevs?: number;
}

/** Sentence indexes where a new chapter starts, ascending (never 0). */
export function textTile(units: readonly TilingUnit[], options: TilingOptions = {}): number[] {
  const blockTerms = options.blockTerms ?? 120;
  const minChapterMs = options.minChapterMs ?? 60_000;
  const n = units.length;
  if (n < 2) return [];
  const startMs = units[0]!.startMs;
  const endMs = units[n - 1]!.endMs;
  if (endMs - startMs < 2 * minChapterMs) return [];

  const raw = gapScores(units, blockTerms);
  const scores = smooth(raw);
  const depths = depthScores(scores);
  const mean = depths.reduce((a, b) => a + b, 0) / depths.length;
  const sd = Math.sqrt(depths.reduce((a, d) => a + (d - mean) ** 2, 0) / depths.length);
  const cutoff = mean - (options.cutoffStdDevs ?? 0.5) * sd;

  // Candidates are valleys (a gap no more similar than its neighbours) deep enough to pass the
  // cutoff, taken deepest first; each must leave every chapter at least minChapterMs long.
  const candidates = depths
    .map((depth, g) => ({ depth, gap: g + 1 }))
    .filter(({ depth, gap }) => depth > 0 && depth >= cutoff && isValley(scores, gap - 1))
    .sort((a, b) => b.depth - a.depth || a.gap - b.gap);
  const boundaries: number[] = [];
  for (const candidate of candidates) {
    const gap = sharpen(raw, candidate.gap - 1) + 1;
    const at = units[gap]!.startMs;
    if (at - startMs < minChapterMs || endMs - at < minChapterMs) continue;
    if (boundaries.some((b) => Math.abs(units[b]!.startMs - at) < minChapterMs)) continue;
    boundaries.push(gap);
  }
  return boundaries.sort((a, b) => a - b);
}

/**
 * The gap next to a smoothed valley where the raw score is lowest: smoothing finds valleys reliably
 * but drags them toward the flatter side by a sentence, and a chapter should start exactly where
 * the new subject does.
 */
function sharpen(raw: readonly number[], i: number): number {
  let best = i;
  for (const j of [i - 1, i + 1]) if (j >= 0 && j < raw.length && raw[j]! < raw[best]!) best = j;
  return best;
}

/**
 * Lexical cohesion at each gap g (between sentence g and g+1, for g = 0..n-2): the cosine of the
 * term counts of the block ending at sentence g and the block starting at sentence g+1.
 */
export function gapScores(units: readonly TilingUnit[], blockTerms: number): number[] {
  const idf = inverseSentenceFrequency(units);
  const scores: number[] = [];
  for (let gap = 1; gap < units.length; gap++) {
    const left = new Map<string, number>();
    for (let i = gap - 1, size = 0; i >= 0 && size < blockTerms; i--) size += count(left, units[i]!.terms);
    const right = new Map<string, number>();
    for (let i = gap, size = 0; i < units.length && size < blockTerms; i++)
      size += count(right, units[i]!.terms);
    scores.push(weightedCosine(left, right, idf));
  }
  return scores;
}

function count(into: Map<string, number>, terms: readonly string[]): number {
  for (const term of terms) into.set(term, (into.get(term) ?? 0) + 1);
  return terms.length;
}

/**
 * IDF of each term over the sentences. Hearst compares raw counts; weighting by IDF keeps words
 * that run through the whole recording ("time", "keep") from bridging two subjects.
 */
function inverseSentenceFrequency(units: readonly TilingUnit[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const unit of units) for (const term of new Set(unit.terms)) df.set(term, (df.get(term) ?? 0) + 1);
  const idf = new Map<string, number>();
  for (const [term, count] of df) idf.set(term, Math.log(1 + units.length / count));
  return idf;
}

function weightedCosine(a: Map<string, number>, b: Map<string, number>, idf: Map<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [term, x] of a) {
    const w = (idf.get(term) ?? 1) ** 2;
    dot += x * (b.get(term) ?? 0) * w;
    na += x * x * w;
  }
  for (const [term, y] of b) nb += y * y * (idf.get(term) ?? 1) ** 2;
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Moving average over three gaps (Hearst smooths the curve before looking for valleys). */
function smooth(scores: readonly number[]): number[] {
  return scores.map((_, i) => {
    const window = scores.slice(Math.max(0, i - 1), i + 2);
    return window.reduce((a, b) => a + b, 0) / window.length;
  });
}

/**
 * Depth of each gap: how far the score climbs on each side before it turns down again, summed. A
 * deep valley between two high peaks is a change of subject; a shallow dip is noise.
 */
export function depthScores(scores: readonly number[]): number[] {
  return scores.map((score, i) => {
    let left = score;
    for (let j = i - 1; j >= 0 && scores[j]! >= left; j--) left = scores[j]!;
    let right = score;
    for (let j = i + 1; j < scores.length && scores[j]! >= right; j++) right = scores[j]!;
    return left - score + (right - score);
  });
}

function isValley(scores: readonly number[], i: number): boolean {
  const here = scores[i]!;
  return (i === 0 || scores[i - 1]! >= here) && (i === scores.length - 1 || scores[i + 1]! >= here);
}
