/**
 * The GLUCOSCREEN_* variables main and the core process read are development and test overrides: where the data and
 * the model are, DevTools, a folder of native modules built for Electron, the training CSV. A packaged app ignores
 * every one of them and passes none of the caller's GLUCOSCREEN_* variables on to its core process, so that an
 * installed app cannot be pointed at another database, model, key or native module, nor opened to DevTools, by
 * setting a variable. Pure (no Electron import), so a plain test covers both cases.
 */
export const DEVELOPMENT_ONLY_VARIABLES = [
  'GLUCOSCREEN_DATA_DIR',
  'GLUCOSCREEN_MODEL_DIR',
  'GLUCOSCREEN_DEVTOOLS',
  'GLUCOSCREEN_NATIVE_MODULES',
  'GLUCOSCREEN_TRAINING_DATA',
] as const;

const PREFIX = 'GLUCOSCREEN_';

export interface LaunchSettings {
  dataDir: string;
  modelDir: string;
  devTools: boolean;
}

export interface LaunchDefaults {
  /** Electron's app.isPackaged. */
  isPackaged: boolean;
  /** app.getPath('userData'). */
  userDataDir: string;
  /** The committed production model: in resources/ when packaged, in the repository when run from source. */
  embeddedModelDir: string;
}

/** Where the app keeps its data and model, and whether DevTools may open: the overrides only when not packaged. */
export function launchSettings(env: NodeJS.ProcessEnv, defaults: LaunchDefaults): LaunchSettings {
  const dev = !defaults.isPackaged;
  return {
    dataDir: (dev && env.GLUCOSCREEN_DATA_DIR) || defaults.userDataDir,
    modelDir: (dev && env.GLUCOSCREEN_MODEL_DIR) || defaults.embeddedModelDir,
    devTools: dev && env.GLUCOSCREEN_DEVTOOLS === '1',
  };
}

/**
 * The core process's environment: main's, less every GLUCOSCREEN_* variable when packaged, plus the folders main
 * chose and what main hands over itself (`own`, such as the sealed audit keys).
 */
export function coreProcessEnv(
  env: NodeJS.ProcessEnv,
  isPackaged: boolean,
  settings: LaunchSettings,
  own: Record<string, string>,
): Record<string, string> {
  const inherited: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || (isPackaged && name.startsWith(PREFIX))) continue;
    inherited[name] = value;
  }
  return { ...inherited, GLUCOSCREEN_DATA_DIR: settings.dataDir, GLUCOSCREEN_MODEL_DIR: settings.modelDir, ...own };
}
