/**
 * The follow-up store's queries on a clinic's history: `weeks` batches of the same `rows` patients (sampleChunk's
 * scores: 70 % recommended), 500 of them assigned to one clinician with a few steps recorded. Prints the median of
 * several runs of: the navigation counts, My follow-ups, Overdue (everyone's), and the risk-rose lookup of a
 * 200-row worklist page (the renderer's page size).
 *
 *   npm run bench:follow-up -- [rows=20000] [weeks=4] [runs=5]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { riskRiseOf } from '../../core/app/follow-up/risk-rise-marker';
import { openStore } from '../../core/store/sqlite-store';
import { SAMPLE_BATCH_META, SAMPLE_BATCH_SUMMARY, sampleChunk } from '../../core/testing/sample-batch';

const rows = Number(process.argv[2] ?? 20_000);
const weeks = Number(process.argv[3] ?? 4);
const runs = Number(process.argv[4] ?? 5);
const DAY = 86_400_000;

const dir = mkdtempSync(join(tmpdir(), 'bench-follow-up-'));
const store = openStore(join(dir, 'glucoscreen.db'), { auditKeyring: null });
try {
  const start = Date.parse('2026-09-01T08:00:00Z');
  const batchIds: number[] = [];
  for (let w = 0; w < weeks; w++) {
    const writer = store.batches.begin({
      ...SAMPLE_BATCH_META,
      fileName: `week${w}.csv`,
      fileSha256: String(w).padStart(64, '0'),
      predictionDate: new Date(start + w * 7 * DAY).toISOString(),
    });
    for (let s = 0; s < rows; s += 10_000) writer.addPredictions(sampleChunk(s, Math.min(10_000, rows - s)));
    batchIds.push(writer.commit({ ...SAMPLE_BATCH_SUMMARY, rowsRead: rows, rowsRejected: 0 }).id);
  }
  const last = batchIds[batchIds.length - 1];
  store.transaction(() => {
    for (let i = 0; i < 500; i++) {
      const patientId = `P${i * 7 + 30}`;
      store.followUps.assign({ patientId, assignee: 'nurse', assignedBy: 'admin' });
      if (i % 3 === 0)
        store.followUps.addEvent({
          patientId,
          batchId: last,
          rowIndex: i * 7 + 30,
          status: 'contacted',
          note: '',
          correction: false,
          actor: 'nurse',
        });
    }
  });

  // "Now" is 10 days after the last batch; overdue after 30 days (the default).
  const cutoff = new Date(start + (weeks - 1) * 7 * DAY + 10 * DAY - 30 * DAY).toISOString();
  const time = (run: () => unknown) => {
    const samples: number[] = [];
    let result: unknown;
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      result = run();
      samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    return { ms: samples[samples.length >> 1], result };
  };
  const page = Array.from({ length: 200 }, (_, i) => i);
  const lines: [string, { ms: number; result: unknown }][] = [
    [
      'counts (mine + overdue, 500 assigned)',
      time(() => [
        store.followUps.list({ assignee: 'nurse', limit: 0 }).total,
        store.followUps.list({ assignee: 'nurse', recommendedBefore: cutoff, limit: 0 }).total,
      ]),
    ],
    ['My follow-ups (500 assigned)', time(() => store.followUps.list({ assignee: 'nurse', limit: 500 }).total)],
    ['Overdue, every clinician', time(() => store.followUps.list({ recommendedBefore: cutoff, limit: 500 }).total)],
    [
      'risk-rose lookup, 200-row page',
      time(() => {
        const chunk = sampleChunk(0, 200);
        return page.filter((i) =>
          riskRiseOf(store, last, {
            patientId: chunk.table.ids[i],
            score: chunk.scores[i],
            category: chunk.categories[i],
          }),
        ).length;
      }),
    ],
  ];
  console.log(`follow-up queries: ${weeks} batches x ${rows} patients, median of ${runs} runs`);
  for (const [name, { ms, result }] of lines)
    console.log(`  ${name.padEnd(40)} ${ms.toFixed(1).padStart(9)} ms  (${JSON.stringify(result)})`);
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
