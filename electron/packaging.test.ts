import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv from 'ajv';
import { load } from 'js-yaml';
import { describe, expect, test } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const config = load(readFileSync(resolve(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, never>;

describe('electron-builder.yml', () => {
  test('is valid against electron-builder’s own schema', () => {
    const schema = JSON.parse(readFileSync(resolve(ROOT, 'node_modules/app-builder-lib/scheme.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
    const validate = ajv.compile(schema);
    expect(validate(config), JSON.stringify(validate.errors, null, 1)).toBe(true);
  });

  test('targets AppImage + deb, nsis and dmg', () => {
    expect(config.linux).toMatchObject({ target: ['AppImage', 'deb'] });
    expect(config.win).toMatchObject({ target: ['nsis'] });
    expect(config.mac).toMatchObject({ target: ['dmg'] });
  });

  test('unpacks the native modules from asar and does not rebuild them', () => {
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['**/node_modules/better-sqlite3/**', '**/node_modules/onnxruntime-node/**']),
    );
    expect(config.npmRebuild).toBe(false);
  });

  test("each platform leaves out the other platforms' ONNX Runtime binaries", () => {
    const excluded = (platform: 'linux' | 'win' | 'mac') => (config[platform] as { files: string[] }).files.join(' ');
    expect(excluded('linux')).toContain('{darwin,win32}');
    expect(excluded('win')).toContain('{darwin,linux}');
    expect(excluded('mac')).toContain('{linux,win32}');
  });

  test('ships the bundles, the renderer and the production model, and points main at the bundle', () => {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('dist/electron/main.cjs');
    expect(config.files).toEqual(expect.arrayContaining(['dist/electron/**', 'dist/renderer/**']));
    expect(config.extraResources).toEqual(
      expect.arrayContaining([{ from: 'models/production', to: 'models/production' }]),
    );
  });
});
