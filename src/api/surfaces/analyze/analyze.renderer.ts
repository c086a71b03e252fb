import type { Job, JobStatus, StageName } from '../../../domain/job.js';
import type { AddonResult, Transcript } from '../../../domain/transcript.js';
import type { AskedQuestion, SummaryResult } from '../../../intelligence/results.js';
import { splitSentences } from '../../../text/sentences.js';
import { speakerLabel } from '../local/local.renderer.js';

/**
 * The Analyze API's view of a job: pure functions, canonical values in, the dialect's JSON out.
 * Times are integer milliseconds; speakers are labelled as the local API does, `SPEAKER_1`,
 * `SPEAKER_2`… from 1 in order of first appearance (null when diarization gave none).
 */

export const ANALYZE_JOB_TYPE = 'analyze';
export const NOT_FOUND_MESSAGE = 'Analysis job not found';

export type AnalyzeStatus = 'queued' | 'started' | 'finished' | 'failed';

const STATUS: Record<JobStatus, AnalyzeStatus> = {
  queued: 'queued',
  processing: 'started',
  completed: 'finished',
  error: 'failed',
  cancelled: 'failed',
};

/** The stage names callers see: coarser than the pipeline's, which may change. */
export type AnalyzeProgress =
  'queued' | 'downloading' | 'transcribing' | 'analyzing' | 'completed' | 'failed';

const PROGRESS: Record<StageName, AnalyzeProgress> = {
  queued: 'queued',
  ingest: 'downloading',
  probe: 'downloading',
  decode: 'transcribing',
  vad: 'transcribing',
  transcribe: 'transcribing',
  diarize: 'transcribing',
  text: 'analyzing',
  intelligence: 'analyzing',
  finalize: 'analyzing',
};

export function analyzeProgress(job: Pick<Job, 'status' | 'progress'>): AnalyzeProgress {
  if (job.status === 'completed') return 'completed';
  if (job.status === 'error' || job.status === 'cancelled') return 'failed';
  if (job.status === 'queued') return 'queued';
  return job.progress ? PROGRESS[job.progress.stage] : 'downloading';
}

export interface AnalyzeQuestion {
  question: string;
  level: 1 | 2;
  speaker: string | null;
  start_time: number;
  end_time: number;
}

export interface AnalyzeTranscriptEntry {
  speaker: string | null;
  start_time: number;
  end_time: number;
  text: string;
}

export interface AnalyzeResult {
  questions: AnalyzeQuestion[];
  /** One sentence saying what the recording is about; null when the summary could not be made. */
  summary: string | null;
  transcript: AnalyzeTranscriptEntry[];
}

export interface AnalyzeStatusBody {
  meta: {
    job_id: string;
    job_type: typeof ANALYZE_JOB_TYPE;
    message: string;
    progress: AnalyzeProgress;
    title: string | null;
  };
  status: AnalyzeStatus;
  result: AnalyzeResult | null;
}

function successOf<T>(result: AddonResult | undefined): T | undefined {
  return result?.status === 'success' ? (result.result as T) : undefined;
}

/** Failed analyses, for the message: the transcript is still delivered without them. */
function failedAddons(transcript: Transcript): string[] {
  return ['questions', 'summary'].flatMap((name) => {
    const result = transcript.addons[name];
    return result?.status === 'error' ? [`${name}: ${result.error}`] : [];
  });
}

function message(job: Job): string {
  switch (job.status) {
    case 'queued':
      return 'Job enqueued';
    case 'processing':
      return job.progress?.message ?? 'Processing';
    case 'completed': {
      const failed = job.transcript ? failedAddons(job.transcript) : [];
      return failed.length === 0 ? 'Analysis completed' : `Analysis completed; failed: ${failed.join('; ')}`;
    }
    case 'error':
      return job.error ?? 'Analysis failed';
    case 'cancelled':
      return 'Analysis was cancelled';
  }
}

/** Sentences (which also break at speaker changes), so a diarized call reads turn by turn. */
export function renderTranscript(transcript: Transcript): AnalyzeTranscriptEntry[] {
  return splitSentences(transcript.words).map((sentence) => ({
    speaker: speakerLabel(sentence.speaker),
    start_time: sentence.startMs,
    end_time: sentence.endMs,
    text: sentence.text,
  }));
}

export function renderQuestions(questions: readonly AskedQuestion[]): AnalyzeQuestion[] {
  return questions.map((q) => ({
    question: q.question,
    level: q.level,
    speaker: speakerLabel(q.speaker),
    start_time: q.startMs,
    end_time: q.endMs,
  }));
}

export function renderResult(transcript: Transcript): AnalyzeResult {
  const summary = successOf<SummaryResult>(transcript.addons.summary);
  return {
    questions: renderQuestions(successOf<AskedQuestion[]>(transcript.addons.questions) ?? []),
    summary: summary && summary.text !== '' ? summary.text : null,
    transcript: renderTranscript(transcript),
  };
}

/** `GET /analyze/{job_id}`. */
export function renderStatus(job: Job): AnalyzeStatusBody {
  const title = job.surfaceParams.title;
  return {
    meta: {
      job_id: job.id,
      job_type: ANALYZE_JOB_TYPE,
      message: message(job),
      progress: analyzeProgress(job),
      title: typeof title === 'string' ? title : null,
    },
    status: STATUS[job.status],
    result: job.status === 'completed' && job.transcript ? renderResult(job.transcript) : null,
  };
}
