import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
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

  test("unpacks the native modules from asar and rebuilds them for Electron's ABI", () => {
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['**/node_modules/better-sqlite3/**', '**/node_modules/onnxruntime-node/**']),
    );
    expect(config.npmRebuild).toBe(true);
    // From prebuilt Electron binaries where they exist; never a source build that the release runner may not manage.
    expect(config.buildDependenciesFromSource).toBe(false);
  });

  test('has an icon for every platform, and the fuses hook', () => {
    const dir = resolve(ROOT, (config.directories as { buildResources: string }).buildResources);
    for (const [platform, file] of [
      ['linux', 'icon.png'],
      ['win', 'icon.ico'],
      ['mac', 'icon.icns'],
    ] as const) {
      expect((config[platform] as { icon: string }).icon).toBe(file);
      expect(statSync(join(dir, file)).size).toBeGreaterThan(1000);
    }
    const png = readFileSync(join(dir, 'icon.png'));
    // electron-builder wants at least 512x512 (macOS 1024x1024): the PNG header's width and height.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024]);
    expect(readFileSync(join(dir, 'icon.icns')).subarray(0, 4).toString('latin1')).toBe('icns');
    expect(existsSync(resolve(ROOT, config.afterPack as string))).toBe(true);
  });

  test('the fuses hook finds the executable electron-builder wrote on each platform', async () => {
    const { executablePath } = await import('./packaging/after-pack.cjs');
    const packager = { appInfo: { productFilename: 'Glucoscreen' }, executableName: 'glucoscreen' };
    const at = (electronPlatformName: string) => executablePath({ electronPlatformName, appOutDir: '/out', packager });
    expect([at('linux'), at('win32'), at('darwin')]).toEqual([
      '/out/glucoscreen',
      '/out/Glucoscreen.exe',
      '/out/Glucoscreen.app',
    ]);
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
