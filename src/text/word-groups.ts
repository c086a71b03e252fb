import type { Word } from '../domain/transcript.js';

/**
 * The words of each channel, in their original order; one group when words carry no channel.
 * Channels are the sides of a call transcribed apart: no sentence, entity or question may run
 * from one side's words into the other's.
 */
export function wordsByChannel(words: readonly Word[]): Word[][] {
  const groups = new Map<number | undefined, Word[]>();
  for (const word of words) {
    const group = groups.get(word.channel);
    if (group === undefined) groups.set(word.channel, [word]);
    else group.push(word);
  }
  return [...groups.values()];
}

/** The speaker of most of the words (the first such on a tie), if words carry one. */
export function majoritySpeaker(words: readonly Word[]): number | undefined {
  const counts = new Map<number, number>();
  let best: number | undefined;
  for (const { speaker } of words) {
    if (speaker === undefined) continue;
    const n = (counts.get(speaker) ?? 0) + 1;
    counts.set(speaker, n);
    if (best === undefined || n > (counts.get(best) ?? 0)) best = speaker;
  }
  return best;
}
