import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { writeUploadFolder } from '../testing/upload-folders';
import { removeStaleUploads, STALE_UPLOAD_MS, withTempFile } from './temp-upload';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'temp-upload-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const folder = (name: string, ageMs: number) => writeUploadFolder(dir, name, ageMs);

describe('uploads in the temp folder', () => {
  test('an upload is a private file under its safe name while it runs, and gone after, even when the run fails', async () => {
    let seen = '';
    await expect(
      withTempFile(join(dir, 'tmp'), '../../etc/day 1.csv', 'patient_id\nA001\n', async (path) => {
        seen = path;
        expect(path.endsWith('day 1.csv')).toBe(true);
        expect(readdirSync(join(dir, 'tmp'))).toEqual([expect.stringMatching(/^upload-[0-9a-f]{16}$/)]);
        if (process.platform !== 'win32') expect((statSync(path).mode & 0o777).toString(8)).toBe('600');
        throw new Error('the batch failed');
      }),
    ).rejects.toThrow('the batch failed');
    expect(seen).not.toBe('');
    expect(existsSync(seen)).toBe(false);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
  });

  test('only upload folders older than an hour are removed: not a younger one, nor anything else', () => {
    const stale = STALE_UPLOAD_MS + 60_000;
    folder('upload-00000000000000aa', stale);
    // Named as before the prefix.
    folder('00000000000000cc', stale);
    folder('upload-00000000000000bb', STALE_UPLOAD_MS - 60_000);
    folder('export-00000000000000dd', stale);
    folder('notes', stale);
    expect(removeStaleUploads(dir, Date.now())).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(['export-00000000000000dd', 'notes', 'upload-00000000000000bb']);
    expect(removeStaleUploads(join(dir, 'missing'), Date.now())).toBe(0);
  });
});
