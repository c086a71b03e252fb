import type { Transcript, Utterance, Word } from '../../domain/transcript.js';
import type { IntelligenceRequest, PiiPolicy } from '../../domain/transcription-request.js';
import { joinWords } from '../../text/transcript-text.js';
import type { EntityType, RedactionResult } from '../results.js';
import { mapWords, wordsInSpan } from '../text-map.js';
import { type EntitySpan, findEntities } from './detect-pii.js';

export { SUPPORTED_PII_POLICIES } from './detect-pii.js';

export type RedactionOptions = NonNullable<IntelligenceRequest['redactPii']>;

/** Finds PII in one channel's text; `findEntities` unless a test supplies another recognizer. */
export type EntityFinder = (text: string, types: readonly EntityType[]) => EntitySpan[];

/** One redacted entity, with the indexes (into `Transcript.words`) of the words it covers. */
interface CoveredEntity {
  type: EntityType;
  wordIndexes: number[];
}

/** A word of the redacted transcript and the first original word it stands for. */
interface RedactedWord {
  word: Word;
  from: number;
}

/**
 * Leading and trailing punctuation around a word's core (`"(555)-1234,"` → `(`, `555)-1234`, `,`),
 * so redaction keeps the sentence marks that sentence and subtitle splitting rely on.
 */
const PUNCTUATION_EDGES = /^(\p{P}*)(.*?)(\p{P}*)$/su;

function splitEdges(text: string): { lead: string; core: string; trail: string } {
  const match = PUNCTUATION_EDGES.exec(text);
  const [, lead = '', core = '', trail = ''] = match ?? [];
  // A word made only of punctuation has no core; hash all of it rather than keep it as it was.
  return core === '' ? { lead: '', core: text, trail: '' } : { lead, core, trail };
}

/** `person_name` → `[PERSON_NAME]`, as AssemblyAI writes entity-name substitutions. */
export function placeholderOf(type: EntityType): string {
  return `[${type.toUpperCase()}]`;
}

/**
 * The entities in the transcript's words, found channel by channel: channels are separate
 * conversations' sides, so an entity never runs from one channel's words into another's.
 */
function findCoveredEntities(
  words: readonly Word[],
  policies: readonly PiiPolicy[],
  find: EntityFinder,
): CoveredEntity[] {
  const byChannel = new Map<number | undefined, number[]>();
  words.forEach((word, index) => {
    const list = byChannel.get(word.channel) ?? [];
    list.push(index);
    byChannel.set(word.channel, list);
  });
  const found: CoveredEntity[] = [];
  for (const indexes of byChannel.values()) {
    const map = mapWords(indexes.map((i) => words[i]!));
    for (const span of find(map.text, policies)) {
      // Only what was asked for: a recognizer may also report types it found on the way.
      if (!(policies as readonly EntityType[]).includes(span.type)) continue;
      const covered = wordsInSpan(map, span.start, span.end).map((local) => indexes[local]!);
      if (covered.length > 0) found.push({ type: span.type, wordIndexes: covered });
    }
  }
  return found;
}

/**
 * The redacted word list. `hash` keeps every word and hides its core; `entity_name` turns each
 * entity's consecutive words into one placeholder word spanning their time, so no count of
 * letters or words leaks the original.
 */
function redactWords(
  words: readonly Word[],
  entities: readonly CoveredEntity[],
  substitution: RedactionOptions['substitution'],
): RedactedWord[] {
  const replaced = new Map<number, Word>();
  const dropped = new Set<number>();
  for (const entity of entities) {
    if (substitution === 'hash') {
      for (const i of entity.wordIndexes) {
        const word = words[i]!;
        const { lead, core, trail } = splitEdges(word.text);
        replaced.set(i, { ...word, text: `${lead}${'#'.repeat(core.length)}${trail}` });
      }
      continue;
    }
    // An entity's words are consecutive within their channel (other channels' words may fall
    // between them in time). A change of speaker splits them: each side gets its own placeholder.
    for (const run of splitBySpeaker(entity.wordIndexes.map((i) => [i, words[i]!] as const))) {
      const [head, first] = run[0]!;
      const last = run.at(-1)![1];
      const { lead } = splitEdges(first.text);
      const { trail } = splitEdges(last.text);
      replaced.set(head, {
        ...first,
        text: `${lead}${placeholderOf(entity.type)}${trail}`,
        endMs: Math.max(...run.map(([, w]) => w.endMs)),
        confidence: run.reduce((sum, [, w]) => sum + w.confidence, 0) / run.length,
      });
      for (const [i] of run.slice(1)) dropped.add(i);
    }
  }
  const out: RedactedWord[] = [];
  words.forEach((word, i) => {
    if (!dropped.has(i)) out.push({ word: replaced.get(i) ?? { ...word }, from: i });
  });
  return out;
}

function splitBySpeaker<T extends readonly [number, Word]>(items: readonly T[]): T[][] {
  const runs: T[][] = [];
  for (const item of items) {
    const current = runs.at(-1);
    if (current && current.at(-1)![1].speaker === item[1].speaker) current.push(item);
    else runs.push([item]);
  }
  return runs;
}

/** For each original word, the segment holding it: the one of its channel containing its midpoint, else the nearest. */
function segmentOfWords(t: Transcript): number[] {
  return t.words.map((word) => {
    const mid = (word.startMs + word.endMs) / 2;
    let best = -1;
    let distance = Number.POSITIVE_INFINITY;
    t.segments.forEach((segment, s) => {
      if (segment.channel !== undefined && segment.channel !== word.channel) return;
      const d = mid < segment.startMs ? segment.startMs - mid : mid > segment.endMs ? mid - segment.endMs : 0;
      if (d < distance) [best, distance] = [s, d];
    });
    return best;
  });
}

/** For each original word, the utterance listing it (utterances hold copies of the transcript's words). */
function utteranceOfWords(t: Transcript): number[] {
  const key = (w: Word): string => `${w.channel ?? ''}|${w.startMs}|${w.endMs}|${w.text}`;
  const pending = new Map<string, number[]>();
  t.words.forEach((word, index) => {
    const list = pending.get(key(word)) ?? [];
    list.push(index);
    pending.set(key(word), list);
  });
  const owner = new Array<number>(t.words.length).fill(-1);
  t.utterances?.forEach((utterance, u) => {
    for (const word of utterance.words) {
      const index = pending.get(key(word))?.shift();
      if (index !== undefined) owner[index] = u;
    }
  });
  return owner;
}

function rebuildUtterances(t: Transcript, redacted: readonly RedactedWord[]): Utterance[] | null {
  if (!t.utterances) return null;
  const owner = utteranceOfWords(t);
  return t.utterances.map((utterance, u) => {
    const words = redacted.filter((r) => owner[r.from] === u).map((r) => r.word);
    return { ...utterance, words, text: joinWords(words) };
  });
}

/**
 * Redacts the PII the policies name from every textual part of the transcript: words, text,
 * segments and utterances (sentences, paragraphs and subtitles are cut from the words when
 * rendered, so they follow). Times are kept, so the redacted audio can be cut from the result.
 * The result lists what was redacted and when, never the original text.
 */
export function redactTranscript(
  t: Transcript,
  options: RedactionOptions,
  find: EntityFinder = findEntities,
): { transcript: Transcript; result: RedactionResult } {
  const entities = findCoveredEntities(t.words, options.policies, find);
  const redacted = redactWords(t.words, entities, options.substitution);
  const words = redacted.map((r) => r.word);

  const segmentOf = segmentOfWords(t);
  const segments = t.segments.map((segment, s) => ({
    ...segment,
    text: joinWords(redacted.filter((r) => segmentOf[r.from] === s).map((r) => r.word)),
  }));
  const utterances = rebuildUtterances(t, redacted);
  // Multichannel text reads turn by turn (see the pipeline's assemble); otherwise it is the words'.
  const turnByTurn = utterances !== null && t.words.some((w) => w.channel !== undefined);
  const text = turnByTurn ? utterances.map((u) => u.text).join(' ') : joinWords(words);

  const result: RedactionResult = {
    entities: entities
      .map((entity) => ({
        type: entity.type,
        startMs: Math.min(...entity.wordIndexes.map((i) => t.words[i]!.startMs)),
        endMs: Math.max(...entity.wordIndexes.map((i) => t.words[i]!.endMs)),
      }))
      .sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs),
  };
  return { transcript: { ...t, text, words, segments, utterances }, result };
}
