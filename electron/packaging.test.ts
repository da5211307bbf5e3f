import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import { build } from 'esbuild';
import { load } from 'js-yaml';
import { afterAll, describe, expect, test } from 'vitest';
import { testModelDir } from '../core/app/test-support/test-app';
import { CLI_ENTRIES } from '../scripts/build-cli';
import { buildElectron, NODE_BUNDLE_OPTIONS, WORKER_BUNDLES } from './build';

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

describe('the Electron bundle', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'glucoscreen-electron-build-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  test("holds the CLI's worker entries beside the core process, and a bundle there starts every thread", async () => {
    const out = join(scratch, 'dist');
    await buildElectron(out);
    expect(WORKER_BUNDLES).toEqual(Object.keys(CLI_ENTRIES.workers).map((name) => `${name}.cjs`));
    for (const file of ['main.cjs', 'core-process.cjs', 'preload.cjs', ...WORKER_BUNDLES]) {
      expect(statSync(join(out, file)).size, file).toBeGreaterThan(0);
    }
    // The native modules stay external in the workers too (loaded from app.asar.unpacked).
    expect(readFileSync(join(out, 'batch-writer-worker.cjs'), 'utf8')).toContain('require("better-sqlite3")');
    expect(readFileSync(join(out, 'score-worker.cjs'), 'utf8')).toContain('require("onnxruntime-node")');
    // A CommonJS bundle built as the core process is, in the same folder, starting the parse, score and store
    // threads as the core process does for a big import: each finds its entry beside it.
    const { dir: modelDir } = await testModelDir(scratch);
    await build({
      ...NODE_BUNDLE_OPTIONS,
      sourcemap: false,
      stdin: {
        contents: `
          import { MODEL_FEATURES } from './core/schema/columns';
          import { loadScreeningModel } from './core/screening/load-model';
          import { createScreeningThreads } from './core/screening/threading-plan';
          void (async () => {
            const model = await loadScreeningModel(${JSON.stringify(modelDir)});
            const settings = { parseThread: true, scoreThread: true, storeThread: true, threadMinBytes: 0, onnxThreads: 1 };
            const threads = createScreeningThreads(settings, ${JSON.stringify(join(scratch, 'probe.db'))});
            const used = await threads.forFile(model, 1);
            const scores = new Float64Array(1);
            await used.model.scorer.scoreInto(new Float32Array(MODEL_FEATURES.length), 1, scores);
            const scored = used.model !== model && scores[0] > 0 && scores[0] < 1;
            console.log(JSON.stringify({ parse: !!used.parseHost, store: !!used.writerHost, scored }));
            await threads.close();
            await model.scorer.release();
          })();`,
        resolveDir: resolve(import.meta.dirname, '..'),
        loader: 'ts',
      },
      outfile: join(out, 'probe.cjs'),
    });
    // The native modules from this checkout's node_modules, as the packaged app has them beside its bundles.
    const env = { ...process.env, NODE_PATH: resolve(import.meta.dirname, '../node_modules') };
    const probe = spawnSync(process.execPath, [join(out, 'probe.cjs')], { encoding: 'utf8', timeout: 60_000, env });
    expect(probe.stderr).toBe('');
    expect(JSON.parse(probe.stdout)).toEqual({ parse: true, store: true, scored: true });
  }, 120_000);
});
