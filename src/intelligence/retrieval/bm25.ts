import { contentStems } from '../summary/terms.js';

/**
 * Okapi BM25 over a fixed set of documents (a transcript's passages). Terms are the Porter stems
 * of content words (stop words and speech fillers dropped, as everywhere in the extractive
 * analyses), so "refunds" in a question finds "refund" in the transcript.
 */

export interface Bm25Options {
  /**
   * Term-frequency saturation: higher lets repeated terms count for more.
   * @defaultValue 1.2
   */
  k1?: number;
  /**
   * Length normalisation, 0 (none) to 1 (full).
   * @defaultValue 0.75
   */
  b?: number;
}

export interface Bm25Hit {
  /** Index of the document in the list the index was built from. */
  index: number;
  score: number;
}

export class Bm25Index {
  private readonly k1: number;
  private readonly b: number;
  private readonly termCounts: Map<string, number>[];
  private readonly lengths: number[];
  private readonly averageLength: number;
  /** How many documents contain each term. */
  private readonly documentFrequency = new Map<string, number>();

  constructor(documents: readonly string[], options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    this.termCounts = documents.map((text) => {
      const counts = new Map<string, number>();
      for (const term of contentStems(text)) counts.set(term, (counts.get(term) ?? 0) + 1);
      return counts;
    });
    this.lengths = this.termCounts.map((counts) => [...counts.values()].reduce((a, b) => a + b, 0));
    const total = this.lengths.reduce((a, b) => a + b, 0);
    this.averageLength = documents.length > 0 ? total / documents.length : 0;
    for (const counts of this.termCounts) {
      for (const term of counts.keys()) {
        this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
      }
    }
  }

  /** The query's distinct terms, as the index compares them. */
  static queryTerms(query: string): string[] {
    return [...new Set(contentStems(query))];
  }

  /**
   * BM25's inverse document frequency, in the "+1" form (Lucene's) so that a term found in most
   * passages still counts a little instead of going negative.
   */
  idf(term: string): number {
    const n = this.termCounts.length;
    const df = this.documentFrequency.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Every document that shares a term with the query, best first (ties: earlier first). */
  search(query: string): Bm25Hit[] {
    const terms = Bm25Index.queryTerms(query);
    const hits: Bm25Hit[] = [];
    for (const [index, counts] of this.termCounts.entries()) {
      let score = 0;
      const norm = this.k1 * (1 - this.b + (this.b * this.lengths[index]!) / (this.averageLength || 1));
      for (const term of terms) {
        const tf = counts.get(term);
        if (tf === undefined) continue;
        score += (this.idf(term) * tf * (this.k1 + 1)) / (tf + norm);
      }
      if (score > 0) hits.push({ index, score });
    }
    return hits.sort((a, c) => c.score - a.score || a.index - c.index);
  }
}
