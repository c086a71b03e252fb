/**
 * Sentence centrality by TextRank (Mihalcea & Tarau 2004) on a weighted graph whose edges are the
 * cosine similarity of the sentences' TF-IDF vectors (the continuous LexRank variant, Erkan &
 * Radev 2004): a sentence is central when it resembles many sentences that are central themselves.
 */

/** A sparse, L2-normalised term vector. */
export type TermVector = Map<string, number>;

/**
 * TF-IDF vectors of documents given as stem lists. IDF is smoothed (`log(1 + N / df)`) so a term
 * present in every document still weighs something: in a single talk the main topic's word is
 * everywhere, and dropping it would leave only incidental words.
 */
export function tfIdfVectors(documents: readonly (readonly string[])[]): TermVector[] {
  const df = new Map<string, number>();
  for (const terms of documents) for (const term of new Set(terms)) df.set(term, (df.get(term) ?? 0) + 1);
  const n = Math.max(1, documents.length);
  return documents.map((terms) => {
    const tf = new Map<string, number>();
    for (const term of terms) tf.set(term, (tf.get(term) ?? 0) + 1);
    const vector: TermVector = new Map();
    let norm = 0;
    for (const [term, count] of tf) {
      // Sub-linear TF: a word said five times in one sentence is emphasis, not five times the topic.
      const weight = (1 + Math.log(count)) * Math.log(1 + n / (df.get(term) ?? 1));
      vector.set(term, weight);
      norm += weight * weight;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (const [term, weight] of vector) vector.set(term, weight / norm);
    return vector;
  });
}

export function cosine(a: TermVector, b: TermVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [term, weight] of small) dot += weight * (large.get(term) ?? 0);
  return dot;
}

export interface TextRankOptions {
  /** @defaultValue 0.85 (PageRank's usual damping) */
  damping?: number;
  /** @defaultValue 100 */
  maxIterations?: number;
  /** Stop when no score moves more than this. @defaultValue 1e-6 */
  tolerance?: number;
}

/**
 * TextRank scores of the vectors (they sum to 1). Pairs are found through an inverted index so only
 * sentences that share a term are compared: an hour of speech has ~600 sentences, and most pairs
 * share nothing.
 */
export function textRank(vectors: readonly TermVector[], options: TextRankOptions = {}): number[] {
  const damping = options.damping ?? 0.85;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-6;
  const n = vectors.length;
  if (n === 0) return [];

  const postings = new Map<string, number[]>();
  vectors.forEach((vector, i) => {
    for (const term of vector.keys()) {
      let list = postings.get(term);
      if (!list) postings.set(term, (list = []));
      list.push(i);
    }
  });
  // edges[i]: neighbours j < or > i with their similarity; built once from the shared-term pairs.
  const edges: Map<number, number>[] = vectors.map(() => new Map<number, number>());
  vectors.forEach((vector, i) => {
    for (const [term, weight] of vector) {
      for (const j of postings.get(term) ?? []) {
        if (j <= i) continue;
        const other = vectors[j]!.get(term) ?? 0;
        edges[i]!.set(j, (edges[i]!.get(j) ?? 0) + weight * other);
      }
    }
  });
  for (let i = 0; i < n; i++) for (const [j, w] of edges[i]!) if (j > i) edges[j]!.set(i, w);
  const outWeight = edges.map((e) => [...e.values()].reduce((sum, w) => sum + w, 0));

  let scores = new Array<number>(n).fill(1 / n);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    // A sentence with no neighbour spreads its score evenly (the usual dangling-node rule), so
    // scores keep summing to 1.
    let dangling = 0;
    for (let j = 0; j < n; j++) if (outWeight[j] === 0) dangling += scores[j]!;
    const next = new Array<number>(n).fill((1 - damping) / n + (damping * dangling) / n);
    for (let j = 0; j < n; j++) {
      const out = outWeight[j]!;
      if (out === 0) continue;
      const share = (damping * scores[j]!) / out;
      for (const [i, w] of edges[j]!) next[i]! += share * w;
    }
    const delta = next.reduce((max, s, i) => Math.max(max, Math.abs(s - scores[i]!)), 0);
    scores = next;
    if (delta < tolerance) break;
  }
  return scores;
}

export interface PickOptions {
  /**
   * A candidate this similar (cosine) to one already picked is skipped, so the picks do not repeat
   * one another.
   * @defaultValue 0.5
   */
  maxSimilarity?: number;
  /**
   * Sentences with fewer content terms are picked only when nothing else is left: speech is full of
   * short replies ("Yeah, exactly.") that resemble everything and say nothing.
   * @defaultValue 4
   */
  minTerms?: number;
}

/**
 * Indexes of the `count` best sentences by score, skipping near-duplicates of earlier picks and,
 * while longer ones remain, sentences with fewer than `minTerms` terms. Returned best first.
 */
export function pickCentral(
  scores: readonly number[],
  vectors: readonly TermVector[],
  termCounts: readonly number[],
  count: number,
  options: PickOptions = {},
): number[] {
  const maxSimilarity = options.maxSimilarity ?? 0.5;
  const minTerms = options.minTerms ?? 4;
  const order = scores.map((score, i) => ({ score, i })).sort((a, b) => b.score - a.score || a.i - b.i);
  const picked: number[] = [];
  for (const pass of [true, false]) {
    for (const { i } of order) {
      if (picked.length >= count) return picked;
      if (picked.includes(i)) continue;
      if (pass && (termCounts[i] ?? 0) < minTerms) continue;
      if (picked.some((p) => cosine(vectors[p]!, vectors[i]!) > maxSimilarity)) continue;
      picked.push(i);
    }
  }
  return picked;
}
