import { baseLanguage } from '../../../models/model-selection.js';

/** Where Whisper's language names (which OpenAI's API reports) differ from CLDR's English names. */
const WHISPER_NAMES: Readonly<Record<string, string>> = {
  my: 'myanmar',
  nn: 'nynorsk',
  nb: 'norwegian',
  mi: 'maori',
  tl: 'tagalog',
};

const displayNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });

/**
 * A language code as OpenAI's verbose responses name it: the language's English name in lower
 * case (`en_us` → `english`, `zh` → `chinese`). A code with no known name is returned as it is.
 */
export function openAiLanguageName(code: string): string {
  const base = baseLanguage(code);
  const override = WHISPER_NAMES[base];
  if (override) return override;
  let name: string | undefined;
  try {
    name = displayNames.of(base);
  } catch {
    return base; // not a well-formed language subtag
  }
  if (!name || name.toLowerCase() === base) return base;
  // Strip diacritics ("Māori" style names), as Whisper's ASCII names have none.
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}
