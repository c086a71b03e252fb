import { stemmer } from 'stemmer';
import { IAB_TOPICS, type TopicDefinition } from './iab-taxonomy.js';

/** A keyword or phrase of the taxonomy, as the keys it matches and the labels it signals. */
export interface IndexedKeyword {
  /** One key per token: a Porter stem, or `=word` for an exact-word keyword. */
  keys: string[];
  /** Indexes into `TopicIndex.labels`. */
  labels: number[];
  /**
   * Inverse label frequency, ln(1 + labels / labels sharing the keyword): a word that signals many
   * labels ("court": law, basketball) says less about each.
   */
  idf: number;
}

export interface TopicIndex {
  labels: string[];
  /** Keywords by the key of their first token, longest first so the longest match wins. */
  byFirstKey: Map<string, IndexedKeyword[]>;
}

/** A text token in both forms a keyword can match: its stem and its exact lowercase word. */
export interface TopicToken {
  stem: string;
  word: string;
}

/**
 * Lowercase word tokens of `text`: possessive "'s" dropped, apostrophes removed, hyphens split
 * ("e-commerce" and "e commerce" match alike).
 */
export function topicTokens(text: string): TopicToken[] {
  const words = text
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .replace(/['’]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
  return words.map((word) => ({ word, stem: stemmer(word) }));
}

/** Builds the keyword index of a taxonomy (the IAB subset by default). */
export function buildTopicIndex(topics: readonly TopicDefinition[] = IAB_TOPICS): TopicIndex {
  const labels = topics.map((topic) => topic.label);
  const byPhrase = new Map<string, { keys: string[]; labels: Set<number> }>();
  topics.forEach((topic, labelIndex) => {
    for (const keyword of topic.keywords) {
      const keys = keywordKeys(keyword);
      if (keys.length === 0) continue;
      const id = keys.join(' ');
      const entry = byPhrase.get(id) ?? { keys, labels: new Set<number>() };
      entry.labels.add(labelIndex);
      byPhrase.set(id, entry);
    }
  });
  const byFirstKey = new Map<string, IndexedKeyword[]>();
  for (const { keys, labels: owners } of byPhrase.values()) {
    const keyword: IndexedKeyword = {
      keys,
      labels: [...owners],
      idf: Math.log(1 + labels.length / owners.size),
    };
    const list = byFirstKey.get(keys[0]!) ?? [];
    list.push(keyword);
    byFirstKey.set(keys[0]!, list);
  }
  for (const list of byFirstKey.values()) list.sort((a, b) => b.keys.length - a.keys.length);
  return { labels, byFirstKey };
}

function keywordKeys(keyword: string): string[] {
  if (keyword.startsWith('=')) return topicTokens(keyword.slice(1)).map((t) => `=${t.word}`);
  return topicTokens(keyword).map((t) => t.stem);
}

let defaultIndex: TopicIndex | undefined;

/** The index of the built-in IAB subset, built once. */
export function iabTopicIndex(): TopicIndex {
  defaultIndex ??= buildTopicIndex();
  return defaultIndex;
}

/**
 * Every keyword occurrence in `tokens`, longest match first and without overlaps (so "machine
 * learning" is not also counted as "learning").
 */
export function matchKeywords(index: TopicIndex, tokens: readonly TopicToken[]): IndexedKeyword[] {
  const matches: IndexedKeyword[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i]!;
    const found =
      longestAt(index.byFirstKey.get(token.stem), tokens, i) ??
      longestAt(index.byFirstKey.get(`=${token.word}`), tokens, i);
    if (found === undefined) {
      i++;
      continue;
    }
    matches.push(found);
    i += found.keys.length;
  }
  return matches;
}

function longestAt(
  candidates: IndexedKeyword[] | undefined,
  tokens: readonly TopicToken[],
  i: number,
): IndexedKeyword | undefined {
  return candidates?.find((keyword) =>
    keyword.keys.every((key, j) => {
      const token = tokens[i + j];
      return token !== undefined && (key === token.stem || key === `=${token.word}`);
    }),
  );
}
