/**
 * Diarization error rate as NIST's md-eval scores it (the tool behind every published DER).
 *
 * The timeline is cut at every boundary into pieces where the set of reference speakers R and the
 * set of hypothesis speakers H stay the same. Each piece of duration d adds
 *   scored   d·|R|                         (reference speaker time: overlapping speech counts per speaker)
 *   missed   d·max(0, |R| − |H|)
 *   false alarm d·max(0, |H| − |R|)
 *   confusion d·(min(|R|, |H|) − correct)  where correct counts reference speakers whose mapped
 *                                           hypothesis speaker is also talking,
 * and DER = (missed + false alarm + confusion) / scored. The mapping is the one-to-one assignment of
 * hypothesis to reference speakers that maximises the time they talk together, found with the
 * Hungarian algorithm; unmapped speakers are never correct.
 *
 * The collar follows md-eval's `-c`: `collarSeconds` on EACH side of every reference segment
 * boundary are not scored (md-eval `-c 0.25` is pyannote.metrics' `collar=0.5`). Segments of one
 * speaker that overlap or touch are merged first, so a boundary only exists where the speaker really
 * starts or stops.
 */

/** A speaker talking from `start` to `end`, in seconds. */
export interface SpeakerSegment {
  start: number;
  end: number;
  speaker: string;
}

/** A time span in seconds. */
export interface TimeSpan {
  start: number;
  end: number;
}

export interface DerOptions {
  /** Seconds not scored on each side of every reference boundary (md-eval `-c`). @defaultValue 0 */
  collarSeconds?: number;
  /**
   * Only these spans are scored (an "un-partitioned evaluation map"). @defaultValue everything from
   * the earliest to the latest segment of either side
   */
  uem?: readonly TimeSpan[];
  /** Leave out every piece where two or more reference speakers talk at once. @defaultValue false */
  skipOverlap?: boolean;
}

export interface DerResult {
  /** Reference speaker time that was scored, in seconds (overlapped speech counted per speaker). */
  scored: number;
  /** Seconds of reference speaker time, or hypothesis speaker time, in each error class. */
  missed: number;
  falseAlarm: number;
  confusion: number;
  /** Each class over `scored` (0 when nothing was scored and nothing hypothesised). */
  missRate: number;
  falseAlarmRate: number;
  confusionRate: number;
  der: number;
  /** Hypothesis speaker → the reference speaker it was mapped to. */
  mapping: Map<string, string>;
  referenceSpeakers: number;
  hypothesisSpeakers: number;
}

/** Scores `hypothesis` against `reference`; see the module comment for the definitions. */
export function diarizationErrorRate(
  reference: readonly SpeakerSegment[],
  hypothesis: readonly SpeakerSegment[],
  options: DerOptions = {},
): DerResult {
  const collar = options.collarSeconds ?? 0;
  if (!(collar >= 0)) throw new RangeError(`collar must be >= 0 (got ${collar})`);
  const ref = mergeBySpeaker(reference);
  const hyp = mergeBySpeaker(hypothesis);
  const refNames = [...ref.keys()];
  const hypNames = [...hyp.keys()];

  const scoredSpans = subtractSpans(
    options.uem ? mergeSpans(options.uem) : extentOf([...ref.values(), ...hyp.values()]),
    collar > 0 ? noScoreZones(ref, collar) : [],
  );
  const pieces = elementaryPieces(scoredSpans, [...ref.values()], [...hyp.values()]);

  // Pass 1: counts that do not depend on the mapping, and co-occurrence for the mapping.
  const cooccurrence = refNames.map(() => new Float64Array(hypNames.length));
  let scored = 0;
  let missed = 0;
  let falseAlarm = 0;
  const kept: Piece[] = [];
  for (const piece of pieces) {
    const nr = piece.ref.length;
    const nh = piece.hyp.length;
    if (options.skipOverlap && nr > 1) continue;
    kept.push(piece);
    const d = piece.end - piece.start;
    scored += d * nr;
    missed += d * Math.max(0, nr - nh);
    falseAlarm += d * Math.max(0, nh - nr);
    for (const r of piece.ref) {
      const row = cooccurrence[r] as Float64Array;
      for (const h of piece.hyp) row[h] = (row[h] ?? 0) + d;
    }
  }

  // Hungarian algorithm on the negated co-occurrence: the assignment with the most shared time.
  const assignment = maximumWeightAssignment(cooccurrence.map((row) => [...row]));
  const hypToRef = new Int32Array(hypNames.length).fill(-1);
  const mapping = new Map<string, string>();
  assignment.forEach((h, r) => {
    if (h < 0) return;
    // A pair that never talks together is no match: leaving it unmapped changes no count.
    if ((cooccurrence[r]?.[h] ?? 0) <= 0) return;
    hypToRef[h] = r;
    mapping.set(hypNames[h] as string, refNames[r] as string);
  });

  // Pass 2: confusion under the mapping.
  let confusion = 0;
  for (const piece of kept) {
    let correct = 0;
    for (const h of piece.hyp) {
      const r = hypToRef[h] as number;
      if (r >= 0 && piece.ref.includes(r)) correct++;
    }
    confusion += (piece.end - piece.start) * (Math.min(piece.ref.length, piece.hyp.length) - correct);
  }

  const rate = (x: number): number => (scored > 0 ? x / scored : x > 0 ? Infinity : 0);
  return {
    scored,
    missed,
    falseAlarm,
    confusion,
    missRate: rate(missed),
    falseAlarmRate: rate(falseAlarm),
    confusionRate: rate(confusion),
    der: rate(missed + falseAlarm + confusion),
    mapping,
    referenceSpeakers: refNames.length,
    hypothesisSpeakers: hypNames.length,
  };
}

/**
 * The assignment of rows to columns that maximises the summed weight, one column per row at most
 * and one row per column at most (rectangular matrices allowed). Returns, for each row, its column
 * or -1. Hungarian algorithm with potentials (Kuhn–Munkres, O(n²·m)).
 */
export function maximumWeightAssignment(weights: readonly (readonly number[])[]): number[] {
  const rows = weights.length;
  const cols = rows === 0 ? 0 : Math.max(...weights.map((row) => row.length));
  if (rows === 0 || cols === 0) return new Array<number>(rows).fill(-1);
  // The algorithm below needs rows <= columns: solve the transpose otherwise.
  if (rows > cols) {
    const transposed = Array.from({ length: cols }, (_, c) => weights.map((row) => row[c] ?? 0));
    const byColumn = maximumWeightAssignment(transposed);
    const result = new Array<number>(rows).fill(-1);
    byColumn.forEach((r, c) => {
      if (r >= 0) result[r] = c;
    });
    return result;
  }
  let max = 0;
  for (const row of weights) for (const w of row) max = Math.max(max, w);
  // Minimise cost = max − weight (non-negative); 1-based arrays as in the textbook formulation.
  const cost = (i: number, j: number): number => max - (weights[i - 1]?.[j - 1] ?? 0);
  const n = rows;
  const m = cols;
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // p[j]: row assigned to column j (0: none)
  const way = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(m + 1).fill(Infinity);
    const used = new Uint8Array(m + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0] as number;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost(i0, j) - (u[i0] as number) - (v[j] as number);
        if (cur < (minv[j] as number)) {
          minv[j] = cur;
          way[j] = j0;
        }
        if ((minv[j] as number) < delta) {
          delta = minv[j] as number;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          const row = p[j] as number;
          u[row] = (u[row] as number) + delta;
          v[j] = (v[j] as number) - delta;
        } else {
          minv[j] = (minv[j] as number) - delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0] as number;
      p[j0] = p[j1] as number;
      j0 = j1;
    } while (j0 !== 0);
  }
  const result = new Array<number>(rows).fill(-1);
  for (let j = 1; j <= m; j++) {
    const row = p[j] as number;
    if (row > 0) result[row - 1] = j - 1;
  }
  return result;
}

interface Piece {
  start: number;
  end: number;
  /** Indices of the reference / hypothesis speakers talking throughout the piece. */
  ref: number[];
  hyp: number[];
}

/** Sorted, disjoint spans of each speaker, in order of first appearance in the input. */
function mergeBySpeaker(segments: readonly SpeakerSegment[]): Map<string, TimeSpan[]> {
  const bySpeaker = new Map<string, TimeSpan[]>();
  for (const s of segments) {
    if (!(Number.isFinite(s.start) && Number.isFinite(s.end)) || s.end < s.start) {
      throw new RangeError(`invalid segment [${s.start}, ${s.end}] of speaker ${s.speaker}`);
    }
    if (s.end === s.start) continue;
    const list = bySpeaker.get(s.speaker) ?? [];
    list.push({ start: s.start, end: s.end });
    bySpeaker.set(s.speaker, list);
  }
  for (const [speaker, spans] of bySpeaker) bySpeaker.set(speaker, mergeSpans(spans));
  return bySpeaker;
}

/** Sorted union of spans; spans that overlap or touch become one. */
export function mergeSpans(spans: readonly TimeSpan[]): TimeSpan[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const out: TimeSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

function extentOf(speakers: readonly TimeSpan[][]): TimeSpan[] {
  let start = Infinity;
  let end = -Infinity;
  for (const spans of speakers) {
    for (const s of spans) {
      start = Math.min(start, s.start);
      end = Math.max(end, s.end);
    }
  }
  return end > start ? [{ start, end }] : [];
}

/** ±collar around every boundary of every reference speaker, merged. */
function noScoreZones(ref: Map<string, TimeSpan[]>, collar: number): TimeSpan[] {
  const zones: TimeSpan[] = [];
  for (const spans of ref.values()) {
    for (const s of spans) {
      zones.push({ start: s.start - collar, end: s.start + collar });
      zones.push({ start: s.end - collar, end: s.end + collar });
    }
  }
  return mergeSpans(zones);
}

/** `spans` minus `holes`; both sorted and disjoint. */
function subtractSpans(spans: readonly TimeSpan[], holes: readonly TimeSpan[]): TimeSpan[] {
  const out: TimeSpan[] = [];
  let h = 0;
  for (const span of spans) {
    let start = span.start;
    while (h < holes.length && (holes[h] as TimeSpan).end <= start) h++;
    let k = h;
    while (k < holes.length && (holes[k] as TimeSpan).start < span.end) {
      const hole = holes[k] as TimeSpan;
      if (hole.start > start) out.push({ start, end: hole.start });
      start = Math.max(start, hole.end);
      k++;
    }
    if (start < span.end) out.push({ start, end: span.end });
  }
  return out;
}

/** Cuts the scored spans at every speaker boundary and lists who talks in each piece. */
function elementaryPieces(
  scored: readonly TimeSpan[],
  ref: readonly TimeSpan[][],
  hyp: readonly TimeSpan[][],
): Piece[] {
  // Events: +1/-1 per speaker per side; scored spans open and close a gate.
  type Event = { t: number; kind: 0 | 1 | 2; index: number; delta: 1 | -1 };
  const events: Event[] = [];
  scored.forEach((s) => {
    events.push({ t: s.start, kind: 0, index: 0, delta: 1 }, { t: s.end, kind: 0, index: 0, delta: -1 });
  });
  const add = (side: 1 | 2, spans: readonly TimeSpan[][]): void =>
    spans.forEach((list, index) => {
      for (const s of list) {
        events.push({ t: s.start, kind: side, index, delta: 1 }, { t: s.end, kind: side, index, delta: -1 });
      }
    });
  add(1, ref);
  add(2, hyp);
  events.sort((a, b) => a.t - b.t);

  const refActive = new Set<number>();
  const hypActive = new Set<number>();
  let gate = 0;
  const pieces: Piece[] = [];
  let i = 0;
  let prev = events[0]?.t ?? 0;
  while (i < events.length) {
    const t = (events[i] as Event).t;
    if (t > prev && gate > 0 && (refActive.size > 0 || hypActive.size > 0)) {
      pieces.push({ start: prev, end: t, ref: [...refActive], hyp: [...hypActive] });
    }
    // Apply every event at this instant before the next piece starts.
    while (i < events.length && (events[i] as Event).t === t) {
      const e = events[i] as Event;
      if (e.kind === 0) gate += e.delta;
      else {
        const set = e.kind === 1 ? refActive : hypActive;
        if (e.delta > 0) set.add(e.index);
        else set.delete(e.index);
      }
      i++;
    }
    prev = t;
  }
  return pieces;
}
