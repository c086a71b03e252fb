import type { Word } from '../../domain/transcript.js';
import type { TranscriptionRequest } from '../../domain/transcription-request.js';
import type { CatalogModel } from '../../models/catalog.types.js';
import { selectPunctuationModel } from '../../models/model-selection.js';
import { applyPunctuatedText } from '../../text/apply-punctuated-text.js';
import { assignSpans, sortSpans } from '../../text/regions.js';
import type { StageContext } from '../pipeline-context.js';

/**
 * Punctuation and casing by an installed punctuation model, for ASR models that write none: each
 * speech segment's text (cut again where the speaker or channel changes) goes through the model,
 * and its marks are mapped back onto the words (see `applyPunctuatedText`). Returns undefined when
 * it does not apply (punctuation not asked for, the ASR model punctuates, no punctuation model
 * installed, or a language the model does not know); the caller then uses the rule-based fallback.
 */
export async function punctuateWithModel(
  words: readonly Word[],
  speechSpansMs: readonly { startMs: number; endMs: number }[],
  request: TranscriptionRequest,
  asrModel: CatalogModel,
  ctx: Pick<StageContext, 'models' | 'engines' | 'signal'>,
): Promise<Word[] | undefined> {
  if (!request.punctuate || asrModel.punctuation || words.length === 0) return undefined;
  const punctuation = selectPunctuationModel(ctx.models);
  if (!punctuation) return undefined;
  const { languages } = punctuation;
  if (request.languageCode && languages !== 'multilingual' && !languages.includes(request.languageCode)) {
    return undefined;
  }
  const groups = groupWords(words, speechSpansMs);
  const texts = groups.map((group) =>
    group
      .map((w) => w.text)
      .filter((t) => t !== '')
      .join(' '),
  );
  const punctuated = await ctx.engines.call(
    'punctuate',
    { model: ctx.models.resolve(punctuation.id), texts },
    { signal: ctx.signal, label: `punctuation with ${punctuation.id}` },
  );
  return groups.flatMap((group, i) => applyPunctuatedText(group, punctuated[i] ?? '').words);
}

/** Consecutive words in one speech span, with one speaker and channel. */
function groupWords(
  words: readonly Word[],
  speechSpansMs: readonly { startMs: number; endMs: number }[],
): Word[][] {
  const owner = assignSpans(words, sortSpans(speechSpansMs));
  const groups: Word[][] = [];
  words.forEach((word, i) => {
    const prev = words[i - 1];
    const same =
      prev !== undefined &&
      owner[i] === owner[i - 1] &&
      prev.speaker === word.speaker &&
      prev.channel === word.channel;
    if (same) groups.at(-1)!.push(word);
    else groups.push([word]);
  });
  return groups;
}
