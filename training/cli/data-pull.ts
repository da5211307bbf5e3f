/**
 * npm run data:pull: copies the training data named in training/data.manifest.json from the local data
 * remote (default ../shared/data/diabetes.csv, relative to the repository root) into training/data/ and
 * checks its sha256, rows and columns. Options: --remote <path> overrides the manifest's remote.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runMain } from '../../core/cli/run-main';
import { csvShape, DATA_DIR, readManifest, resolveFromRoot, sha256File } from '../data-prep/data-manifest';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { remote: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    process.stdout.write('usage: data-pull [--remote <path to the data remote file>]\n');
    return 0;
  }
  const manifest = readManifest();
  const source = resolveFromRoot(values.remote ?? manifest.remote);
  if (!existsSync(source)) {
    process.stderr.write(`data:pull: remote file not found: ${source}\n`);
    return 2;
  }
  const actual = await sha256File(source);
  if (actual !== manifest.sha256) {
    process.stderr.write(
      `data:pull: ${source} has sha256 ${actual}, the manifest expects ${manifest.sha256}; not copied. ` +
        'If the data changed on purpose, train with --accept-data-hash and update training/data.manifest.json.\n',
    );
    return 3;
  }
  mkdirSync(DATA_DIR, { recursive: true });
  const target = join(DATA_DIR, manifest.file);
  const tmp = `${target}.partial`;
  copyFileSync(source, tmp);
  const copied = await sha256File(tmp);
  if (copied !== manifest.sha256) {
    process.stderr.write(`data:pull: the copy's sha256 ${copied} differs from the source; removed.\n`);
    return 4;
  }
  renameSync(tmp, target);
  const shape = csvShape(target);
  const problems: string[] = [];
  if (shape.rows !== manifest.rows) problems.push(`${shape.rows} rows, manifest says ${manifest.rows}`);
  if (shape.columns.join(',') !== manifest.columns.join(',')) problems.push('columns differ from the manifest');
  if (problems.length > 0) {
    process.stderr.write(`data:pull: ${problems.join('; ')}\n`);
    return 5;
  }
  process.stdout.write(
    `data:pull: ${manifest.file} (${shape.rows} rows, sha256 ${actual.slice(0, 12)}...) -> ${target}\n`,
  );
  return 0;
}

runMain('data:pull', main);
