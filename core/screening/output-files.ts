import { basename, dirname, join } from 'node:path';

/** Where a batch's output files go, and the hidden temporary files they are written to first. */

export function defaultOutputPath(outputDir: string, inputPath: string): string {
  const name = basename(inputPath).replace(/\.csv$/i, '');
  return join(outputDir, `predictions_${name}.csv`);
}

/** predictions_x.csv -> predictions_x_review.csv: the borderline patients for manual review. */
export function reviewPathFor(outputPath: string): string {
  return outputPath.replace(/(\.csv)?$/i, '_review.csv');
}

/** Temp files are named .<final name>.tmp-<pid>; settle-outputs.ts finishes or removes those of a dead process. */
const TEMP_MARK = '.tmp-';

export function tempPathFor(outputPath: string): string {
  return join(dirname(outputPath), `.${basename(outputPath)}${TEMP_MARK}${process.pid}`);
}
