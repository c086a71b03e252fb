import type { SafetyLabel } from '../results.js';
import { stem, tokenize } from '../summary/terms.js';
import {
  GRADED_LABELS,
  LEXICON,
  SAFETY_LABELS,
  SEVERITY_LOWERERS,
  SEVERITY_RAISERS,
  type LexiconTerm,
  type SafetyLabelName,
} from './lexicon.js';
import { findObscenities } from './profanity.js';

/**
 * Content safety labels of one passage, from the lexicon and the profanity matcher. A label's
 * confidence combines its terms' weights as independent evidence (noisy-OR: 1 − Π(1 − w)), so one
 * weak term stays weak while several agreeing ones add up; a repeated term counts again at half
 * weight, since repeating a word is less evidence than using a second one. Severity is the most
 * severe term's, moved up or down by words such as "killed" or "minor" for the graded labels.
 */

interface CompiledTerm {
  /** Match keys of the term's words: `=form` for an exact form, `~stem` for any form. */
  keys: string[];
  id: string;
  weight: number;
  severity: number;
  labels: SafetyLabelName[];
}

/** How many repeats of one term still add evidence. */
const MAX_REPEATS = 3;
/** Raisers or lowerers beyond this many do not move severity further. */
const MAX_ADJUSTMENTS = 2;

function compile(term: LexiconTerm, label: SafetyLabelName | null): CompiledTerm {
  // Hyphenated and apostrophe words are split the way transcript text is tokenized.
  const keys = term.words.flatMap((word) => {
    const exact = word.startsWith('=');
    return tokenize(exact ? word.slice(1) : word).map((token) => (exact ? `=${token}` : `~${stem(token)}`));
  });
  return {
    keys,
    id: keys.join(' '),
    weight: term.weight,
    severity: term.severity,
    labels: label ? [label] : [],
  };
}

/**
 * One term per match key: "killed" and "killing" both stem to "kill", and listing both must not
 * make one word count twice. The first listed (the strongest band) wins.
 */
function unique(terms: readonly CompiledTerm[]): CompiledTerm[] {
  const seen = new Set<string>();
  return terms.filter((term) => !seen.has(term.id) && seen.add(term.id));
}

/** Terms by their first key, longest first, so "crack cocaine" is tried before "crack". */
function index(terms: readonly CompiledTerm[]): Map<string, CompiledTerm[]> {
  const byFirst = new Map<string, CompiledTerm[]>();
  for (const term of terms) {
    const first = term.keys[0];
    if (first === undefined) continue;
    let list = byFirst.get(first);
    if (!list) byFirst.set(first, (list = []));
    list.push(term);
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.keys.length - a.keys.length);
  return byFirst;
}

let compiled:
  | {
      labels: Map<string, CompiledTerm[]>;
      raisers: Map<string, CompiledTerm[]>;
      lowerers: Map<string, CompiledTerm[]>;
    }
  | undefined;

function lexicon() {
  compiled ??= {
    labels: index(
      SAFETY_LABELS.flatMap((label) => unique(LEXICON[label].map((term) => compile(term, label)))),
    ),
    raisers: index(SEVERITY_RAISERS.map((term) => compile(term, null))),
    lowerers: index(SEVERITY_LOWERERS.map((term) => compile(term, null))),
  };
  return compiled;
}

/** Every occurrence of the indexed terms in the tokens; at each position only the longest match. */
function matchTerms(tokens: readonly string[], terms: Map<string, CompiledTerm[]>): CompiledTerm[] {
  const stems = tokens.map(stem);
  const hits: CompiledTerm[] = [];
  const keyAt = (i: number, key: string) => (key.startsWith('=') ? `=${tokens[i]}` : `~${stems[i]}`) === key;
  for (let i = 0; i < tokens.length; i++) {
    const candidates = [...(terms.get(`=${tokens[i]}`) ?? []), ...(terms.get(`~${stems[i]}`) ?? [])];
    let longest = 0;
    for (const term of candidates) {
      if (term.keys.length < longest) continue;
      if (term.keys.every((key, k) => i + k < tokens.length && keyAt(i + k, key))) {
        longest = term.keys.length;
        hits.push(term);
      }
    }
  }
  return hits;
}

interface Evidence {
  /** Occurrences of each term: id → weight, severity and count. */
  terms: Map<string, { weight: number; severity: number; count: number }>;
}

/** All labels with any evidence in the text, highest confidence first. */
export function classifyText(text: string): SafetyLabel[] {
  const { labels, raisers, lowerers } = lexicon();
  const tokens = tokenize(text);
  const evidence = new Map<SafetyLabelName, Evidence>();
  const add = (label: SafetyLabelName, id: string, weight: number, severity: number) => {
    let e = evidence.get(label);
    if (!e) evidence.set(label, (e = { terms: new Map() }));
    const seen = e.terms.get(id);
    if (seen) seen.count++;
    else e.terms.set(id, { weight, severity, count: 1 });
  };
  for (const term of matchTerms(tokens, labels)) {
    for (const label of term.labels) add(label, term.id, term.weight, term.severity);
  }
  for (const hit of findObscenities(text)) add(hit.label, `obscenity:${hit.term}`, hit.weight, hit.severity);
  if (evidence.size === 0) return [];

  const adjust =
    Math.min(MAX_ADJUSTMENTS, matchTerms(tokens, raisers).length) * SEVERITY_RAISERS[0]!.severity +
    Math.min(MAX_ADJUSTMENTS, matchTerms(tokens, lowerers).length) * SEVERITY_LOWERERS[0]!.severity;
  const out: SafetyLabel[] = [];
  for (const [label, { terms }] of evidence) {
    let doubt = 1;
    let severity = 0;
    for (const { weight, severity: s, count } of terms.values()) {
      doubt *= (1 - weight) * (1 - weight / 2) ** Math.min(MAX_REPEATS, count - 1);
      severity = Math.max(severity, s);
    }
    if (GRADED_LABELS.has(label)) severity += adjust;
    out.push({ label, confidence: 1 - doubt, severity: Math.min(1, Math.max(0, severity)) });
  }
  return out.sort((a, b) => b.confidence - a.confidence || a.label.localeCompare(b.label));
}
