/**
 * Cue phrases the rubric looks for. Deliberately short, literal lists: a score a rep can be told
 * how to raise ("say what the next step is") is worth more than a clever one nobody can explain.
 */

/** Phrases by which a prospect pushes back. */
export const OBJECTION_CUES = [
  'too expensive',
  'expensive',
  'budget',
  'not interested',
  'not sure',
  'concern',
  'concerned',
  'worried',
  'already have',
  'already use',
  'competitor',
  'not a priority',
  'too busy',
  'cheaper',
  "can't afford",
  'not right now',
  'think about it',
] as const;

/** Phrases by which a rep acknowledges a concern before answering it. */
export const ACKNOWLEDGE_CUES = [
  'understand',
  'i hear you',
  'makes sense',
  "that's fair",
  'fair point',
  'good point',
  'great question',
  'appreciate',
  'totally get',
] as const;

/** Phrases by which a rep moves the deal to a next step. */
export const CLOSE_CUES = [
  'next step',
  'schedule',
  'calendar',
  'follow up',
  'send you',
  'send over',
  'proposal',
  'contract',
  'sign',
  'demo',
  'trial',
  'pilot',
  'get started',
  'move forward',
] as const;

/** Lowercase words separated by single spaces, with curly apostrophes made straight. */
function normalize(text: string): string {
  return ` ${text
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[^\p{L}\p{N}'\s-]+/gu, ' ')
    .replace(/-/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()} `;
}

/**
 * The cues that occur in `text` as whole words (a cue also matches with a plural or verb ending:
 * "next steps", "scheduled"), in list order.
 */
export function findCues(text: string, cues: readonly string[]): string[] {
  const haystack = normalize(text);
  return cues.filter((cue) => {
    const needle = normalize(cue).trim();
    return new RegExp(` ${needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:s|es|d|ed|ing)? `).test(haystack);
  });
}
