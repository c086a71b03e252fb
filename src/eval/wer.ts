/** Edit counts of a hypothesis against its reference, word by word. */
export interface WerCounts {
  substitutions: number;
  deletions: number;
  insertions: number;
  /** Words in the (normalised) reference. */
  referenceWords: number;
  /** substitutions + deletions + insertions: the word-level edit distance. */
  errors: number;
  /**
   * errors / referenceWords. With an empty reference it is 0 when the hypothesis is empty too and
   * `Infinity` otherwise (every hypothesis word is an insertion against nothing).
   */
  wer: number;
}

export interface WerPair {
  reference: string;
  hypothesis: string;
}

export interface WerPairResult extends WerCounts {
  /** The words compared, after normalisation. */
  referenceTokens: string[];
  hypothesisTokens: string[];
}

export interface WerResult extends WerCounts {
  /** One result per input pair, in order. */
  pairs: WerPairResult[];
}

/**
 * Corpus word error rate: the sum of edits over the sum of reference words (not the mean of
 * per-pair rates, which would weight a two-word clip like a fifty-word one).
 *
 * @param normalize applied to both sides before splitting on whitespace, e.g. the English normaliser.
 *   Without it the texts are compared as given (case and punctuation count).
 */
export function wordErrorRate(
  pairs: readonly WerPair[],
  normalize: (text: string) => string = (s) => s,
): WerResult {
  const results = pairs.map(({ reference, hypothesis }) =>
    alignPair(tokenize(normalize(reference)), tokenize(normalize(hypothesis))),
  );
  const sum = (key: 'substitutions' | 'deletions' | 'insertions' | 'referenceWords'): number =>
    results.reduce((total, r) => total + r[key], 0);
  return {
    ...counts(sum('substitutions'), sum('deletions'), sum('insertions'), sum('referenceWords')),
    pairs: results,
  };
}

function tokenize(text: string): string[] {
  return text.split(/\s+/).filter((word) => word.length > 0);
}

function counts(
  substitutions: number,
  deletions: number,
  insertions: number,
  referenceWords: number,
): WerCounts {
  const errors = substitutions + deletions + insertions;
  const wer = referenceWords > 0 ? errors / referenceWords : errors === 0 ? 0 : Infinity;
  return { substitutions, deletions, insertions, referenceWords, errors, wer };
}

/**
 * Levenshtein alignment on words. The table holds edit distances; the backtrace then splits the
 * distance into substitutions, deletions and insertions, preferring a match or substitution over a
 * deletion over an insertion when several alignments are equally short, so counts are deterministic.
 */
function alignPair(ref: string[], hyp: string[]): WerPairResult {
  const cols = hyp.length + 1;
  // dist[i * cols + j] = edits to turn ref[0..i) into hyp[0..j).
  const dist = new Uint32Array((ref.length + 1) * cols);
  for (let i = 0; i <= ref.length; i++) dist[i * cols] = i;
  for (let j = 0; j <= hyp.length; j++) dist[j] = j;
  const at = (i: number, j: number): number => dist[i * cols + j] ?? 0;
  for (let i = 1; i <= ref.length; i++) {
    for (let j = 1; j <= hyp.length; j++) {
      const diagonal = at(i - 1, j - 1) + (ref[i - 1] === hyp[j - 1] ? 0 : 1);
      dist[i * cols + j] = Math.min(diagonal, at(i - 1, j) + 1, at(i, j - 1) + 1);
    }
  }

  let substitutions = 0;
  let deletions = 0;
  let insertions = 0;
  let i = ref.length;
  let j = hyp.length;
  while (i > 0 || j > 0) {
    const here = at(i, j);
    if (i > 0 && j > 0) {
      const same = ref[i - 1] === hyp[j - 1];
      if (here === at(i - 1, j - 1) + (same ? 0 : 1)) {
        if (!same) substitutions++;
        i--;
        j--;
        continue;
      }
    }
    if (i > 0 && here === at(i - 1, j) + 1) {
      deletions++;
      i--;
    } else {
      insertions++;
      j--;
    }
  }
  return {
    ...counts(substitutions, deletions, insertions, ref.length),
    referenceTokens: ref,
    hypothesisTokens: hyp,
  };
}
