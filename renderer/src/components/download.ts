import type { ExportFile } from '@contract/outputs';

/** Saves an export through the browser's download path (Electron shows its save dialog). */
export function downloadFile(file: Pick<ExportFile, 'fileName' | 'content'> & { mimeType: string }): void {
  downloadParts(file.fileName, file.mimeType, [file.content]);
}

/** Saves a file received in parts (a streamed export): the parts are joined by the Blob, not into one string. */
export function downloadParts(fileName: string, mimeType: string, parts: BlobPart[]): void {
  const blob = new Blob(parts, { type: `${mimeType};charset=utf-8` });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
