/**
 * npm run bench:screen -- --shadow [--runs 3] [--shadow-rows 100000] [--shadow-dir DIR]
 * The same synthetic batch screened through the whole path (store and audit included) without and with a shadow
 * model, alternately, each run in a fresh process as `npm run screen` starts; then the shadow model's own scoring
 * time on the same rows (its ONNX session alone, chunk by chunk as the pipeline reads them). Prints the medians,
 * the difference, and the shadow's own time beside it. The shadow is a copy of the production bundle by default: a
 * retrained candidate has the same shape, so it costs what production costs.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createOnnxScorer } from '../../core/inference/onnx-session';
import { CsvIngest } from '../../core/ingest/csv-ingest';
import { toFloat32RowMajor } from '../../core/preprocess/model-matrix';
import { transformFeatures } from '../../core/preprocess/pipeline';
import { loadBundle } from '../../core/registry/bundle';
import { MODEL_FEATURES } from '../../core/schema/columns';
import { createShadowLoader, type ShadowLoader } from '../../core/screening/shadow-model';
import { writeSyntheticBatch } from '../../core/screening/synthetic-batch';
import type { Store } from '../../core/store/store';
import { loadPimaTable } from '../../core/testing/pima';
import { median } from '../../core/util/median';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** The shadow bundle as a registry holds a candidate: <root>/experiments/shadow, assigned in the run's store. */
function shadowRoot(): string {
  return resolve(arg('shadow-root', ''));
}

/** In a child run: the bench store assigns the copied bundle as shadow, and the loader verifies and opens it. */
export async function benchShadow(store: Store): Promise<ShadowLoader> {
  const root = shadowRoot();
  const metadata = JSON.parse(readFileSync(join(root, 'experiments/shadow/metadata.json'), 'utf8'));
  store.shadow.assign(
    { modelId: 'experiments/shadow', modelVersion: metadata.version, onnxSha256: metadata.files['model.onnx'] },
    'bench',
  );
  return createShadowLoader(store.shadow, root);
}

/** The shadow's ONNX session alone on the batch's rows, chunk by chunk as the pipeline reads them. */
async function ownScoringMs(input: string, bundleDir: string): Promise<number> {
  const bundle = await loadBundle(bundleDir);
  const scorer = await createOnnxScorer(bundle.onnxBytes, { featureCount: MODEL_FEATURES.length });
  const ingest = new CsvIngest(input, { mode: 'batch', zScoreReference: bundle.preprocess.featureStats });
  let ms = 0;
  for await (const table of ingest.chunks()) {
    const n = table.rowCount;
    const rows = toFloat32RowMajor(
      transformFeatures(bundle.preprocess, table),
      new Float32Array(n * MODEL_FEATURES.length),
    );
    const out = new Float64Array(n);
    const t = performance.now();
    await scorer.scoreInto(rows, n, out);
    ms += performance.now() - t;
  }
  await scorer.release();
  return ms;
}

export async function shadowScenario(): Promise<void> {
  const runs = Number(arg('runs', '3'));
  const rows = Number(arg('shadow-rows', '100000'));
  const source = resolve(arg('shadow-dir', 'models/production'));
  const work = mkdtempSync(join(tmpdir(), 'bench-shadow-'));
  try {
    const root = join(work, 'models');
    cpSync(source, join(root, 'experiments/shadow'), { recursive: true });
    const input = join(work, `batch_${rows}.csv`);
    writeSyntheticBatch(input, await loadPimaTable(), { rows, seed: rows });
    const run = (withShadow: boolean, r: number) => {
      const dir = join(work, `${withShadow ? 'shadow' : 'alone'}-${r}`);
      mkdirSync(dir);
      const proc = spawnSync(
        process.execPath,
        [
          '--max-semi-space-size=4',
          '--v8-pool-size=0',
          '--import',
          'tsx',
          resolve(import.meta.dirname, 'screen.ts'),
          '--child',
          '--input',
          input,
          '--work',
          dir,
          ...(withShadow ? ['--with-shadow', '--shadow-root', root] : []),
        ],
        { encoding: 'utf8', maxBuffer: 1 << 24 },
      );
      if (proc.status !== 0) throw new Error(`child failed: ${proc.stderr}`);
      rmSync(dir, { recursive: true, force: true });
      const result = JSON.parse(proc.stdout.trim().split('\n').pop() as string);
      return {
        totalMs: result.outcome.totalMs as number,
        shadowMs: result.outcome.shadowMs as number,
        stages: result.outcome as Record<string, number>,
      };
    };
    const alone: ReturnType<typeof run>[] = [];
    const shadowed: ReturnType<typeof run>[] = [];
    const own: number[] = [];
    // Alternated, so that a change in the machine's load hits both sides alike.
    for (let r = 0; r < runs; r++) {
      alone.push(run(false, r));
      shadowed.push(run(true, r));
      own.push(await ownScoringMs(input, join(root, 'experiments/shadow')));
    }
    const withShadow = shadowed.map((s) => s.totalMs);
    const aloneMs = alone.map((s) => s.totalMs);
    const difference = median(withShadow) - median(aloneMs);
    const ownMedian = median(own);
    console.log(`shadow model: a copy of ${source}`);
    console.log(`batch: ${rows.toLocaleString('en')} rows, whole path (parse to commit and audit), medians of ${runs}`);
    console.log(
      `  without a shadow  ${median(aloneMs).toFixed(0).padStart(7)} ms   (runs: ${aloneMs.map((x) => x.toFixed(0)).join(', ')})`,
    );
    console.log(
      `  with the shadow   ${median(withShadow).toFixed(0).padStart(7)} ms   (runs: ${withShadow.map((x) => x.toFixed(0)).join(', ')})`,
    );
    console.log(`  difference        ${difference.toFixed(0).padStart(7)} ms`);
    console.log(
      `  shadow's own scoring time ${ownMedian.toFixed(0)} ms (runs: ${own.map((x) => x.toFixed(0)).join(', ')})`,
    );
    console.log(
      `  shadow stage on the main thread (preprocess if needed, waiting for its scores, categories): ${median(shadowed.map((s) => s.shadowMs)).toFixed(0)} ms`,
    );
    const stageNames = Object.keys(alone[0].stages).filter((k) => k.endsWith('Ms') && k !== 'totalMs' && k !== 'cpuMs');
    const stageMedian = (side: ReturnType<typeof run>[], k: string) => median(side.map((a) => a.stages[k])).toFixed(0);
    console.log(
      `  stages, medians without / with (ms): ${stageNames.map((k) => `${k.replace(/Ms$/, '')} ${stageMedian(alone, k)} / ${stageMedian(shadowed, k)}`).join(', ')}`,
    );
    console.log(`  difference / own scoring time: ${(difference / ownMedian).toFixed(2)} (the requirement: at most 1)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
