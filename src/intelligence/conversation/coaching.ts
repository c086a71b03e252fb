import { z } from 'zod';
import type { Transcript } from '../../domain/transcript.js';
import { splitParagraphs } from '../../text/sentences.js';
import { condenseToFit, textRoom } from '../llm/chunking.js';
import type { LlmClient } from '../llm/llm-client.js';
import {
  CONVERSATION_DIMENSIONS,
  type ConversationCoaching,
  type ConversationMetrics,
  type ConversationScores,
} from './conversation.types.js';

const text = z.string().trim().min(1);
const feedback = z.object({ positive: text, negative: text });

/** The JSON the LLM must answer with; `completeJson` retries once when it does not. */
export const coachingSchema = z.object({
  prospect_name: z.string().trim().min(1).nullable(),
  recording_title: text,
  double_down: text,
  ai_summary: text,
  feedback: z.object(
    Object.fromEntries(CONVERSATION_DIMENSIONS.map((d) => [d, feedback])) as Record<
      (typeof CONVERSATION_DIMENSIONS)[number],
      typeof feedback
    >,
  ),
  action_plan: z.object({
    double_down_implementation: text,
    general_communication_improvement: text,
    quoted_principle: text,
  }),
});

export const COACHING_SYSTEM_PROMPT =
  'You are a sales coach reviewing a recorded sales call between a sales rep and a prospect. ' +
  'Base every statement on the transcript and the measured metrics you are given; do not invent ' +
  'facts, names or numbers. Address the rep directly, be specific and quote the call where it helps. ' +
  'Answer with one JSON object only, with exactly these fields: ' +
  '"prospect_name" (the prospect\'s name as said in the call, or null if never said), ' +
  '"recording_title" (a title of at most eight words), ' +
  '"double_down" (the one thing the rep did best and should keep doing), ' +
  '"ai_summary" (three to five sentences on what happened in the call), ' +
  `"feedback" (an object with the keys ${CONVERSATION_DIMENSIONS.map((d) => `"${d}"`).join(', ')}, ` +
  'each {"positive": what went well, "negative": what to improve}), and ' +
  '"action_plan" ({"double_down_implementation": how to do the double-down thing even more, ' +
  '"general_communication_improvement": the most useful change to how the rep communicates, ' +
  '"quoted_principle": a short, well-known sales or communication principle, quoted and attributed}).';

const NOTES_INSTRUCTIONS =
  'Write concise notes, as "- " bullet points, of this part of a sales call: who said what, the ' +
  "prospect's needs and objections, the rep's questions and answers, names, numbers and next steps. " +
  'Keep the "Rep:"/"Prospect:" attribution. Answer with the notes alone.';

/** The call as passages labelled by role, so the coach knows whose words are whose. */
export function rolePassages(transcript: Pick<Transcript, 'words'>, rep: number): string[] {
  return splitParagraphs(transcript.words).map(
    (p) => `${(p.speaker ?? 0) === rep ? 'Rep' : `Prospect (speaker ${(p.speaker ?? 0) + 1})`}: ${p.text}`,
  );
}

/** The measured metrics and rubric scores as the coach reads them. */
export function metricsBrief(metrics: ConversationMetrics, scores: ConversationScores): string {
  const pct = (ratio: number): string => `${Math.round(ratio * 100)} %`;
  return [
    `Rep words per minute: ${metrics.wordsPerMinute ?? 'n/a'} (130-170 is the target band)`,
    `Rep filler words: ${metrics.fillerWordCount} (${metrics.fillerWordsPer100} per 100 words)`,
    `Rep questions: ${metrics.questionsAsked} (${metrics.questionsPer10Min} per 10 minutes)`,
    `Talk/listen ratio: rep ${pct(metrics.talkRatio)}, others ${pct(1 - metrics.talkRatio)}`,
    `Longest rep monologue: ${Math.round(metrics.longestMonologueMs / 1000)} s`,
    `Objections raised by the prospect: ${metrics.objectionsRaised}, addressed by the rep: ${metrics.objectionsAddressed}`,
    `Next-step phrases used by the rep: ${metrics.closeCues.length > 0 ? metrics.closeCues.join(', ') : 'none'}`,
    `Overall sentiment: ${metrics.overallSentiment} (${metrics.sentimentScore})`,
    `Rubric scores (0-100): ${CONVERSATION_DIMENSIONS.map((d) => `${d} ${scores[d]}`).join(', ')}, overall ${scores.overall}`,
  ].join('\n');
}

/**
 * Written coaching for the rep: one JSON completion over the call and its metrics. A call too
 * long for the model's context is first condensed into notes, chunk by chunk.
 */
export async function writeCoaching(
  llm: LlmClient,
  passages: readonly string[],
  brief: string,
  signal?: AbortSignal,
): Promise<ConversationCoaching> {
  const frame = `Measured metrics:\n${brief}\n\nTranscript:\n\n`;
  const { text: call } = await condenseToFit(passages, {
    llm,
    room: textRoom(llm, COACHING_SYSTEM_PROMPT + frame),
    ...(signal && { signal }),
    condense: (chunk, { index, count }) =>
      llm.complete(
        [
          { role: 'system', content: COACHING_SYSTEM_PROMPT },
          { role: 'user', content: `${NOTES_INSTRUCTIONS}\n\nPart ${index + 1} of ${count}:\n\n${chunk}` },
        ],
        { maxTokens: 512, ...(signal && { signal }) },
      ),
  });
  const answer = await llm.completeJson(
    [
      { role: 'system', content: COACHING_SYSTEM_PROMPT },
      { role: 'user', content: `${frame}${call}` },
    ],
    coachingSchema,
    { maxTokens: 1200, ...(signal && { signal }) },
  );
  return {
    prospectName: answer.prospect_name,
    recordingTitle: answer.recording_title,
    doubleDown: answer.double_down,
    summary: answer.ai_summary,
    feedback: answer.feedback,
    actionPlan: {
      doubleDownImplementation: answer.action_plan.double_down_implementation,
      generalCommunicationImprovement: answer.action_plan.general_communication_improvement,
      quotedPrinciple: answer.action_plan.quoted_principle,
    },
  };
}
