import { stemmer } from 'stemmer';
import { eng } from 'stopword';

/**
 * Words to content terms, the unit every extractive method here (TextRank, TextTiling, gists)
 * compares sentences by: lowercase, stop words and speech fillers dropped, Porter-stemmed so that
 * "wildfire" and "wildfires" count as one term.
 */

/**
 * Function words beyond the `stopword` package's short English list, and the fillers and
 * back-channel words of speech ("yeah", "gonna", "kind of"): in a transcript they are the most
 * frequent words and would otherwise dominate every similarity.
 */
const EXTRA_STOPWORDS = `
  across again against almost along already although always among anybody anyone anything anyway
  anywhere around away back became become becomes below beside besides beyond cannot does doing done
  down during either else enough especially even ever every everybody everyone everything everywhere
  few first further gets give given gives giving go goes going gone gonna good got gotta great
  hers herself hmm however huh itself just kind kinda last later least less let lets lot lots
  maybe mean means meanwhile mine mm mostly mr mrs ms myself need needs neither next nobody none
  nor nothing often oh ok okay once one ones onto others otherwise ours ourselves own perhaps
  pretty quite rather really right say saying says see seem seemed seems shall she sir so
  somebody someone something sometimes somewhat somewhere sort stuff sure tell thank thanks thats
  theirs themselves thereby therefore thing things think thought though thus today together
  toward towards uh um umm unless until upon us use used using via want wanna was whatever when
  whenever whether whom whose why will within without wow yeah yep yes yet yours yourself
  yourselves actually basically literally totally definitely probably certainly
  im ive id ill youre youve youd youll hes shes weve were wed well theyre theyve theyd theyll
  dont doesnt didnt isnt arent wasnt werent wont wouldnt cant couldnt shouldnt havent hasnt hadnt
  know knew known look looking looked make makes made making put puts take takes took taken
  come comes came coming get getting two three also back well
`;

export const STOPWORDS: ReadonlySet<string> = new Set([
  ...eng,
  ...EXTRA_STOPWORDS.split(/\s+/).filter(Boolean),
]);

/** Letters (any script), digits and inner apostrophes: "don't", "covid-19" → "covid", "19". */
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

/** Word tokens of a text as written, apostrophes folded to ASCII. */
export function words(text: string): string[] {
  return (text.match(WORD) ?? []).map((token) => token.replace(/’/g, "'"));
}

/** Lowercase word tokens of a text, apostrophes folded to ASCII. */
export function tokenize(text: string): string[] {
  return words(text.toLowerCase());
}

/** The key stop words are checked by: "don't" and "dont" are the same filler. */
const stopKey = (token: string): string => token.replace(/'/g, '');

export function isStopword(token: string): boolean {
  return STOPWORDS.has(token) || STOPWORDS.has(stopKey(token));
}

/** A token worth comparing by: not a stop word, not a bare number, longer than one letter. */
export function isContentToken(token: string): boolean {
  return token.length > 1 && !/^\p{N}+$/u.test(token) && !isStopword(token);
}

const stemCache = new Map<string, string>();

/** Porter stem of a lowercase token, cached: transcripts repeat a small vocabulary many times. */
export function stem(token: string): string {
  let stemmed = stemCache.get(token);
  if (stemmed === undefined) {
    stemmed = stemmer(stopKey(token));
    if (stemCache.size < 100_000) stemCache.set(token, stemmed);
  }
  return stemmed;
}

/** The stems of a text's content tokens, in order, repeats kept (term frequencies need them). */
export function contentStems(text: string): string[] {
  return tokenize(text).filter(isContentToken).map(stem);
}
