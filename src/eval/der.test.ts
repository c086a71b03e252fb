import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diarizationErrorRate, maximumWeightAssignment, type SpeakerSegment } from './der.js';

const seg = (speaker: string, start: number, end: number): SpeakerSegment => ({ start, end, speaker });

function near(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual}, expected ${expected}`);
}

function counts(r: ReturnType<typeof diarizationErrorRate>) {
  const round = (x: number): number => Math.round(x * 1e9) / 1e9;
  return {
    scored: round(r.scored),
    missed: round(r.missed),
    falseAlarm: round(r.falseAlarm),
    confusion: round(r.confusion),
  };
}

describe('diarizationErrorRate', () => {
  it('is 0 for a perfect hypothesis whatever its labels', () => {
    const ref = [seg('A', 0, 10), seg('B', 10, 20), seg('A', 20, 25)];
    const hyp = [seg('1', 0, 10), seg('0', 10, 20), seg('1', 20, 25)];
    const r = diarizationErrorRate(ref, hyp);
    assert.deepEqual(counts(r), { scored: 25, missed: 0, falseAlarm: 0, confusion: 0 });
    assert.equal(r.der, 0);
    assert.deepEqual([...r.mapping].sort(), [
      ['0', 'B'],
      ['1', 'A'],
    ]);
    assert.equal(r.referenceSpeakers, 2);
    assert.equal(r.hypothesisSpeakers, 2);
  });

  it('counts missed speech, false alarm and confusion exactly', () => {
    // ref: A 0–10, B 10–20.  hyp: X 0–12, Y 12–18, Z 18–22, nothing 2 s of B (none here).
    // Pieces: [0,10] A|X ok; [10,12] B|X confusion 2; [12,18] B|Y ok; [18,20] B|Z confusion 2
    // (Z unmapped: X→A and Y→B share more time); [20,22] –|Z false alarm 2.
    const ref = [seg('A', 0, 10), seg('B', 10, 20)];
    const hyp = [seg('X', 0, 12), seg('Y', 12, 18), seg('Z', 18, 22)];
    const r = diarizationErrorRate(ref, hyp);
    assert.deepEqual(counts(r), { scored: 20, missed: 0, falseAlarm: 2, confusion: 4 });
    near(r.der, 0.3, 'DER');
    near(r.falseAlarmRate, 0.1, 'FA rate');
    near(r.confusionRate, 0.2, 'confusion rate');
    assert.equal(r.mapping.get('X'), 'A');
    assert.equal(r.mapping.get('Y'), 'B');
    assert.equal(r.mapping.has('Z'), false);

    // A hypothesis that stops early and starts late misses those parts.
    const late = diarizationErrorRate(ref, [seg('X', 1, 10), seg('Y', 10, 17)]);
    assert.deepEqual(counts(late), { scored: 20, missed: 4, falseAlarm: 0, confusion: 0 });
    near(late.missRate, 0.2, 'miss rate');
  });

  it('counts overlapping reference speech once per speaker, as md-eval does', () => {
    // A 0–10 and B 5–15 overlap for 5 s: 20 s of speaker time. One hypothesis speaker over 0–15
    // covers one of the two in the overlap (5 s missed) and is wrong for the other's solo part.
    const ref = [seg('A', 0, 10), seg('B', 5, 15)];
    const single = diarizationErrorRate(ref, [seg('X', 0, 15)]);
    assert.deepEqual(counts(single), { scored: 20, missed: 5, falseAlarm: 0, confusion: 5 });
    near(single.der, 0.5, 'DER');

    // Two hypothesis speakers that overlap like the reference are perfect.
    const both = diarizationErrorRate(ref, [seg('X', 0, 10), seg('Y', 5, 15)]);
    assert.equal(both.der, 0);

    // A second hypothesis speaker where only one reference speaker talks is a false alarm.
    const extra = diarizationErrorRate([seg('A', 0, 10)], [seg('X', 0, 10), seg('Y', 2, 5)]);
    assert.deepEqual(counts(extra), { scored: 10, missed: 0, falseAlarm: 3, confusion: 0 });

    // In the overlap, two hypothesis speakers of whom only one is mapped right: one confusion.
    const half = diarizationErrorRate(ref, [seg('X', 0, 10), seg('Y', 10, 15), seg('Z', 5, 10)]);
    // X→A (10 s); Y and Z share 5 s each with B, so either maps to B: with Y→B the overlap has one
    // confused speaker for 5 s, with Z→B the overlap is right but Y's 5 s alone is confusion.
    assert.deepEqual(counts(half), { scored: 20, missed: 0, falseAlarm: 0, confusion: 5 });
  });

  it('merges overlapping or touching segments of one speaker before scoring', () => {
    const ref = [seg('A', 0, 6), seg('A', 4, 10), seg('A', 10, 12)];
    const r = diarizationErrorRate(ref, [seg('X', 0, 12)], { collarSeconds: 0.25 });
    // One speaker from 0 to 12: boundaries only at 0 and 12 (not at 6, 4 or 10), so 11.5 s scored.
    near(r.scored, 11.5, 'scored');
    assert.equal(r.der, 0);
  });

  it('does not score `collar` seconds on each side of every reference boundary', () => {
    const ref = [seg('A', 0, 10), seg('B', 10, 20)];
    const hyp = [seg('X', 0, 10.2), seg('Y', 10.2, 20)];
    const strict = diarizationErrorRate(ref, hyp);
    assert.deepEqual(counts(strict), { scored: 20, missed: 0, falseAlarm: 0, confusion: 0.2 });
    const forgiving = diarizationErrorRate(ref, hyp, { collarSeconds: 0.25 });
    // Scored: [0.25, 9.75] and [10.25, 19.75].
    assert.deepEqual(counts(forgiving), { scored: 19, missed: 0, falseAlarm: 0, confusion: 0 });

    // An error wider than the collar is counted beyond it only.
    const wide = diarizationErrorRate(ref, [seg('X', 0, 11), seg('Y', 11, 20)], { collarSeconds: 0.25 });
    assert.deepEqual(counts(wide), { scored: 19, missed: 0, falseAlarm: 0, confusion: 0.75 });

    // False alarm inside a collar is forgiven too, outside it is not.
    const fa = diarizationErrorRate([seg('A', 5, 10)], [seg('X', 4.8, 10), seg('X', 12, 13)], {
      collarSeconds: 0.25,
    });
    assert.deepEqual(counts(fa), { scored: 4.5, missed: 0, falseAlarm: 1, confusion: 0 });
  });

  it('scores only inside the UEM when one is given, and can skip overlapped speech', () => {
    const ref = [seg('A', 0, 10), seg('B', 5, 15)];
    const hyp = [seg('X', 0, 15), seg('X', 20, 30)];
    const all = diarizationErrorRate(ref, hyp);
    near(all.falseAlarm, 10, 'FA everywhere');
    const inside = diarizationErrorRate(ref, hyp, { uem: [{ start: 0, end: 15 }] });
    assert.deepEqual(counts(inside), { scored: 20, missed: 5, falseAlarm: 0, confusion: 5 });
    const solo = diarizationErrorRate(ref, hyp, { uem: [{ start: 0, end: 15 }], skipOverlap: true });
    // Only [0,5] (A) and [10,15] (B) are left; X maps to one of them.
    assert.deepEqual(counts(solo), { scored: 10, missed: 0, falseAlarm: 0, confusion: 5 });
  });

  it('handles empty sides', () => {
    const nothing = diarizationErrorRate([], []);
    assert.equal(nothing.der, 0);
    const allMissed = diarizationErrorRate([seg('A', 0, 4)], []);
    assert.deepEqual(counts(allMissed), { scored: 4, missed: 4, falseAlarm: 0, confusion: 0 });
    assert.equal(allMissed.der, 1);
    const onlyFa = diarizationErrorRate([], [seg('X', 0, 4)]);
    assert.equal(onlyFa.der, Infinity);
    assert.throws(() => diarizationErrorRate([seg('A', 3, 1)], []), RangeError);
  });
});

describe('maximumWeightAssignment', () => {
  it('finds the optimum where a greedy choice fails', () => {
    // Greedy takes 10 then 0 (total 10); the optimum is 9 + 9.
    assert.deepEqual(
      maximumWeightAssignment([
        [10, 9],
        [9, 0],
      ]),
      [1, 0],
    );
  });

  it('handles rectangular matrices both ways', () => {
    assert.deepEqual(maximumWeightAssignment([[1, 5, 3]]), [1]);
    assert.deepEqual(maximumWeightAssignment([[1], [5], [3]]), [-1, 0, -1]);
    assert.deepEqual(maximumWeightAssignment([]), []);
  });

  it('matches brute force on random matrices', () => {
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const best = (w: number[][], row: number, used: Set<number>): number => {
      if (row === w.length) return 0;
      const width = w[0]?.length ?? 0;
      let top = best(w, row + 1, used); // row left unassigned
      for (let c = 0; c < width; c++) {
        if (used.has(c)) continue;
        used.add(c);
        top = Math.max(top, (w[row]?.[c] ?? 0) + best(w, row + 1, used));
        used.delete(c);
      }
      return top;
    };
    for (let trial = 0; trial < 200; trial++) {
      const rows = 1 + Math.floor(random() * 5);
      const cols = 1 + Math.floor(random() * 5);
      const w = Array.from({ length: rows }, () =>
        Array.from({ length: cols }, () => Math.round(random() * 20)),
      );
      const assignment = maximumWeightAssignment(w);
      const columns = assignment.filter((c) => c >= 0);
      assert.equal(new Set(columns).size, columns.length, 'each column used once');
      const total = assignment.reduce((s, c, r) => s + (c >= 0 ? (w[r]?.[c] ?? 0) : 0), 0);
      assert.equal(total, best(w, 0, new Set()), JSON.stringify(w));
    }
  });
});
