import type { AppConfig } from '../config/app-config';
import { type LoadedScreeningModel, loadScreeningModel } from '../screening/load-model';
import { findModelDir, modelsRootOf, VerifyError, verifyBatch } from '../screening/verify-batch';
import type { Store } from '../store/store';

/**
 * --verify BATCH_ID: re-scores a stored batch and reports whether the outputs are identical (0) or not (1).
 * `loaded` receives the model so that the caller releases it.
 */
export async function verifyCommand(
  store: Store,
  config: AppConfig,
  arg: string,
  out: (line: string) => void,
  loaded: (model: LoadedScreeningModel) => void,
): Promise<number> {
  const id = Number(arg);
  if (!Number.isInteger(id) || id <= 0) throw new VerifyError(`--verify needs a batch id, got "${arg}"`);
  const batch = store.batches.get(id);
  if (!batch) throw new VerifyError(`batch ${id} does not exist`);
  if (!batch.modelVersion) throw new VerifyError(`batch ${id} records no model version`);
  const dir = findModelDir(batch.modelVersion, batch.modelDir, modelsRootOf(config.paths.modelDir));
  if (!dir) throw new VerifyError(`model ${batch.modelVersion} of batch ${id} is not installed any more`);
  const model = await loadScreeningModel(dir, { intraOpNumThreads: config.screening.onnxThreads });
  loaded(model);
  let result = await verifyBatch(store, id, model);
  let onnxThreads = config.screening.onnxThreads;
  if (!result.ok && onnxThreads === 1) {
    // Batches scored before onnxThreads defaulted to 1 were scored with 2 intra-op threads, whose sums differ
    // in the last bits (core/inference/onnx-session.ts): reproduce them with that setting before reporting.
    const asBefore = await loadScreeningModel(dir, { intraOpNumThreads: 2 });
    const again = await verifyBatch(store, id, asBefore).finally(() => asBefore.scorer.release());
    if (again.ok) {
      result = again;
      onnxThreads = 2;
    }
  }
  store.audit.append({
    actor: config.screening.actor,
    action: 'batch.verified',
    subject: `batch:${id}`,
    details: { ok: result.ok, rows: result.rows, mismatches: result.mismatchCount, onnxThreads },
  });
  out(
    `batch ${id}: re-scored ${result.rows} rows with ${result.modelVersion}: ${
      result.ok ? 'identical outputs' : `${result.mismatchCount} differing rows`
    }${onnxThreads === config.screening.onnxThreads ? '' : ` (with ${onnxThreads} ONNX Runtime threads, as scored)`}; output sha256 ${result.outputSha256.identical ? 'identical' : 'DIFFERS'}`,
  );
  for (const m of result.mismatches) out(`  row ${m.rowIndex} (${m.patientId}): stored ${m.stored}, now ${m.rescored}`);
  return result.ok ? 0 : 1;
}
