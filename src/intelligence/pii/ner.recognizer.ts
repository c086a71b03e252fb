import nlp from 'compromise';
import { eng as ENGLISH_STOPWORDS } from 'stopword';
import type { EntityType } from '../results.js';
import { PRIORITY, type Candidate, type PiiDocument } from './recognizer.js';
import type { Token } from './tokens.js';

/**
 * People, places, organizations and nationalities, found by compromise's tagger. Its lexicon of
 * first names, last names, places and companies works on lowercase speech-recognition text, where
 * capitalization-driven NER fails. Names it does not know are caught from how speakers introduce
 * people ("my name is priya", "this is wei calling").
 */

const STOPWORDS = new Set(ENGLISH_STOPWORDS);

/** The parts of compromise's JSON output read here. */
interface MatchJson {
  offset: { start: number; length: number };
}
interface TermJson {
  normal: string;
  tags: string[];
  offset: { start: number; length: number };
}

/** Titles are not part of the name ("dr. patel" → "patel"), as in AssemblyAI's and CoNLL's labels. */
const TITLES = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mister',
  'dr',
  'doctor',
  'prof',
  'professor',
  'sir',
  'madam',
  'officer',
  'detective',
  'sergeant',
  'captain',
  'agent',
  'judge',
  'nurse',
  'coach',
  'uncle',
  'aunt',
]);

/** Institutions named after a place: "bank of america", "university of michigan". */
const INSTITUTION_OF_PLACE =
  '(bank|university|college|hospital|department|museum|institute|school|church|city|county|state) of the? #Place+';
/** Places that name a company when followed by what it is: "chase bank", "delta airlines". */
const NAMED_INSTITUTION =
  '#ProperNoun+ (bank|airlines|airways|hospital|university|college|insurance|motors|pharmacy|bakery|clinic|inc|corp|corporation|company|group|foundation)';

/** Trims a raw match to its word characters, dropping titles and a possessive "'s". */
function trimSpan(text: string, start: number, end: number, type: EntityType): [number, number] | undefined {
  const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
  while (start < end && !isWordChar(text[start])) start++;
  while (end > start && !isWordChar(text[end - 1])) end--;
  if (/['’]s$/i.test(text.slice(start, end))) end -= 2;
  if (type === 'person_name') {
    for (;;) {
      const word = /^([\p{L}]+)\.?\s+/u.exec(text.slice(start, end));
      if (!word || !TITLES.has(word[1]!.toLowerCase())) break;
      start += word[0].length;
    }
  }
  return end > start ? [start, end] : undefined;
}

/** Tags that rule a word out as (part of) a name even right after "my name is". */
const NOT_A_NAME = [
  'Expression',
  'Verb',
  'Adjective',
  'Adverb',
  'Preposition',
  'Determiner',
  'Conjunction',
  'Pronoun',
  'Value',
  'QuestionWord',
];

/** Phrases after which the next one or two words are someone's name ("call me" is not one: "call me maybe"). */
const NAME_INTRODUCTIONS = [['my', 'name', 'is'], ['name', 'is'], ["name's"]];
/**
 * Phrases often followed by a name, and as often by something else ("talk to billing"): the
 * word after them must be one the tagger knows as a name or sees capitalized.
 */
const NAME_MENTIONS = [
  ['speak', 'to'],
  ['speak', 'with'],
  ['speaking', 'with'],
  ['talk', 'to'],
  ['ask', 'for'],
  ['asked', 'for'],
  ['transfer', 'me', 'to'],
];
const CUES_WITH_STRICTNESS: [string[], boolean][] = [
  ...NAME_INTRODUCTIONS.map((cue): [string[], boolean] => [cue, false]),
  ...NAME_MENTIONS.map((cue): [string[], boolean] => [cue, true]),
];
/** "this is X calling": the introduction counts only when a word after the name confirms it. */
const SELF_INTRODUCTIONS = [['this', 'is'], ["i'm"], ['i', 'am'], ['it', 'is'], ["it's"]];
const SELF_INTRODUCTION_ENDS = new Set(['calling', 'speaking', 'from', 'here', 'with', 'at', 'and']);

function nameWordOk(tags: Map<number, string[]>, token: Token | undefined, strict: boolean): boolean {
  if (!token || STOPWORDS.has(token.norm) || /\d/.test(token.norm) || token.norm.length < 2) return false;
  const termTags = tags.get(token.start) ?? [];
  if (termTags.some((t) => t === 'Person' || t === 'FirstName' || t === 'LastName')) return true;
  if (termTags.some((t) => NOT_A_NAME.includes(t))) return false;
  // An unknown word is a name only right after an introduction; later words must be known names.
  return !strict || termTags.includes('ProperNoun');
}

function introducedNames(doc: PiiDocument, tags: Map<number, string[]>): Candidate[] {
  const { tokens } = doc;
  const out: Candidate[] = [];
  const matchesAt = (cue: readonly string[], i: number): boolean =>
    cue.every((w, k) => tokens[i + k]?.norm === w);
  for (let i = 0; i < tokens.length; i++) {
    for (const [cue, strict] of CUES_WITH_STRICTNESS) {
      if (!matchesAt(cue, i)) continue;
      const first = i + cue.length;
      if (!nameWordOk(tags, tokens[first], strict)) continue;
      let end = first + 1;
      // After "my name is", an unknown surname is as likely as an unknown first name.
      if (!/[.,?!;]/.test(tokens[first]!.trail) && nameWordOk(tags, tokens[end], strict)) end++;
      out.push({
        type: 'person_name',
        start: tokens[first]!.start,
        end: tokens[end - 1]!.end,
        priority: PRIORITY.person,
      });
    }
    for (const cue of SELF_INTRODUCTIONS) {
      if (!matchesAt(cue, i)) continue;
      const first = i + cue.length;
      if (!nameWordOk(tags, tokens[first], false)) continue;
      let end = first + 1;
      if (nameWordOk(tags, tokens[end], true) && SELF_INTRODUCTION_ENDS.has(tokens[end + 1]?.norm ?? ''))
        end++;
      if (!SELF_INTRODUCTION_ENDS.has(tokens[end]?.norm ?? '')) continue;
      out.push({
        type: 'person_name',
        start: tokens[first]!.start,
        end: tokens[end - 1]!.end,
        priority: PRIORITY.person,
      });
    }
  }
  return out;
}

/** Lexicon tags that make a word a possible (part of a) name, place or organization. */
const ENTITY_LEXICON_TAGS = new Set([
  'MaleName',
  'FemaleName',
  'FirstName',
  'LastName',
  'Person',
  'Honorific',
  'City',
  'Country',
  'Region',
  'Place',
  'ProperNoun',
  'Organization',
  'SportsTeam',
  'Demonym',
]);

/**
 * Words worth running the tagger around: known names, places, organizations and demonyms (also
 * the first words of multi-word ones like "new york"), and words that make up institution names.
 * Built once from compromise's own lexicon.
 */
const TRIGGER_WORDS: ReadonlySet<string> = (() => {
  const model = nlp.model() as {
    one: { lexicon: Record<string, string | string[]> };
    two: { orgWords?: Record<string, unknown>; placeWords?: Record<string, unknown> };
  };
  const words = new Set<string>();
  for (const [word, tag] of Object.entries(model.one.lexicon)) {
    if ((Array.isArray(tag) ? tag : [tag]).some((t) => ENTITY_LEXICON_TAGS.has(t)))
      words.add(word.split(' ')[0]!);
  }
  for (const word of Object.keys({ ...model.two.orgWords, ...model.two.placeWords })) words.add(word);
  for (const cue of [...NAME_INTRODUCTIONS, ...NAME_MENTIONS, ...SELF_INTRODUCTIONS]) words.add(cue.at(-1)!);
  return words;
})();

/** Context kept on each side of a trigger word, enough for the tagger to read the phrase. */
const CONTEXT_BEFORE = 3;
const CONTEXT_AFTER = 4;
/** Longest piece given to the tagger at once: it tags long unpunctuated text far slower. */
const CHUNK_MAX = 60;

function isTrigger(tokens: readonly Token[], i: number, text: string): boolean {
  const token = tokens[i]!;
  if (TRIGGER_WORDS.has(token.norm)) return true;
  // A capitalized word may be a name the lexicon does not know, unless it is capitalized only
  // for starting a sentence or for being "I".
  const first = text[token.start] ?? '';
  const sentenceStart = i === 0 || /[.?!]/.test(tokens[i - 1]!.trail);
  return (
    first !== first.toLowerCase() && !sentenceStart && token.norm !== 'i' && !token.norm.startsWith("i'")
  );
}

/**
 * The stretches of tokens the tagger needs to see: a few words around every trigger, merged.
 * compromise costs about 0.1 ms a word; most words of a conversation are far from any name, so
 * tagging only these stretches keeps an hour of speech well within budget.
 */
function regionsToTag(doc: PiiDocument): [number, number][] {
  const { tokens, text } = doc;
  const regions: [number, number][] = [];
  tokens.forEach((_token, i) => {
    if (!isTrigger(tokens, i, text)) return;
    const from = Math.max(0, i - CONTEXT_BEFORE);
    const to = Math.min(tokens.length, i + 1 + CONTEXT_AFTER);
    const last = regions.at(-1);
    if (last && from <= last[1] && to - last[0] <= CHUNK_MAX) last[1] = Math.max(last[1], to);
    else if (last && from < last[1]) regions.push([last[1], to]);
    else regions.push([from, to]);
  });
  return regions;
}

/** Words before a demonym that make it a language ("I speak spanish and a little german"). */
const LANGUAGE_VERBS = new Set([
  'speak',
  'speaks',
  'spoke',
  'speaking',
  'learn',
  'learning',
  'fluent',
  'study',
  'studying',
  'taught',
  'teach',
  'teaches',
  'understand',
  'translate',
]);

function isLanguageUse(tokens: readonly Token[], index: number): boolean {
  if (tokens[index - 1]?.norm === 'in') return true; // "say it in french"
  for (let k = Math.max(0, index - 5); k < index; k++) if (LANGUAGE_VERBS.has(tokens[k]!.norm)) return true;
  return false;
}

/** Runs compromise on tokens `[from, to)` and adds its candidates, with offsets into the whole text. */
function tagChunk(
  doc: PiiDocument,
  from: number,
  to: number,
  out: Candidate[],
  tags: Map<number, string[]>,
): void {
  const { text, tokens } = doc;
  const base = tokens[from]!.start - tokens[from]!.lead.length;
  const parsed = nlp(text.slice(base, tokens[to - 1]!.end + tokens[to - 1]!.trail.length));
  const add = (view: { json: (options: object) => unknown }, type: EntityType, priority: number): void => {
    for (const { offset } of view.json({ offset: true, terms: false }) as MatchJson[]) {
      const span = trimSpan(text, base + offset.start, base + offset.start + offset.length, type);
      if (span) out.push({ type, start: span[0], end: span[1], priority });
    }
  };
  add(parsed.people(), 'person_name', PRIORITY.person);
  add(parsed.places(), 'location', PRIORITY.location);
  add(parsed.organizations(), 'organization', PRIORITY.organization);
  // One notch above a plain organization or place, so "bank of america" beats "america".
  add(parsed.match(INSTITUTION_OF_PLACE), 'organization', PRIORITY.organization + 1);
  add(parsed.match(NAMED_INSTITUTION), 'organization', PRIORITY.organization + 1);
  for (const sentence of parsed.json({ offset: true }) as { terms: TermJson[] }[]) {
    for (const term of sentence.terms) tags.set(base + term.offset.start, term.tags);
  }
}

/** "I live in Springfield": a capitalized name after these is a place even when unknown to the lexicon. */
const PLACE_INTRODUCTIONS = [
  ['live', 'in'],
  ['lives', 'in'],
  ['living', 'in'],
  ['moved', 'to'],
  ['moving', 'to'],
  ['based', 'in'],
  ['located', 'in'],
  ['grew', 'up', 'in'],
  ['born', 'in'],
  ['flying', 'to'],
  ['flew', 'to'],
  ['drove', 'to'],
  ['visiting'],
];

function introducedPlaces(doc: PiiDocument, tags: Map<number, string[]>): Candidate[] {
  const { tokens } = doc;
  const out: Candidate[] = [];
  const properPlace = (token: Token | undefined): boolean => {
    const termTags = token ? (tags.get(token.start) ?? []) : [];
    return (
      termTags.includes('ProperNoun') && !termTags.includes('Person') && !termTags.includes('Organization')
    );
  };
  for (let i = 0; i < tokens.length; i++) {
    for (const cue of PLACE_INTRODUCTIONS) {
      if (!cue.every((w, k) => tokens[i + k]?.norm === w)) continue;
      const first = i + cue.length;
      let end = first;
      while (end < first + 3 && properPlace(tokens[end])) {
        end++;
        if (/[,.?!;]/.test(tokens[end - 1]!.trail)) break;
      }
      if (end > first)
        out.push({
          type: 'location',
          start: tokens[first]!.start,
          end: tokens[end - 1]!.end,
          priority: PRIORITY.location - 1,
        });
    }
  }
  return out;
}

export function findNamedEntities(doc: PiiDocument): Candidate[] {
  const out: Candidate[] = [];
  const tags = new Map<number, string[]>();
  for (const [from, to] of regionsToTag(doc)) tagChunk(doc, from, to, out, tags);
  doc.tokens.forEach((token, index) => {
    if (!(tags.get(token.start) ?? []).includes('Demonym') || isLanguageUse(doc.tokens, index)) return;
    out.push({ type: 'nationality', start: token.start, end: token.end, priority: PRIORITY.nationality });
  });
  out.push(...introducedNames(doc, tags), ...introducedPlaces(doc, tags));
  return out;
}
