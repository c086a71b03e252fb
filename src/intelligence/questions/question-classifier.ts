import { isQuestion as opensLikeQuestion, SUBJECT_WORDS, WH_WORDS } from '../../text/format-words.js';
import { tagTokens } from '../key-phrases/tagged-tokens.js';

/**
 * Whether a sentence of speech asks a real question. Speech recognisers differ: some punctuate
 * (a `?` is strong evidence), some emit none (sphinx; the text stage then adds `?` only for
 * inverted openings, see `isQuestion` in src/text/format-words.ts). So the syntax is checked
 * whatever the punctuation, and a `?` alone is trusted only when nothing marks the sentence as a
 * rhetorical filler. Rising intonation is not used: the transcript carries no pitch.
 */

/** Why a sentence was (or was not) taken as a question; tests and logs read it. */
export type QuestionReason =
  /** Subject–auxiliary inversion: "do you …", "is it …", "can the team …", "does Sarah …". */
  | 'inversion'
  /** A wh-question: "where do you live", "what time is it", "who called". */
  | 'wh'
  /** An indirect request for an answer: "I was wondering if …", "tell me why …". */
  | 'embedded'
  /** A question without its verb: "what about the budget", "why not", "how come". */
  | 'elliptical'
  /** Only the question mark says so: "you're moving to Denver?". */
  | 'marked'
  /** A filler or a statement followed only by a tag: "you know?", "it's late, isn't it?". */
  | 'rhetorical'
  | 'statement';

export interface QuestionVerdict {
  question: boolean;
  reason: QuestionReason;
}

/** Discourse markers and fillers that may open a question without being part of it. */
const OPENERS = new Set([
  'so',
  'and',
  'but',
  'or',
  'well',
  'okay',
  'ok',
  'alright',
  'now',
  'oh',
  'um',
  'uh',
  'hmm',
  'then',
  'also',
  'anyway',
  'yeah',
]);

/**
 * Rhetorical tags and fillers. A sentence that is only one of these (after openers) is not a
 * question; neither is a statement that ends with one ("we shipped it last week, right?").
 */
const TAGS: readonly string[][] = [
  'you know',
  'you know what',
  'you know what i mean',
  'know what i mean',
  'see what i mean',
  'you see',
  'you get it',
  'get it',
  'got it',
  'right',
  'am i right',
  'okay',
  'ok',
  'alright',
  'all right',
  'yeah',
  'yes',
  'no',
  'huh',
  'eh',
  'hmm',
  'innit',
  'correct',
  'agreed',
  'really',
  'seriously',
  'who knows',
  'guess what',
  'makes sense',
  'make sense',
  "don't you think",
  "wouldn't you say",
  'you think',
].map((tag) => tag.split(' '));

const BE = ['am', 'is', 'are', 'was', 'were'];
const DO = ['do', 'does', 'did'];
const HAVE = ['have', 'has', 'had'];
const MODALS = ['can', 'could', 'will', 'would', 'shall', 'should', 'may', 'might', 'must'];
const NEGATED = [...BE, ...DO, ...HAVE, 'could', 'would', 'should', 'must']
  .map((aux) => `${aux}n't`)
  .concat(["can't", "won't", "ain't", "shan't"]);
/** Auxiliaries and modals, with their negated forms: what an inverted question opens with. */
const AUX = new Set([...BE, ...DO, ...HAVE, ...MODALS, ...NEGATED]);
/** Pronouns a question tag ends with ("…, isn't it", "…, didn't they", "…, are you"). */
const TAG_PRONOUNS = new Set(['i', 'you', 'he', 'she', 'it', 'we', 'they', 'there', 'that']);
const PERSONAL = new Set(['i', 'you', 'he', 'she', 'we', 'they', 'me', 'him', 'us', 'them']);
/** Wh-words that can be the subject of their question: "who called", "which team won". */
const WH_SUBJECT = new Set(['what', 'who', 'which', 'whose']);
/** Wh-words with "is" or "has" attached. */
const WH_CONTRACTED = /^(what|where|who|how|when|why)'(s|re|ve|d|ll)$/;

/** Verbless questions, by their opening words. */
const ELLIPTICAL: readonly string[][] = [
  'what about',
  'how about',
  'what if',
  'why not',
  'how come',
  'what else',
  'and you',
].map((cue) => cue.split(' '));

/** Openings of an indirect question that asks for an answer all the same. */
const EMBEDDED: readonly RegExp[] = [
  /^i (was|am|'m) (just )?wondering\b/,
  /^i'm (just )?wondering\b/,
  /^i wonder (if|whether|what|why|how|when|where|who|which)\b/,
  /^i('d| would) (like|love) to (know|ask|hear)\b/,
  /^i want(ed)? to (know|ask) (if|whether|what|why|how|when|where|who|which|about)\b/,
  /^(can|could|would|will) you (please )?(tell|explain|walk|show|describe|share)\b/,
  /^(please )?(tell|explain to) (me|us) (what|why|how|when|where|who|which|if|whether|about)\b/,
  /^(any|no) idea (what|why|how|when|where|who|which|if|whether)\b/,
  /^(let me|can i|could i|may i) ask\b/,
  /^my question is\b/,
];

interface Token {
  /** Lowercase, typographic apostrophes folded to ASCII. */
  key: string;
  /** Universal POS tag from wink-nlp; `X` when the tagger gave none for this word. */
  pos: string;
}

/** Words with their character offsets: the key POS tags are matched back by. */
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

/**
 * The sentence's words with POS tags. wink-nlp splits contractions ("do" + "n't"), so a word's tag
 * is that of the tagger's token starting where the word starts; the contracted forms this module
 * tests (auxiliaries, wh-words) are matched by their spelling, not by their tag.
 */
function tokens(text: string): Token[] {
  const posAt = new Map(tagTokens(text).map((token) => [token.start, token.pos]));
  return [...text.matchAll(WORD)].map((match) => ({
    key: match[0].toLowerCase().replace(/’/g, "'"),
    pos: posAt.get(match.index) ?? 'X',
  }));
}

const startsWith = (keys: readonly string[], phrase: readonly string[]): boolean =>
  phrase.length <= keys.length && phrase.every((word, i) => keys[i] === word);

const endsWith = (keys: readonly string[], phrase: readonly string[]): boolean =>
  phrase.length <= keys.length && phrase.every((word, i) => keys[keys.length - phrase.length + i] === word);

/** How many words at the end form a rhetorical tag (0 when none). */
function tagLength(keys: readonly string[]): number {
  let longest = 0;
  for (const tag of TAGS) if (endsWith(keys, tag)) longest = Math.max(longest, tag.length);
  // A generic question tag: "…, isn't it", "…, didn't they", "…, are you".
  // Alone, only a negated one is a tag: "isn't it?" agrees, while "are you?" asks back.
  const [aux, pronoun] = keys.slice(-2);
  const negated = aux?.endsWith("n't") ?? false;
  if ((keys.length > 2 || negated) && aux && pronoun && AUX.has(aux) && TAG_PRONOUNS.has(pronoun))
    longest = Math.max(longest, 2);
  return longest;
}

function isSubject(token: Token | undefined): boolean {
  if (!token) return false;
  return SUBJECT_WORDS.has(token.key) || ['NOUN', 'PROPN', 'PRON', 'NUM'].includes(token.pos);
}

/**
 * Inversion beyond the shared check (which knows pronouns and determiners only): a strong
 * auxiliary before a name or noun, "does Sarah know", "is Ohio nice". "do"/"have" before a noun
 * open imperatives ("have lunch with us"), so they need a personal pronoun, as there.
 */
function invertedBeforeNoun(words: readonly Token[]): boolean {
  const [aux, subject] = words;
  if (!aux || !subject || !AUX.has(aux.key)) return false;
  if (['do', 'have'].includes(aux.key)) return PERSONAL.has(subject.key);
  return subject.pos === 'PROPN' || subject.pos === 'NOUN';
}

/**
 * A wh-question, as opposed to a wh-clause used as a statement ("what I mean is …", "when the
 * meeting ends we leave"): the wh-word (with at most three modifiers: "what kind of car", "how
 * long") is followed by an auxiliary and its subject ("… do you drive"), or, for wh-words that can
 * be subjects, directly by a verb ("who called", "which team won").
 */
function isWhQuestion(words: readonly Token[]): boolean {
  const [wh, next] = words;
  if (!wh) return false;
  if (WH_CONTRACTED.test(wh.key)) return next === undefined || isSubject(next) || next.pos === 'ADJ';
  if (!WH_WORDS.has(wh.key)) return false;
  if (words.length === 1) return true;
  for (let i = 1; i <= 4 && i < words.length; i++) {
    const word = words[i];
    if (!word) break;
    if (AUX.has(word.key)) return i + 1 >= words.length || isSubject(words[i + 1]) || i > 1;
    if (word.pos === 'VERB') return WH_SUBJECT.has(wh.key) && (i === 1 || words[i - 1]?.pos === 'NOUN');
    // A subject before any auxiliary makes it a clause: "what I mean", "how we did it".
    if (PERSONAL.has(word.key) || word.pos === 'PRON' || word.pos === 'DET') return false;
  }
  return false;
}

/** Classifies one sentence; see the module note. */
export function classifySentence(text: string): QuestionVerdict {
  const all = tokens(text);
  let skip = 0;
  while (skip < all.length - 1 && OPENERS.has(all[skip]?.key ?? '')) skip++;
  const words = all.slice(skip);
  const keys = words.map((word) => word.key);
  if (keys.length === 0) return { question: false, reason: 'statement' };
  const tag = tagLength(keys);
  if (tag === keys.length) {
    return { question: false, reason: 'rhetorical' };
  }
  const syntax = interrogative(words);
  if (syntax) return { question: true, reason: syntax };
  if (tag > 0) {
    // A statement with a tag ("we shipped it, right?"): asks nothing unless what precedes the tag
    // is a question of its own.
    const before = interrogative(words.slice(0, words.length - tag));
    return before ? { question: true, reason: before } : { question: false, reason: 'rhetorical' };
  }
  if (/[?？]["'”’)\]]*\s*$/u.test(text)) return { question: true, reason: 'marked' };
  return { question: false, reason: 'statement' };
}

/** Whether the words (openers already skipped) are built like a question, and how. */
function interrogative(words: readonly Token[]): QuestionReason | null {
  const keys = words.map((word) => word.key);
  if (keys.length === 0) return null;
  if (ELLIPTICAL.some((cue) => startsWith(keys, cue))) return 'elliptical';
  const joined = keys.join(' ');
  if (EMBEDDED.some((pattern) => pattern.test(joined))) return 'embedded';
  if (opensLikeQuestion(keys) || invertedBeforeNoun(words)) {
    return WH_WORDS.has(keys[0] ?? '') || WH_CONTRACTED.test(keys[0] ?? '') ? 'wh' : 'inversion';
  }
  return isWhQuestion(words) ? 'wh' : null;
}

/** Whether a sentence asks a real question. */
export function isRealQuestion(text: string): boolean {
  return classifySentence(text).question;
}
