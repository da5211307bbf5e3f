/**
 * npm run drift -- --current file.csv [--config C] [--model-dir DIR] [--json report.json]
 * Tests a batch file against the production model's reference sample, on its own (read-only: nothing is stored).
 * Exit codes: 0 no dataset drift, 1 dataset drift (or the file is rejected), 2 error.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config/app-config';
import { detectDrift } from '../drift/detect-drift';
import { driftColumnsOf } from '../drift/drift-columns';
import { driftSummaryLines } from '../drift/drift-summary';
import { ingestCsvFile } from '../ingest/csv-ingest';
import { describeReport } from '../ingest/validation-report';
import { loadBundle } from '../registry/bundle';
import { toDriftConfig } from '../screening/drift-observer';
import { trainingRangeOf } from '../screening/training-range';
import { CliUsageError, EXIT_CODES, parseCliArgs, runCli } from './cli-context';
import { runMain } from './run-main';

const USAGE =
  'usage: npm run drift -- --current FILE.csv [--config CONFIG.json] [--model-dir DIR] [--json REPORT.json]';

export async function main(argv: string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {
  return runCli(USAGE, async () => {
    const args = parseCliArgs(argv, { current: { type: 'string' } });
    if (args.help) {
      out(USAGE);
      return EXIT_CODES.done;
    }
    if (!args.current) throw new CliUsageError('--current is required');
    const config = loadConfig(args.config);
    const bundle = await loadBundle(args['model-dir'] ? resolve(args['model-dir']) : config.paths.modelDir);
    const ingest = await ingestCsvFile(args.current, {
      mode: 'batch',
      trainingRange: trainingRangeOf(bundle.reference.columns),
      units: config.units,
      maxLineLength: config.ingest.maxLineLength,
    });
    if (!ingest.ok) {
      for (const line of describeReport(ingest.report)) process.stderr.write(`${line}\n`);
      return EXIT_CODES.flagged;
    }
    // A file in another unit would drift (or not) for the wrong reason: say what screening would say, and stop.
    if (ingest.report.hold) {
      process.stderr.write(`${ingest.report.file} held, not tested: ${ingest.report.hold.message}\n`);
      return EXIT_CODES.flagged;
    }
    if (ingest.report.rowsRejected > 0) {
      process.stderr.write(
        `${ingest.report.rowsRejected} rows rejected by validation are left out of the drift test\n`,
      );
    }
    const report = detectDrift(
      bundle.reference,
      driftColumnsOf(bundle.preprocess, ingest.table),
      toDriftConfig(config.drift),
    );
    if (args.json) writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
    out(`model ${bundle.metadata.version}; current file ${ingest.report.file}`);
    for (const line of driftSummaryLines(report)) out(line);
    return report.datasetDrift.drifted ? EXIT_CODES.flagged : EXIT_CODES.done;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) runMain('drift', () => main(process.argv.slice(2)));
