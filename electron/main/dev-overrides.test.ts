import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { coreProcessEnv, DEVELOPMENT_ONLY_VARIABLES, launchSettings } from './dev-overrides';
import { webPreferences } from './window-security';

const OVERRIDES = {
  GLUCOSCREEN_DATA_DIR: '/elsewhere/data',
  GLUCOSCREEN_MODEL_DIR: '/elsewhere/model',
  GLUCOSCREEN_DEVTOOLS: '1',
  GLUCOSCREEN_NATIVE_MODULES: '/elsewhere/native',
  GLUCOSCREEN_TRAINING_DATA: '/elsewhere/diabetes.csv',
  GLUCOSCREEN_AUDIT_KEYS: 'forged-keyring',
  GLUCOSCREEN_TEST_FAULTS: '1',
  PATH: '/usr/bin',
};
const DEFAULTS = { userDataDir: '/home/u/.config/Glucoscreen', embeddedModelDir: '/opt/Glucoscreen/resources/models' };

describe('GLUCOSCREEN_* development overrides', () => {
  test('from source, the overrides choose the data, the model and DevTools, and reach the core process', () => {
    const settings = launchSettings(OVERRIDES, { ...DEFAULTS, isPackaged: false });
    expect(settings).toEqual({ dataDir: '/elsewhere/data', modelDir: '/elsewhere/model', devTools: true });
    const env = coreProcessEnv(OVERRIDES, false, settings, { GLUCOSCREEN_AUDIT_KEYS: 'sealed' });
    expect(env).toMatchObject({
      GLUCOSCREEN_DATA_DIR: '/elsewhere/data',
      GLUCOSCREEN_MODEL_DIR: '/elsewhere/model',
      GLUCOSCREEN_NATIVE_MODULES: '/elsewhere/native',
      GLUCOSCREEN_TRAINING_DATA: '/elsewhere/diabetes.csv',
      GLUCOSCREEN_AUDIT_KEYS: 'sealed',
      PATH: '/usr/bin',
    });
    expect(webPreferences('/p.cjs', settings.devTools).devTools).toBe(true);
  });

  test('packaged, every override is ignored and no GLUCOSCREEN_* variable of the caller reaches the core process', () => {
    const settings = launchSettings(OVERRIDES, { ...DEFAULTS, isPackaged: true });
    expect(settings).toEqual({ dataDir: DEFAULTS.userDataDir, modelDir: DEFAULTS.embeddedModelDir, devTools: false });
    const env = coreProcessEnv(OVERRIDES, true, settings, { GLUCOSCREEN_AUDIT_KEYS: 'sealed' });
    expect(env).toEqual({
      PATH: '/usr/bin',
      GLUCOSCREEN_DATA_DIR: DEFAULTS.userDataDir,
      GLUCOSCREEN_MODEL_DIR: DEFAULTS.embeddedModelDir,
      GLUCOSCREEN_AUDIT_KEYS: 'sealed',
    });
    // Without a sealed key, a forged keyring from the environment still does not get through.
    expect(coreProcessEnv(OVERRIDES, true, settings, {}).GLUCOSCREEN_AUDIT_KEYS).toBeUndefined();
    expect(webPreferences('/p.cjs', settings.devTools).devTools).toBe(false);
  });

  test('without overrides, the defaults; DevTools stay closed unless the value is exactly 1', () => {
    expect(launchSettings({ GLUCOSCREEN_DEVTOOLS: 'true' }, { ...DEFAULTS, isPackaged: false })).toEqual({
      dataDir: DEFAULTS.userDataDir,
      modelDir: DEFAULTS.embeddedModelDir,
      devTools: false,
    });
    expect(webPreferences('/p.cjs').devTools).toBe(false);
  });

  test('every GLUCOSCREEN_* variable electron/ reads is listed as development-only, and read only through the list', () => {
    const dir = resolve(import.meta.dirname);
    const read = new Set<string>();
    for (const file of ['index.ts', 'core-process.ts', 'native-modules.ts', 'window-security.ts']) {
      const text = readFileSync(resolve(dir, file), 'utf8');
      for (const m of text.matchAll(/process\.env\.(GLUCOSCREEN_\w+)/g)) read.add(m[1]);
    }
    // The core process reads what main set for it (its data and model folders) and the development-only rest.
    for (const name of read) expect(DEVELOPMENT_ONLY_VARIABLES as readonly string[]).toContain(name);
    expect(readFileSync(resolve(dir, 'window-security.ts'), 'utf8')).not.toMatch(/process\.env/);
  });
});
