import { Bm25Index } from './bm25.js';
import type { Passage } from './passages.js';

export interface RetrievalOptions {
  /**
   * What to look for, most important first: the question, then earlier turns that give it
   * context ("and who agreed to that?"). Passages matching the first are taken before passages
   * that only match a later one.
   */
  queries: readonly string[];
  /** Most tokens the chosen passages may take, as `cost` counts them. */
  budgetTokens: number;
  /** Tokens a passage takes in the prompt (its rendered form, labels included). */
  cost: (passage: Passage) => number;
}

export interface Retrieval {
  /**
   * `full`: the whole transcript fits and is sent as it is. `retrieved`: the passages that match
   * the query best. `sampled`: nothing matched the query (a question such as "what is this
   * about?"), so passages spread evenly over the transcript are sent instead.
   */
  mode: 'full' | 'retrieved' | 'sampled';
  /** The chosen passages, in transcript order. */
  passages: Passage[];
}

/**
 * The passages to show a model for a query within a token budget. A transcript that fits is sent
 * whole: nothing is lost. A longer one is never truncated at the end (the answer may be in the
 * last minute); instead the passages BM25 ranks highest for the query are taken until the budget
 * is spent, and shown in transcript order so the model reads them as a conversation.
 */
export function retrievePassages(passages: readonly Passage[], options: RetrievalOptions): Retrieval {
  const costs = passages.map(options.cost);
  const total = costs.reduce((a, b) => a + b, 0);
  if (total <= options.budgetTokens) return { mode: 'full', passages: [...passages] };

  const index = new Bm25Index(passages.map((p) => p.text));
  const ranked = [...new Set(options.queries.flatMap((query) => index.search(query).map((h) => h.index)))];
  const order = ranked.length > 0 ? ranked : evenlySpread(passages.length);
  const chosen: number[] = [];
  let spent = 0;
  for (const i of order) {
    const cost = costs[i]!;
    // A passage too big for what is left is skipped, not cut: a smaller, lower-ranked one may fit.
    if (spent + cost > options.budgetTokens) continue;
    chosen.push(i);
    spent += cost;
  }
  chosen.sort((a, b) => a - b);
  return {
    mode: ranked.length > 0 ? 'retrieved' : 'sampled',
    passages: chosen.map((i) => passages[i]!),
  };
}

/**
 * Indexes 0..n-1 in an order that covers the whole range early: the middle, then the quarters,
 * then the eighths… so whatever prefix fits the budget is spread over the transcript.
 */
export function evenlySpread(n: number): number[] {
  const seen = new Set<number>();
  const order: number[] = [];
  for (let parts = 1; order.length < n; parts *= 2) {
    for (let k = 0; k < parts; k++) {
      const index = Math.min(n - 1, Math.floor(((2 * k + 1) * n) / (2 * parts)));
      if (!seen.has(index)) {
        seen.add(index);
        order.push(index);
      }
    }
    if (parts > 2 * n) break;
  }
  for (let i = 0; i < n; i++) if (!seen.has(i)) order.push(i);
  return order;
}
