import { splitParagraphs } from '../../text/sentences.js';
import type { Addon } from '../addon.js';
import { packChunks, textRoom } from '../llm/chunking.js';
import type { LlmClient } from '../llm/llm-client.js';
import { requireLlm } from '../llm/require-llm.js';
import type { TranslationResult } from '../results.js';

/**
 * Most tokens of source text per request: smaller than most context windows so the translation —
 * which is about as long as its source — fits the answer, and a failure costs little.
 */
const CHUNK_TOKENS = 1000;
/**
 * Answer tokens allowed per source token: many languages need more tokens than English for the
 * same meaning, and the token estimate undercounts non-Latin scripts.
 */
const ANSWER_RATIO = 2.5;

/**
 * Translation of the transcript's text into each requested language by the LLM (AssemblyAI's
 * `speech_understanding` translation): the text is cut at paragraph boundaries into chunks
 * translated one by one, so a long transcript never overflows the context and each request stays
 * small. The result is the translated text per language code, single-spaced like `Transcript.text`.
 */
export const translationAddon: Addon<'translation'> = {
  name: 'translation',
  wanted: (request) => (request.translation?.targetLanguages.length ?? 0) > 0,
  async run({ transcript, request, llm, signal }) {
    const client = requireLlm(llm, 'Translation');
    const paragraphs =
      transcript.words.length > 0 ? splitParagraphs(transcript.words).map((p) => p.text) : [transcript.text];
    const result: TranslationResult = {};
    for (const language of new Set(request.translation?.targetLanguages ?? [])) {
      result[language] = sameLanguage(language, transcript.language)
        ? transcript.text
        : await translate(client, paragraphs, language, signal);
    }
    return result;
  },
};

export async function translate(
  llm: LlmClient,
  paragraphs: readonly string[],
  language: string,
  signal?: AbortSignal,
): Promise<string> {
  const system = systemPrompt(language);
  const chunkTokens = Math.min(CHUNK_TOKENS, textRoom(llm, system));
  const translated: string[] = [];
  for (const chunk of packChunks(
    paragraphs.filter((p) => p.trim() !== ''),
    chunkTokens,
    llm.countTokens.bind(llm),
  )) {
    signal?.throwIfAborted();
    const answer = await llm.complete(
      [
        { role: 'system', content: system },
        { role: 'user', content: chunk },
      ],
      { maxTokens: Math.ceil(llm.countTokens(chunk) * ANSWER_RATIO) + 64, ...(signal && { signal }) },
    );
    translated.push(answer.trim());
  }
  return translated.join(' ').replace(/\s+/g, ' ').trim();
}

function systemPrompt(language: string): string {
  return (
    `You are a professional translator. Translate the user's text, a transcript of speech, into ` +
    `${languageName(language)}. Keep its meaning and tone; do not summarize, explain, answer or add ` +
    `anything. Reply with the translation only.`
  );
}

/** "French (fr)" for `fr`, "Portuguese (Brazil) (pt_br)" for `pt_br`; the code alone if unknown. */
export function languageName(code: string): string {
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'language' }).of(code.replace(/_/g, '-'));
    return name && name.toLowerCase() !== code.toLowerCase() ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

/** `en` and `en_us` are the same language for this purpose: nothing to translate. */
function sameLanguage(target: string, source: string | null): boolean {
  const base = (code: string) => code.toLowerCase().split(/[-_]/)[0];
  return source !== null && base(target) === base(source);
}
