/** The part of electron-builder's AfterPackContext the hook reads. */
export interface PackContext {
  electronPlatformName: string;
  appOutDir: string;
  arch?: number;
  packager: { appInfo: { productFilename: string }; executableName: string };
}
export function executablePath(context: PackContext): string;
declare function afterPack(context: PackContext): Promise<void>;
export default afterPack;
