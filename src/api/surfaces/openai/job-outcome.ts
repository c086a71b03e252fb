import { EarshotError, ErrorCodes } from '../../../domain/errors.js';
import type { Job } from '../../../domain/job.js';
import type { Transcript } from '../../../domain/transcript.js';

/**
 * The transcript of a finished job, or the error to answer with. A job that failed on its input
 * (`invalidAudio` and the other 4xx codes) answers with that status and the job's message, which
 * says what was wrong with the file; a server fault answers 500. `Job.errorCode` carries the
 * distinction, so no message is parsed.
 */
export function finishedTranscript(job: Job): Transcript {
  if (job.status === 'completed' && job.transcript) return job.transcript;
  if (job.status === 'error') {
    const code = job.errorCode ?? 'internal';
    const status = ErrorCodes[code];
    // 499 (`cancelled`) means the caller went away, which is not what happened to this caller.
    const known = status >= 400 && status !== ErrorCodes.cancelled;
    return fail(known ? code : 'internal', job.error ?? 'The transcription failed');
  }
  if (job.status === 'cancelled')
    return fail('internal', 'The transcription was cancelled before it finished');
  return fail('internal', `The transcription has not finished (status ${job.status})`);
}

function fail(code: keyof typeof ErrorCodes, message: string): never {
  throw new EarshotError(code, message);
}
