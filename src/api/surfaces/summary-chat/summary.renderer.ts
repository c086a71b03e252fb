import { EarshotError } from '../../../domain/errors.js';
import type { Job } from '../../../domain/job.js';
import type { AddonResult, Transcript } from '../../../domain/transcript.js';
import type { SummaryResult, TopicsResult } from '../../../intelligence/results.js';
import {
  progressPercent,
  renderNotFoundStatus,
  renderStatus,
  type StatusBody,
  type StatusWording,
} from '../local/local.renderer.js';
import { EXTRACTIVE_MODEL, type SummaryEcho } from './summary-params.js';

/**
 * `/api/summary` answers: pure functions from the job and its transcript to the local API's JSON.
 */

export const SUMMARY_NOT_FOUND = 'Summary job not found or expired';

/** Most topics listed: beyond a handful, labels stop describing the conversation. */
export const MAX_TOPICS = 5;
/** Topics less relevant than this over the whole transcript are left out. */
export const MIN_TOPIC_RELEVANCE = 0.1;

const countWords = (text: string): number => text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;

/**
 * A summary cut to at most `maxWords` words, at unit boundaries: whole bullet lines for lists,
 * whole sentences for a paragraph. A first unit longer than the limit is cut at a word and marked
 * with "…", so the limit always holds and the answer is never empty when the summary was not.
 */
export function trimToWords(text: string, maxWords: number | null): string {
  if (maxWords === null || countWords(text) <= maxWords) return text;
  const bulleted = /^\s*- /.test(text);
  const units = bulleted
    ? text.split('\n').filter((l) => l.trim() !== '')
    : text.split(/(?<=[.!?…])\s+/u).filter((s) => s.trim() !== '');
  const kept: string[] = [];
  let words = 0;
  for (const unit of units) {
    const n = countWords(unit);
    if (words + n > maxWords) break;
    kept.push(unit);
    words += n;
  }
  if (kept.length > 0) return kept.join(bulleted ? '\n' : ' ');
  const first = units[0] ?? text;
  const tokens = first.split(/\s+/).filter(Boolean);
  // Bullet markers are not words: keep "-" and take maxWords words after it.
  const marker = bulleted ? 1 : 0;
  return `${tokens.slice(0, maxWords + marker).join(' ')}…`;
}

/** `Technology&Computing>ConsumerElectronics` → `Consumer Electronics`: the label's most specific tier, readable. */
export function topicName(label: string): string {
  const leaf = label.split('>').at(-1) ?? label;
  return leaf
    .replace(/&/g, ' & ')
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The transcript's main topics, most relevant first, as short names without repeats. */
export function topicNames(topics: TopicsResult): string[] {
  const names: string[] = [];
  const ranked = Object.entries(topics.summary)
    .filter(([, relevance]) => relevance >= MIN_TOPIC_RELEVANCE)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  for (const [label] of ranked) {
    const name = topicName(label);
    if (!names.includes(name)) names.push(name);
    if (names.length === MAX_TOPICS) break;
  }
  return names;
}

function addonResult<T>(transcript: Transcript, name: string, what: string): T {
  const outcome = transcript.addons[name] as AddonResult<T> | undefined;
  if (!outcome) throw new EarshotError('internal', `${what} is missing from the finished job`);
  if (outcome.status === 'error') throw new EarshotError('internal', `${what} failed: ${outcome.error}`);
  return outcome.result;
}

export interface SummaryBody {
  summary: string;
  topics: string[];
  /** Words in `summary`. */
  length: number;
  model_used: string;
}

/** `GET /api/summary/{job_id}` for a completed job. */
export function renderSummary(transcript: Transcript, echo: SummaryEcho): SummaryBody {
  const summary = addonResult<SummaryResult>(transcript, 'summary', 'The summary');
  const topics = addonResult<TopicsResult>(transcript, 'topics', 'Topic detection');
  const text = trimToWords(summary.text, echo.max_length);
  return {
    summary: text,
    topics: topicNames(topics),
    length: countWords(text),
    // The LLM summary falls back to the extractive one when the provider fails: say which ran.
    model_used: summary.method === 'llm' ? echo.model : EXTRACTIVE_MODEL,
  };
}

/** The summary of a completed job, or the error this API answers for any other state. */
export function finishedSummary(job: Job, echo: SummaryEcho): SummaryBody {
  if (job.status === 'completed' && job.transcript) return renderSummary(job.transcript, echo);
  if (job.status === 'error') {
    throw new EarshotError(job.errorCode ?? 'internal', `Summary failed: ${job.error ?? 'unknown error'}`);
  }
  if (job.status === 'cancelled') throw new EarshotError('conflict', 'Summary was cancelled');
  throw new EarshotError(
    'conflict',
    `Summary is not finished yet (${progressPercent(job)}%): follow /api/summary/status/${job.id}`,
  );
}

const SUMMARY_WORDING: StatusWording = { noun: 'Summary', working: 'Summarising' };

/** `GET /api/summary/status/{job_id}`: the local API's status body. */
export function renderSummaryStatus(job: Job): StatusBody {
  return renderStatus(job, SUMMARY_WORDING);
}

/** The status body for an unknown id (sent with 404), as `/api/transcribe/status` answers it. */
export function renderSummaryNotFound(jobId: string, now: Date = new Date()) {
  return renderNotFoundStatus(jobId, now, SUMMARY_NOT_FOUND);
}
