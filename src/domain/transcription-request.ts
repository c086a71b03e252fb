/**
 * Every transcription option any surface can express, named once. Surfaces parse their own
 * parameters into this shape; the pipeline reads only this.
 */
export type AudioSource =
  /**
   * A file uploaded to this server; read from blob storage, never fetched over the network.
   * `borrowed`: the upload belongs to another job (a re-transcription of part of it), so deleting
   * this job must not delete the audio.
   */
  | { kind: 'upload'; uploadId: string; borrowed?: boolean }
  /** A remote URL, fetched through the SSRF guard. */
  | { kind: 'url'; url: string }
  /** A local file path: only the CLI uses this; no API surface may produce it. */
  | { kind: 'file'; path: string }
  /**
   * A transcript the caller already has (conversation analysis of a call transcribed elsewhere):
   * no audio; the pipeline goes straight to the analyses.
   */
  | { kind: 'transcript'; transcript: ProvidedTranscript };

/** A caller's own transcript: utterances in time order, speakers by the caller's labels. */
export interface ProvidedTranscript {
  utterances: { startMs: number; endMs: number; text: string; speaker?: string }[];
}

export interface CustomSpelling {
  /** Words or phrases to replace (matched case-insensitively on word boundaries). */
  from: string[];
  to: string;
}

export type HintBoost = 'low' | 'default' | 'high';

export interface WebhookTarget {
  url: string;
  /**
   * HTTP method of the delivery (Gladia's `callback_config.method`).
   * @defaultValue 'POST'
   */
  method?: 'POST' | 'PUT';
  /** Extra header sent with each delivery, e.g. a shared secret. */
  authHeader?: { name: string; value: string };
}

/** Who spoke when: presence of this object asks for diarization. */
export interface DiarizationRequest {
  /** Exact number of speakers, when known. */
  speakersExpected?: number;
  /** Bounds for the estimated number of speakers. */
  minSpeakers?: number;
  maxSpeakers?: number;
}

export type Task = 'transcribe' | 'translate';

/** Kinds of personal information PII redaction can find (AssemblyAI's policy names). */
export const PII_POLICIES = [
  'person_name',
  'phone_number',
  'email_address',
  'credit_card_number',
  'credit_card_expiration',
  'credit_card_cvv',
  'us_social_security_number',
  'date_of_birth',
  'location',
  'organization',
  'banking_information',
  'ip_address',
  'url',
  'money_amount',
] as const;
export type PiiPolicy = (typeof PII_POLICIES)[number];

export type SummaryType = 'bullets' | 'bullets_verbose' | 'gist' | 'headline' | 'paragraph';

/**
 * Analyses run on the finished transcript (the `intelligence` stage), each reporting its own
 * success or failure without failing the transcript. Absent: not requested.
 */
export interface IntelligenceRequest {
  redactPii?: {
    policies: PiiPolicy[];
    /** Replace with the entity's name (`[PERSON_NAME]`) or with `#` characters. */
    substitution: 'entity_name' | 'hash';
    /** Also produce the audio with each PII span beeped (or silenced). */
    audio?: { format: 'mp3' | 'wav'; silence: boolean };
  };
  entities?: boolean;
  sentiment?: boolean;
  keyPhrases?: boolean;
  topics?: boolean;
  /** Content safety labels at or above this confidence (0..1). */
  contentSafety?: { minConfidence: number };
  chapters?: boolean;
  /**
   * `style` shapes an LLM-written summary (AssemblyAI's summary_model); the extractive fallback
   * has only the default, `informative`.
   */
  summary?: { type: SummaryType; style?: 'informative' | 'conversational' | 'catchy' };
  /** Free-form prompts answered over the transcript (needs the LLM provider). */
  llmPrompts?: string[];
  /** List the questions asked (main questions and their follow-ups). */
  questions?: boolean;
  /**
   * Sales-call analysis: talk metrics, rubric scores and (with an LLM) coaching for the rep.
   * `repSpeaker`: the rep's speaker index; absent, whoever speaks first.
   */
  conversation?: { repSpeaker?: number };
  /** Translate the transcript into these languages (needs the LLM provider). */
  translation?: { targetLanguages: string[] };
}

/** Changes to the transcript's own text, applied before any analysis. */
export interface TextFilters {
  /** Replace profanity with asterisks (keeping the first letter). */
  filterProfanity: boolean;
  /** Keep filler words (um, uh, hmm); removed by default, as AssemblyAI does. */
  keepDisfluencies: boolean;
}

export interface TranscriptionRequest {
  audio: AudioSource;
  /** `translate`: English text from speech in any language (models with `translation` only). */
  task: Task;
  /** Transcribe from this offset of the audio, in milliseconds. */
  audioStartMs?: number;
  /** Stop transcribing at this offset of the audio, in milliseconds. */
  audioEndMs?: number;
  /**
   * Models to use, in order of preference: catalog model ids (e.g. `sphinx-en-us`) or the aliases
   * `best`/`nano`. Empty: the server's default.
   */
  speechModels: string[];
  /** Language of the audio, lowercase (`en`, `en_us`, `fr`). Absent: the engine's default. */
  languageCode?: string;
  /** Detect the language instead of assuming one. */
  languageDetection: boolean;
  /** With detection: the languages the audio may be in (others are not considered). */
  languageCandidates?: string[];
  /** Detect the language per stretch of speech, for audio that switches languages. */
  codeSwitching: boolean;
  /** Transcribe each channel on its own; words and utterances carry their channel. */
  multichannel: boolean;
  diarization?: DiarizationRequest;
  /** Add punctuation (or keep the engine's). */
  punctuate: boolean;
  /** Casing and text formatting (or keep the engine's). */
  formatText: boolean;
  customSpelling: CustomSpelling[];
  /** Words and phrases the engine should favour, where the engine supports hints. */
  keyterms: string[];
  hintBoost?: HintBoost;
  /** Fail the job when speech makes up less than this fraction (0..1) of the audio. */
  minSpeechFraction?: number;
  webhook?: WebhookTarget;
  textFilters?: TextFilters;
  intelligence?: IntelligenceRequest;
}

/** Defaults a surface starts from; each surface then applies its own parameters. */
export function defaultTranscriptionRequest(audio: AudioSource): TranscriptionRequest {
  return {
    audio,
    task: 'transcribe',
    speechModels: [],
    languageDetection: false,
    codeSwitching: false,
    multichannel: false,
    punctuate: true,
    formatText: true,
    customSpelling: [],
    keyterms: [],
  };
}
