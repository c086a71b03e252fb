import { stemmer } from 'stemmer';
import winkNLP, { type ItsHelpers, type WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

/** A token of the transcript text with its part of speech and place in the text. */
export interface TaggedToken {
  /** The token as written. */
  value: string;
  /** Lowercased form. */
  lower: string;
  /** Porter stem of the lowercased form: what groups "ticket" with "tickets". */
  stem: string;
  /** Universal POS tag from wink-nlp (NOUN, PROPN, ADJ, VERB, PUNCT, ...). */
  pos: string;
  /** `[start, end)` character range in the analysed text. */
  start: number;
  end: number;
}

let nlp: WinkMethods | undefined;

/**
 * wink-nlp with its English lite model, built on first use: the model takes ~0.1 s to load and
 * only the add-ons that need POS tags should pay for it.
 */
function winkNlp(): WinkMethods {
  nlp ??= winkNLP(model);
  return nlp;
}

/**
 * Tokenises and POS-tags `text`. wink-nlp keeps the spaces before every token, so adding them up
 * gives each token's character offset — what maps a phrase back to transcript words.
 */
export function tagTokens(text: string): TaggedToken[] {
  const engine = winkNlp();
  // wink-nlp recognises its helpers by identity (a bound copy silently falls back to `value`), so
  // they are passed as they are; the mapped type states that they do not use `this`.
  const its: { [K in 'value' | 'precedingSpaces' | 'pos']: ItsHelpers[K] } = engine.its;
  const tokens = engine.readDoc(text).tokens();
  const values: string[] = tokens.out(its.value);
  const spaces: string[] = tokens.out(its.precedingSpaces);
  const tags: string[] = tokens.out(its.pos);
  const out: TaggedToken[] = [];
  let offset = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] ?? '';
    offset += (spaces[i] ?? '').length;
    const lower = value.toLowerCase();
    out.push({
      value,
      lower,
      stem: stemmer(lower),
      pos: tags[i] ?? 'X',
      start: offset,
      end: offset + value.length,
    });
    offset += value.length;
  }
  return out;
}
