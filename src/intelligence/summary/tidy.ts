/**
 * Makes a spoken sentence read as a written one when it is lifted out of the transcript as a
 * headline or summary line: the discourse openers speech starts with ("So,", "And", "Um") are
 * dropped, the first letter is capitalised, and an over-long sentence is cut at a clause boundary.
 */

/** Openers that only tie a sentence to the previous one; removed repeatedly from the start. */
const OPENERS =
  /^(?:so|and|but|um+|uh+|er+|ah+|oh|well|okay|ok|yeah|yes|right|now|like|also|then|anyway|you know|i mean),?\s+/i;

export interface TidyOptions {
  /** Longer sentences are cut, preferably at a comma or semicolon. @defaultValue Infinity */
  maxWords?: number;
}

export function tidySentence(text: string, options: TidyOptions = {}): string {
  let out = text.trim();
  for (let previous = ''; previous !== out;) {
    previous = out;
    const stripped = out.replace(OPENERS, '');
    // Keep the opener when it is all there is ("Okay." stays "Okay.").
    if (/[\p{L}\p{N}]/u.test(stripped)) out = stripped;
  }
  const maxWords = options.maxWords ?? Infinity;
  const words = out.split(/\s+/);
  if (words.length > maxWords) {
    // Prefer the last clause end within the limit, if it keeps at least half of the words.
    let cut = maxWords;
    for (let i = maxWords; i >= Math.ceil(maxWords / 2); i--) {
      if (/[,;:]$/.test(words[i - 1] ?? '')) {
        cut = i;
        break;
      }
    }
    out = `${words
      .slice(0, cut)
      .join(' ')
      .replace(/[,;:]$/, '')}…`;
  }
  return capitalize(out);
}

export function capitalize(text: string): string {
  return text.replace(/^(\P{L}*)(\p{L})/u, (_, lead: string, letter: string) => lead + letter.toUpperCase());
}
