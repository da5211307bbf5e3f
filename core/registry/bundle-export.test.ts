import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeTestBundle } from '../testing/test-bundle';
import { loadBundle } from './bundle';
import { EXPORT_FORMAT, exportBundle, importBundle } from './bundle-export';

let root: string;
let exported: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'glucoscreen-export-'));
  await writeTestBundle(join(root, 'source'), 'v2.1.0');
  exported = (await exportBundle(join(root, 'source'))).text;
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

interface ExportDoc {
  format: string;
  manifest: { version: string; files: { name: string; size: number; sha256: string }[] };
  manifestSha256: string;
  contents: Record<string, string>;
}

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** What a forger who knows the format would do after changing the manifest. */
function reseal(doc: ExportDoc): void {
  doc.manifestSha256 = sha256(JSON.stringify(doc.manifest));
}

/** The export document with `edit` applied, as text again. */
function edited(edit: (doc: ExportDoc) => void): string {
  const doc = JSON.parse(exported);
  edit(doc);
  return JSON.stringify(doc);
}

const target = () => mkdtempSync(join(root, 'experiments-'));
const folder = (v: string) => `imported-${v}`;

describe('model bundle export and import', () => {
  test('round trip: the imported bundle has every file byte for byte and loads', async () => {
    const experiments = target();
    const { version, dir } = await importBundle('m.json', exported, experiments, folder);
    expect(version).toBe('v2.1.0');
    expect(readdirSync(experiments)).toEqual(['imported-v2.1.0']);
    for (const name of readdirSync(join(root, 'source')))
      expect(readFileSync(join(dir, name)).equals(readFileSync(join(root, 'source', name))), name).toBe(true);
    expect((await loadBundle(dir)).metadata.version).toBe('v2.1.0');
    const doc = JSON.parse(exported) as ExportDoc;
    expect(doc.format).toBe(EXPORT_FORMAT);
    expect(doc.manifest.files.map((f) => f.name)).toEqual(readdirSync(join(root, 'source')).sort());
  });

  test('one byte flipped in the model file is refused, naming the file, and nothing is left behind', async () => {
    const text = edited((doc) => {
      const bytes = Buffer.from(doc.contents['model.onnx'], 'base64');
      bytes[bytes.length >> 1] ^= 0x01;
      doc.contents['model.onnx'] = bytes.toString('base64');
    });
    const experiments = target();
    await expect(importBundle('m.json', text, experiments, folder)).rejects.toThrow(
      /^model\.onnx: sha256 [0-9a-f]{64} \(\d+ bytes\) does not match the manifest's [0-9a-f]{64}.*the file was changed$/,
    );
    expect(readdirSync(experiments)).toEqual([]);
  });

  test('an edited manifest is refused', async () => {
    const text = edited((doc) => {
      doc.manifest.version = 'v9.9.9';
    });
    await expect(importBundle('m.json', text, target(), folder)).rejects.toThrow(
      'm.json: the manifest does not match its sha256 (the manifest was changed)',
    );
  });

  test("a file and its manifest entry changed together still fail the bundle's own hashes", async () => {
    const text = edited((doc) => {
      const changed = Buffer.from(JSON.stringify({ rowCount: 1 }));
      doc.contents['reference.json'] = changed.toString('base64');
      const entry = doc.manifest.files.find((f) => f.name === 'reference.json');
      if (!entry) throw new Error('reference.json is not in the manifest');
      entry.size = changed.length;
      entry.sha256 = sha256(changed);
      reseal(doc);
    });
    const experiments = target();
    await expect(importBundle('m.json', text, experiments, folder)).rejects.toThrow(
      /^reference\.json: model bundle reference\.json: sha256 .* does not match .* recorded in metadata\.json/,
    );
    expect(readdirSync(experiments)).toEqual([]);
  });

  test('an extra file is refused, naming it', async () => {
    const text = edited((doc) => {
      doc.contents['run.sh'] = Buffer.from('rm -rf /').toString('base64');
    });
    await expect(importBundle('m.json', text, target(), folder)).rejects.toThrow(
      'run.sh: is in the export but not in its manifest (an extra file)',
    );
  });

  test('a missing file, a path in a name, and a file that is not an export are refused', async () => {
    const missing = edited((doc) => {
      delete doc.contents['trees.json'];
    });
    await expect(importBundle('m.json', missing, target(), folder)).rejects.toThrow(
      'trees.json: is in the manifest but not in the export',
    );
    const escaping = edited((doc) => {
      doc.manifest.files[0].name = '../evil.json';
      reseal(doc);
    });
    await expect(importBundle('m.json', escaping, target(), folder)).rejects.toThrow(/not allowed/);
    await expect(importBundle('x.csv', 'patient_id,Glucose\n', target(), folder)).rejects.toThrow(
      /^x\.csv: is not a model export \(not JSON/,
    );
  });

  test('a version whose folder exists already is refused and the existing folder is untouched', async () => {
    const experiments = target();
    await importBundle('m.json', exported, experiments, folder);
    await expect(importBundle('m.json', exported, experiments, folder)).rejects.toThrow(/already exists/);
    expect(readdirSync(experiments)).toEqual(['imported-v2.1.0']);
  });
});
