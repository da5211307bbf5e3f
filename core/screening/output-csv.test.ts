import { describe, expect, test } from 'vitest';
import type { RiskCategory } from '../api/outputs';
import type { PatientTable } from '../table/patient-table';
import { seededRandom } from '../util/seeded-random';
import { encodeOutputRows, formatReviewRows, formatScore, REC_SCORE_BYTES, safeCell } from './output-csv';

/** The plain string formatting of the output lines: the oracle the byte encoder is checked against. */
function formatOutputRows(
  ids: readonly string[],
  recommendations: ArrayLike<number>,
  scores: ArrayLike<number>,
  categories: readonly RiskCategory[],
  rowCount: number,
  modelVersion: string,
  predictionDate: string,
): string {
  let text = '';
  for (let i = 0; i < rowCount; i++) {
    const score = formatScore(scores[i]);
    text += `${safeCell(ids[i])},${recommendations[i] ? 1 : 0},${score},${categories[i]},${safeCell(modelVersion)},${safeCell(predictionDate)}\n`;
  }
  return text;
}

const encodedText = (...args: Parameters<typeof encodeOutputRows>) => encodeOutputRows(...args).toString('utf8');

describe('output CSV', () => {
  test('formatScore equals toFixed(3) on a million float32 scores, on every table entry and on the ties', () => {
    const f = new Float32Array(1);
    const differing: number[] = [];
    const random = seededRandom(12345);
    for (let i = 0; i < 1_000_000; i++) {
      f[0] = random();
      if (formatScore(f[0]) !== f[0].toFixed(3)) differing.push(f[0]);
    }
    for (let k = 0; k <= 1000; k++) {
      for (const v of [k / 1000, (k + 0.5) / 1000, Math.fround(k / 1000), Math.fround((k + 0.5) / 1000)]) {
        if (formatScore(v) !== v.toFixed(3)) differing.push(v);
      }
    }
    for (const v of [0.0625, 0.1875, 0.9375, 0, 1]) if (formatScore(v) !== v.toFixed(3)) differing.push(v);
    expect(differing).toEqual([]);
    expect(formatScore(0.6905)).toBe('0.691');
  });

  test('the byte table holds ",<rec>,<score>," for every recommendation and table score, as toFixed(3) writes it', () => {
    const entries = Buffer.from(REC_SCORE_BYTES).toString('latin1').match(/.{9}/g) ?? [];
    expect(entries).toEqual(
      [0, 1].flatMap((rec) => Array.from({ length: 1001 }, (_, k) => `,${rec},${(k / 1000).toFixed(3)},`)),
    );
  });

  test('cells that a spreadsheet would run as a formula are neutralised; separators are quoted', () => {
    expect(['=1+2', '+1', '-1', '@SUM(A1)', '\tx', '\rx'].map(safeCell)).toEqual([
      "'=1+2",
      "'+1",
      "'-1",
      "'@SUM(A1)",
      "'\tx",
      '"\'\rx"',
    ]);
    expect(safeCell('a,b')).toBe('"a,b"');
    expect(safeCell('say "hi"')).toBe('"say ""hi"""');
    expect(safeCell('P0001')).toBe('P0001');
  });

  test('chunk rows equal a plain row-by-row rendering of the same values', () => {
    const n = 5000;
    const ids = Array.from({ length: n }, (_, i) => (i % 97 === 0 ? `=X${i}` : i % 89 === 0 ? `a,"${i}"` : `P${i}`));
    const scores = Float64Array.from({ length: n }, (_, i) =>
      i === 7 ? 0.0625 : Math.fround(((i * 7919) % 10007) / 10007),
    );
    const recs = Uint8Array.from(scores, (s) => (s >= 0.4 ? 1 : 0));
    const cats = Array.from(scores, (s): RiskCategory => (s >= 0.6 ? 'High' : s >= 0.35 ? 'Medium' : 'Low'));
    const expected = ids
      .map((id, i) => `${safeCell(id)},${recs[i]},${scores[i].toFixed(3)},${cats[i]},v1.2.3,2026-11-26T00:00:00.000Z\n`)
      .join('');
    expect(encodedText(ids, recs, scores, cats, n, 'v1.2.3', '2026-11-26T00:00:00.000Z')).toBe(expected);
  });

  test('rows follow the reference example', () => {
    const text = encodedText(['P0001'], [1], [0.6905], ['High'], 1, 'v1.0.0', '2026-11-08T19:06:49.819Z');
    expect(text).toBe('P0001,1,0.691,High,v1.0.0,2026-11-08T19:06:49.819Z\n');
  });

  test('the byte encoder writes exactly the UTF-8 of the text formatter', () => {
    const random = seededRandom(99);
    const pool = [
      'P0001',
      '=HYPERLINK("x")',
      '+44',
      '-7',
      '@a',
      '\tP',
      'P,1',
      'P"2',
      'Pé3',
      '数字',
      'P\n4',
      '',
      'x'.repeat(64),
    ];
    const n = 20_000;
    const ids = Array.from({ length: n }, (_, i) =>
      random() < 0.7 ? `P${i}` : pool[Math.floor(random() * pool.length)],
    );
    const scores = Float64Array.from({ length: n }, (_, i) =>
      i % 10 === 0 ? (Math.floor(random() * 1000) + 0.5) / 1000 : i % 10 === 1 ? Math.fround(random()) : random(),
    );
    const recommendations = Uint8Array.from(scores, (s) => (s >= 0.3 ? 1 : 0));
    const categories: RiskCategory[] = Array.from(scores, (s) => (s >= 0.6 ? 'High' : s >= 0.3 ? 'Medium' : 'Low'));
    for (const version of ['v1.2.1', '=v2']) {
      const text = formatOutputRows(ids, recommendations, scores, categories, n, version, '2026-11-26T10:00:00.000Z');
      const bytes = encodeOutputRows(ids, recommendations, scores, categories, n, version, '2026-11-26T10:00:00.000Z');
      expect(bytes.equals(Buffer.from(text, 'utf8'))).toBe(true);
    }
  });
});

describe('formatReviewRows', () => {
  test('each borderline row in full: safe id, line, score, category, threshold and reason; the others left out', () => {
    const table = {
      rowCount: 4,
      ids: ['P1', '=cmd', 'P3', 'P4'],
      lineNumbers: Uint32Array.from([2, 3, 5, 6]),
      features: {} as PatientTable['features'],
      outcome: null,
    };
    const scores = Float64Array.from([0.42, 0.3599, 0.9, 0.4]);
    const categories: RiskCategory[] = ['Medium', 'Medium', 'High', 'Medium'];
    const { text, count } = formatReviewRows(table, scores, categories, 0.4, 0.05);
    const reason = 'score within 0.05 of the threshold 0.400: review by hand';
    expect(count).toBe(3);
    expect(text).toBe(
      [
        `P1,2,0.420,Medium,0.400,${reason}`,
        `'=cmd,3,0.360,Medium,0.400,${reason}`,
        `P4,6,0.400,Medium,0.400,${reason}`,
        '',
      ].join('\n'),
    );
  });
});
