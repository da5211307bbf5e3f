/**
 * electron-builder's afterPack hook: flips Electron's fuses in the packaged executable before it is signed, so that
 * the shipped app cannot be turned into a plain Node runtime or debugger (ELECTRON_RUN_AS_NODE, NODE_OPTIONS,
 * --inspect) and runs only the code of its own, integrity-checked app.asar. Needs @electron/fuses (installed with
 * electron-builder); without it the app is packaged unfused and this says so.
 */
const { join } = require('node:path');

/** The executable electron-builder wrote for the platform (the .app bundle on macOS). */
function executablePath(context) {
  const { electronPlatformName, appOutDir, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${name}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${name}.exe`);
  return join(appOutDir, packager.executableName);
}

exports.executablePath = executablePath;

exports.default = async function afterPack(context) {
  let fuses;
  try {
    fuses = require('@electron/fuses');
  } catch {
    console.warn('  • @electron/fuses is not installed: the packaged app keeps the default fuses');
    return;
  }
  const { flipFuses, FuseVersion, FuseV1Options } = fuses;
  const path = executablePath(context);
  await flipFuses(path, {
    version: FuseVersion.V1,
    // arm64 macOS refuses an ad-hoc signature that no longer matches; signing proper comes after this hook.
    resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && context.arch === 3 /* Arch.arm64 */,
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
  });
  console.log(
    `  • fuses flipped in ${path}: RunAsNode, NODE_OPTIONS and --inspect off; asar integrity and asar-only on`,
  );
};
