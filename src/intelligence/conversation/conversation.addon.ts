import { EarshotError } from '../../domain/errors.js';
import type { Addon } from '../addon.js';
import { detectQuestions } from '../questions/index.js';
import { analyzeSentiment } from '../sentiment/index.js';
import { metricsBrief, rolePassages, writeCoaching } from './coaching.js';
import type { ConversationAnalysis } from './conversation.types.js';
import { measureConversation } from './metrics.js';
import { scoreConversation } from './rubric.js';
import { speakerTurns } from './turns.js';

export const NO_LLM_REASON =
  'No LLM provider is configured (EARSHOT_LLM_URL, EARSHOT_LLM_MODEL), so no written feedback or action plan was produced';

/**
 * The sales-call analysis: measured metrics, rubric scores and, with an LLM provider, written
 * coaching. Questions are found by the questions add-on's detector, so they are counted the same way
 * everywhere; it is called here (not read from that add-on's result) because add-ons cannot see
 * each other's results, and the rubric and the coach need the count.
 */
export const conversationAddon: Addon<'conversation'> = {
  name: 'conversation',
  wanted: (request) => request.conversation !== undefined,
  async run({ transcript, request, llm, signal, log }): Promise<ConversationAnalysis> {
    const turns = speakerTurns(transcript);
    if (turns.length === 0) throw new EarshotError('badRequest', 'The call has no speech to analyse');
    const rep = request.conversation?.repSpeaker ?? turns[0]!.speaker;
    if (!turns.some((t) => t.speaker === rep)) {
      throw new EarshotError('badRequest', `The rep speaker (speaker ${rep + 1}) never speaks in this call`, {
        param: 'rep_speaker',
      });
    }
    const questions = detectQuestions(transcript.words);
    const { speakers, metrics } = measureConversation(
      transcript,
      rep,
      questions,
      (text) => analyzeSentiment(text).compound,
    );
    const repSentiment = speakers.find((s) => s.speaker === rep)?.sentimentScore ?? 0;
    const scores = scoreConversation(metrics, repSentiment);
    const analysis: ConversationAnalysis = {
      repSpeaker: rep,
      speakers,
      metrics,
      scores,
      coaching: null,
      coachingUnavailable: NO_LLM_REASON,
    };
    if (!llm) return analysis;
    try {
      const coaching = await writeCoaching(
        llm,
        rolePassages(transcript, rep),
        metricsBrief(metrics, scores),
        signal,
      );
      return { ...analysis, coaching, coachingUnavailable: null };
    } catch (error) {
      signal.throwIfAborted();
      // The measured part stands on its own: a failing coach must not lose it.
      log.warn({ err: error }, 'LLM coaching failed');
      const reason = error instanceof Error ? error.message : String(error);
      return { ...analysis, coachingUnavailable: `The LLM provider failed to write the coaching: ${reason}` };
    }
  },
};
