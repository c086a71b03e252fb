import { pino } from 'pino';
import type { IntelligenceRequest } from '../../domain/transcription-request.js';
import type { Transcript, Word } from '../../domain/transcript.js';
import type { AddonContext } from '../addon.js';
import type { LlmClient } from '../llm/llm-client.js';

/**
 * Hand-built transcripts for the intelligence add-ons' tests (not used by the server): words timed
 * at a steady speaking rate, with a pause after each sentence, optionally in speaker turns.
 */

export interface Turn {
  speaker?: number;
  text: string;
}

export interface BuildOptions {
  /** Time each word takes, including the gap after it. @defaultValue 400 */
  msPerWord?: number;
  /** Extra silence after a sentence ends. @defaultValue 300 */
  sentencePauseMs?: number;
}

export function buildTranscript(turns: string | readonly Turn[], options: BuildOptions = {}): Transcript {
  const msPerWord = options.msPerWord ?? 400;
  const pause = options.sentencePauseMs ?? 300;
  const list = typeof turns === 'string' ? [{ text: turns }] : turns;
  const words: Word[] = [];
  let t = 0;
  for (const turn of list) {
    for (const text of turn.text.split(/\s+/).filter(Boolean)) {
      const word: Word = { text, startMs: t, endMs: t + msPerWord - 100, confidence: 0.9 };
      if (turn.speaker !== undefined) word.speaker = turn.speaker;
      words.push(word);
      t += msPerWord + (/[.!?]$/.test(text) ? pause : 0);
    }
  }
  const speakers = new Set(words.flatMap((w) => (w.speaker === undefined ? [] : [w.speaker])));
  return {
    language: 'en',
    languageConfidence: 1,
    durationMs: t,
    channels: 1,
    text: words.map((w) => w.text).join(' '),
    words,
    segments: [{ startMs: 0, endMs: t, text: words.map((w) => w.text).join(' ') }],
    utterances: null,
    confidence: words.length > 0 ? 0.9 : null,
    speakers: speakers.size > 0 ? speakers.size : null,
    engine: { id: 'test', model: 'hand-built' },
    speechMs: t,
    addons: {},
  };
}

/** Topics with clearly different vocabularies, about 90 s each when spoken. */
export const TOPICS = {
  wildfires: [
    'Smoke from the wildfires in Canada drifted south across the border this week.',
    'Air quality alerts were issued in New York, Philadelphia and Washington as the smoke thickened.',
    'Officials told residents with asthma to stay indoors and keep their windows closed.',
    'The fine particles in wildfire smoke can reach deep into the lungs and the bloodstream.',
    'Hospitals reported more patients with breathing problems during the worst days of the haze.',
    'Firefighters in Quebec are battling hundreds of fires, and many of them are burning out of control.',
    'A dry spring and record heat left the forests ready to burn after lightning storms.',
    'Scientists say climate change makes these fire seasons longer and the fires more intense.',
    'The orange sky over Manhattan looked like a scene from another planet.',
    'Air quality index readings passed four hundred, a level considered hazardous for everyone.',
    'Schools cancelled outdoor activities and some airports delayed flights because of poor visibility.',
    'Forecasters expect the wind to shift, which should push the smoke back toward the ocean.',
    'Experts recommend masks rated N95 for anyone who must spend time outside in the smoke.',
    'Canada has asked other countries to send firefighters to help contain the blazes.',
  ],
  bread: [
    'Baking sourdough bread at home starts with a healthy starter of flour and water.',
    'You feed the starter every day until it doubles in size and smells pleasantly sour.',
    'The dough needs a strong bread flour with plenty of protein to build gluten.',
    'Mix the flour, water, salt and starter, then let the dough rest for an hour.',
    'Stretch and fold the dough every thirty minutes to strengthen the gluten network.',
    'A long cold fermentation in the fridge gives the loaf a deeper, tangier flavour.',
    'Shape the loaf gently so you keep the air bubbles that make an open crumb.',
    'Bake the bread in a preheated Dutch oven so the steam gives a crisp crust.',
    'Score the top of the loaf with a razor blade just before it goes into the oven.',
    'Let the loaf cool completely before slicing, or the crumb will turn gummy.',
    'If the bread comes out dense, the starter was probably not active enough.',
    'Whole wheat flour absorbs more water, so adjust the hydration of the dough.',
    'Many bakers keep a notebook of flour, water and fermentation times for every loaf.',
    'A good sourdough crust crackles as it cools on the rack.',
  ],
  football: [
    'The championship final went to extra time after a late equaliser from the home striker.',
    'The goalkeeper made three brilliant saves in the second half to keep his team alive.',
    'The coach changed the formation at half time and brought on two fresh midfielders.',
    'Their pressing game forced mistakes from the defenders all evening.',
    'The winning goal came from a corner kick headed in at the far post.',
    'Fans in the stadium sang for the whole match despite the rain.',
    'The captain lifted the trophy after the referee blew the final whistle.',
    'It was the club’s first league title in twenty years.',
    'The striker finished the season as the top scorer with thirty one goals.',
    'Injuries to two defenders had forced the manager to rotate the squad in the spring.',
    'The transfer window opens next month and the club wants a new centre back.',
    'Supporters celebrated in the streets around the stadium until the early morning.',
    'The team will play in the champions league next season.',
    'Analysts praised the midfield for controlling possession in the second half.',
  ],
} as const;

/** About an hour of speech (~9,000 words at 400 ms a word) cycling through the topics. */
export function hourLongTranscript(): Transcript {
  const blocks = [TOPICS.wildfires, TOPICS.bread, TOPICS.football];
  const sentences: string[] = [];
  for (let i = 0; sentences.join(' ').split(' ').length < 9_000; i++) {
    const block = blocks[i % blocks.length]!;
    // Rotate each block so repeats are not identical, as a talk returning to a subject would be.
    for (let j = 0; j < block.length; j++) sentences.push(block[(j + i) % block.length]!);
  }
  return buildTranscript(sentences.join(' '));
}

/** The context an add-on runs with, for tests. */
export function addonContext(
  transcript: Transcript,
  request: IntelligenceRequest,
  llm: LlmClient | null = null,
): AddonContext {
  return { transcript, request, llm, signal: new AbortController().signal, log: pino({ level: 'silent' }) };
}

/** An LLM client on the fake server, with the production client's behaviour. */
export const fakeLlmConfig = (url: string, contextTokens = 8_000) => ({
  url,
  model: 'fake-model',
  apiKey: 'sk-fake',
  timeoutMs: 5_000,
  contextTokens,
  maxTokensPerJob: 1_000_000,
});
