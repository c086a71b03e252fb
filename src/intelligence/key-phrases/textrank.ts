/**
 * TextRank (Mihalcea & Tarau 2004): PageRank over an undirected graph whose vertices are words and
 * whose edges join words that occur near each other. A word ranks high when it co-occurs with
 * many words that themselves rank high.
 */

export interface TextRankOptions {
  /**
   * Probability of following an edge rather than jumping to a random vertex.
   * @defaultValue 0.85
   */
  damping?: number;
  /**
   * Iteration stops once no score moves by more than this.
   * @defaultValue 1e-6
   */
  tolerance?: number;
  /** @defaultValue 100 */
  maxIterations?: number;
}

/** Undirected weighted co-occurrence graph keyed by vertex name. */
export class CooccurrenceGraph {
  private readonly edges = new Map<string, Map<string, number>>();

  addVertex(vertex: string): void {
    if (!this.edges.has(vertex)) this.edges.set(vertex, new Map());
  }

  /** Adds one co-occurrence of `a` and `b` (a self-loop is ignored). */
  link(a: string, b: string): void {
    if (a === b) return;
    this.addVertex(a);
    this.addVertex(b);
    const fromA = this.edges.get(a)!;
    const fromB = this.edges.get(b)!;
    fromA.set(b, (fromA.get(b) ?? 0) + 1);
    fromB.set(a, (fromB.get(a) ?? 0) + 1);
  }

  get size(): number {
    return this.edges.size;
  }

  /** Weighted PageRank score of every vertex; the scores sum to 1. */
  rank(options: TextRankOptions = {}): Map<string, number> {
    const damping = options.damping ?? 0.85;
    const tolerance = options.tolerance ?? 1e-6;
    const maxIterations = options.maxIterations ?? 100;
    const vertices = [...this.edges.keys()];
    const n = vertices.length;
    const index = new Map(vertices.map((v, i) => [v, i]));
    // Adjacency as arrays once, so each iteration is a tight loop over numbers.
    const neighbours = vertices.map((v) =>
      [...this.edges.get(v)!].map(([u, w]) => ({ from: index.get(u)!, weight: w })),
    );
    const strength = vertices.map((v) => [...this.edges.get(v)!.values()].reduce((a, b) => a + b, 0));
    let scores = new Float64Array(n).fill(1 / Math.max(n, 1));
    for (let iteration = 0; iteration < maxIterations; iteration++) {
      const next = new Float64Array(n);
      // Rank held by isolated vertices is spread evenly, so the scores keep summing to one.
      let dangling = 0;
      for (let i = 0; i < n; i++) if (strength[i] === 0) dangling += scores[i]!;
      let delta = 0;
      for (let i = 0; i < n; i++) {
        let inflow = 0;
        for (const { from, weight } of neighbours[i]!) inflow += (weight / strength[from]!) * scores[from]!;
        next[i] = (1 - damping) / n + damping * (inflow + dangling / n);
        delta = Math.max(delta, Math.abs(next[i]! - scores[i]!));
      }
      scores = next;
      if (delta < tolerance) break;
    }
    return new Map(vertices.map((v, i) => [v, scores[i]!]));
  }
}
