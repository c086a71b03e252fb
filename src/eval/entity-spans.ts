import { readFile } from 'node:fs/promises';
import { ENTITY_TYPES, type EntityType } from '../intelligence/results.js';
import type { EntitySpan } from '../intelligence/pii/recognizer.js';

/**
 * Scoring entity spans against a labelled set (`test/data/pii.jsonl`, format in
 * `test/data/README.md`), shared by the unit test that guards the targets and by
 * `npm run bench:intelligence`.
 */

export interface LabelledText {
  text: string;
  entities: EntitySpan[];
}

/** Reads a JSON Lines set, checking every label's type and offsets so a typo fails loudly. */
export async function loadLabelledSet(file: string): Promise<LabelledText[]> {
  const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  return lines.map((line, index) => {
    const item = JSON.parse(line) as LabelledText;
    for (const entity of item.entities) {
      const bad =
        !(ENTITY_TYPES as readonly string[]).includes(entity.type) ||
        !(entity.start >= 0 && entity.start < entity.end && entity.end <= item.text.length);
      if (bad) throw new Error(`${file}:${index + 1}: bad entity ${JSON.stringify(entity)}`);
    }
    return item;
  });
}

export interface Counts {
  /** Labelled spans. */
  gold: number;
  /** Predicted spans. */
  predicted: number;
  /** Labelled spans found (exactly, or overlapping a prediction of the same type). */
  goldFound: number;
  /** Predictions that are right (exactly, or overlapping a label of the same type). */
  predictedRight: number;
}

export interface Scores {
  precision: number;
  recall: number;
  f1: number;
}

export function scores(counts: Counts): Scores {
  const precision = counts.predicted === 0 ? 1 : counts.predictedRight / counts.predicted;
  const recall = counts.gold === 0 ? 1 : counts.goldFound / counts.gold;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

export interface Evaluation {
  /** Per type: exact-span and overlap counts. */
  byType: Map<EntityType, { exact: Counts; overlap: Counts }>;
  exact: Counts;
  overlap: Counts;
}

const empty = (): Counts => ({ gold: 0, predicted: 0, goldFound: 0, predictedRight: 0 });

function add(into: Counts, from: Counts): void {
  into.gold += from.gold;
  into.predicted += from.predicted;
  into.goldFound += from.goldFound;
  into.predictedRight += from.predictedRight;
}

const same = (a: EntitySpan, b: EntitySpan): boolean =>
  a.type === b.type && a.start === b.start && a.end === b.end;
const overlaps = (a: EntitySpan, b: EntitySpan): boolean =>
  a.type === b.type && a.start < b.end && b.start < a.end;

/** Scores predictions against labels, item by item. */
export function evaluate(items: readonly LabelledText[], predictions: readonly EntitySpan[][]): Evaluation {
  const byType = new Map<EntityType, { exact: Counts; overlap: Counts }>();
  const exact = empty();
  const overlap = empty();
  items.forEach((item, i) => {
    const predicted = predictions[i] ?? [];
    for (const type of new Set([...item.entities, ...predicted].map((e) => e.type))) {
      const gold = item.entities.filter((e) => e.type === type);
      const mine = predicted.filter((e) => e.type === type);
      const entry = byType.get(type) ?? { exact: empty(), overlap: empty() };
      byType.set(type, entry);
      const exactCounts: Counts = {
        gold: gold.length,
        predicted: mine.length,
        goldFound: gold.filter((g) => mine.some((p) => same(g, p))).length,
        predictedRight: mine.filter((p) => gold.some((g) => same(g, p))).length,
      };
      const overlapCounts: Counts = {
        gold: gold.length,
        predicted: mine.length,
        goldFound: gold.filter((g) => mine.some((p) => overlaps(g, p))).length,
        predictedRight: mine.filter((p) => gold.some((g) => overlaps(g, p))).length,
      };
      add(entry.exact, exactCounts);
      add(entry.overlap, overlapCounts);
      add(exact, exactCounts);
      add(overlap, overlapCounts);
    }
  });
  return { byType, exact, overlap };
}
