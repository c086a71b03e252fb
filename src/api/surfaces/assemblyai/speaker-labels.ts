/** AssemblyAI speaks in speaker letters: speaker 0 → "A", 25 → "Z", 26 → "AA". */
export function speakerLabel(index: number | undefined): string | null {
  if (index === undefined) return null;
  let label = '';
  let n = index;
  do {
    label = String.fromCharCode(65 + (n % 26)) + label;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return label;
}

/**
 * A word's or utterance's speaker as AssemblyAI labels it: "A", "B"… from diarization; with
 * multichannel, the channel number ("1", "2"…), or channel and speaker ("1A", "2B") when both ran.
 */
export function speakerOf(item: { speaker?: number; channel?: number }): string | null {
  if (item.channel === undefined) return speakerLabel(item.speaker);
  return `${item.channel + 1}${item.speaker === undefined ? '' : speakerLabel(item.speaker)}`;
}
