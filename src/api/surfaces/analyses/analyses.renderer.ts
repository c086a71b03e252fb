import type { Job, JobStatus } from '../../../domain/job.js';
import type { Transcript } from '../../../domain/transcript.js';
import type { ConversationAnalysis } from '../../../intelligence/conversation/index.js';
import type { AnalysesSurfaceParams } from './analyses-params.js';
import { speakerLetter } from './analyses-params.js';

export type AnalysisStatus = 'queued' | 'processing' | 'completed' | 'failed' | 'cancelled';

/** Job status → analysis status. */
export const ANALYSIS_STATUS: Record<JobStatus, AnalysisStatus> = {
  queued: 'queued',
  processing: 'processing',
  completed: 'completed',
  error: 'failed',
  cancelled: 'cancelled',
};

/** A self-hosted server charges nothing per analysis; the field is kept for clients that read it. */
const COST_USD_CENTS = 0;

const seconds = (ms: number): number => Math.round(ms) / 1000;
const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

function params(job: Pick<Job, 'surfaceParams'>): AnalysesSurfaceParams {
  return job.surfaceParams as unknown as AnalysesSurfaceParams;
}

function speakerName(p: AnalysesSurfaceParams, speaker: number | undefined): string | null {
  if (speaker === undefined) return null;
  return p.speaker_labels ? (p.speaker_labels[speaker] ?? String(speaker)) : speakerLetter(speaker);
}

function renderTranscript(
  t: Transcript,
  p: AnalysesSurfaceParams,
  conversation: ConversationAnalysis | null,
) {
  const utterances = t.utterances ?? [];
  return {
    text: t.text,
    utterances: utterances.map((u) => ({
      start: u.startMs,
      end: u.endMs,
      speaker: speakerName(p, u.speaker),
      transcript: u.text,
      text: u.text,
    })),
    words: t.words.map((w) => ({
      text: w.text,
      start: w.startMs,
      end: w.endMs,
      speaker: speakerName(p, w.speaker),
      confidence: w.confidence,
    })),
    word_count: t.words.length,
    duration_seconds: seconds(t.durationMs),
    overall_sentiment: conversation?.metrics.overallSentiment ?? null,
    sentiment_score: conversation?.metrics.sentimentScore ?? null,
  };
}

function renderAnalysisBody(c: ConversationAnalysis, p: AnalysesSurfaceParams) {
  const m = c.metrics;
  const coaching = c.coaching;
  return {
    rep_speaker: speakerName(p, c.repSpeaker),
    prospect_name: coaching?.prospectName ?? null,
    recording_title: coaching?.recordingTitle ?? null,
    double_down: coaching?.doubleDown ?? null,
    ai_summary: coaching?.summary ?? null,
    questions_asked: m.questionsAsked,
    questions_per_10_minutes: m.questionsPer10Min,
    filler_word_count: m.fillerWordCount,
    filler_words_per_100: m.fillerWordsPer100,
    words_per_minute: m.wordsPerMinute,
    talk_ratio: m.talkRatio,
    listen_ratio: Math.round((1 - m.talkRatio) * 100) / 100,
    longest_monologue_seconds: seconds(m.longestMonologueMs),
    average_sentence_words: m.averageSentenceWords,
    objections_raised: m.objectionsRaised,
    objections_addressed: m.objectionsAddressed,
    close_phrases: m.closeCues,
    rep_sentiment_score: c.speakers.find((s) => s.speaker === c.repSpeaker)?.sentimentScore ?? 0,
    speakers: c.speakers.map((s) => ({
      speaker: speakerName(p, s.speaker),
      talk_seconds: seconds(s.talkMs),
      word_count: s.words,
      filler_word_count: s.fillerWords,
      sentiment_score: s.sentimentScore,
    })),
    overall_score: c.scores.overall,
    clarity_score: c.scores.clarity,
    influence_score: c.scores.influence,
    objection_score: c.scores.objection,
    discovery_score: c.scores.discovery,
    delivery_score: c.scores.delivery,
    close_score: c.scores.close,
    feedback: coaching?.feedback ?? null,
    action_plan: coaching
      ? {
          double_down_implementation: coaching.actionPlan.doubleDownImplementation,
          general_communication_improvement: coaching.actionPlan.generalCommunicationImprovement,
          quoted_principle: coaching.actionPlan.quotedPrinciple,
        }
      : null,
    llm_unavailable_reason: c.coachingUnavailable,
  };
}

/** The job's error in the analysis shape; a completed job whose analysis failed counts as failed. */
function outcome(job: Omit<Job, 'transcript'> & { transcript: Transcript | null }) {
  const result = job.transcript?.addons.conversation;
  if (job.status === 'error') {
    return {
      status: 'failed' as const,
      error: {
        code: job.errorCode ?? 'internal',
        message: job.error ?? 'The analysis failed',
        details: null,
      },
      conversation: null,
    };
  }
  if (job.status === 'completed' && result?.status === 'error') {
    return {
      status: 'failed' as const,
      error: { code: 'analysis_failed', message: result.error, details: null },
      conversation: null,
    };
  }
  const conversation =
    job.status === 'completed' && result?.status === 'success'
      ? (result.result as ConversationAnalysis)
      : null;
  return { status: ANALYSIS_STATUS[job.status], error: null, conversation };
}

/** The analysis object, for reads, lists and callbacks. */
export function renderAnalysis(
  job: Omit<Job, 'transcript'> & { transcript: Transcript | null },
): Record<string, unknown> {
  const p = params(job);
  const { status, error, conversation } = outcome(job);
  const durationMs = job.transcript?.durationMs ?? job.audioDurationMs;
  return {
    id: job.id,
    status,
    recording_url: p.recording_url,
    transcript_url: p.transcript_url,
    callback_url: p.callback_url,
    options: p.options,
    metadata: p.metadata,
    transcript:
      job.transcript && status === 'completed' ? renderTranscript(job.transcript, p, conversation) : null,
    analysis: conversation ? renderAnalysisBody(conversation, p) : null,
    error,
    duration_seconds: durationMs === null ? null : seconds(durationMs),
    cost_usd_cents: COST_USD_CENTS,
    created_at: iso(job.createdAt),
    started_at: iso(job.startedAt),
    completed_at: iso(job.completedAt),
    partner_org_id: p.partner_org_id,
    partner_rep_id: p.partner_rep_id,
    parent_session_id: p.parent_session_id,
  };
}
